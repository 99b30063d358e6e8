/** Deleting what the server no longer needs, by age; open and excepted findings are never deleted. */
import type { Store } from './open.js';
import { rebuildFlow } from './flow-counts.js';
import { bumpGeneration } from './ingest.js';

export interface RetentionCutoffs {
  fixedFindings: number;
  uploads: number;
  events: number;
  audit: number;
  incidents: number;
  /** A YYYY-MM-DD day: daily counts before it go. */
  trendDay: string;
}

export async function deleteExpired(store: Store, c: RetentionCutoffs): Promise<Record<string, number>> {
  const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  return store.db.transaction().execute(async (trx) => {
    const out: Record<string, number> = {};
    out.findings = n(await trx.deleteFrom('findings').where('status', '=', 'fixed').where('fixed_at', '<', c.fixedFindings).executeTakeFirst());
    if (out.findings > 0) await rebuildFlow(trx);
    out.uploads = n(await trx.deleteFrom('uploads').where('received_at', '<', c.uploads).executeTakeFirst());
    const old = trx.selectFrom('events').select('id').where('sent_at', 'is not', null).where('created_at', '<', c.events);
    out.deliveries = n(await trx.deleteFrom('deliveries').where('event_id', 'in', old).executeTakeFirst());
    out.events = n(await trx.deleteFrom('events').where('sent_at', 'is not', null).where('created_at', '<', c.events).executeTakeFirst());
    out.audit = n(await trx.deleteFrom('audit_log').where('at', '<', c.audit).executeTakeFirst());
    out.incidents = n(await trx.deleteFrom('incidents').where('last_at', '<', c.incidents).executeTakeFirst());
    out.dailyCounts = n(await trx.deleteFrom('daily_counts').where('day', '<', c.trendDay).executeTakeFirst());
    if (out.findings > 0 || out.dailyCounts > 0) await bumpGeneration(trx);
    return out;
  });
}
