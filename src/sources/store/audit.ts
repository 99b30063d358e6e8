/** The audit log: who did what, when, to what, from where — every change made through the server or CLI. */
import type { Kysely } from 'kysely';
import type { Store } from './open.js';
import type { AuditTable, StoreSchema } from './schema.js';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
  remote?: string;
}

export async function writeAudit(db: Kysely<StoreSchema>, entry: AuditEntry, at: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ at, actor: entry.actor, action: entry.action, target: entry.target ?? null, detail: entry.detail ? JSON.stringify(entry.detail) : null, remote: entry.remote ?? null })
    .execute();
}

export type AuditRow = Omit<AuditTable, 'id'> & { id: number };

export async function readAudit(store: Store, limit: number, beforeId?: number): Promise<AuditRow[]> {
  let q = store.db.selectFrom('audit_log').selectAll();
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
