/**
 * What follows an applied upload, in its transaction: approved exceptions cover the cluster's new and reopened
 * findings, and the events worth telling are raised — new or returning critical findings, and a cluster whose
 * open findings grew (not on a source's first upload, which is all new by definition).
 */
import type { Kysely } from 'kysely';
import { emitEvent } from '../../sources/store/events.js';
import { exceptCovered } from '../../sources/store/exceptions.js';
import type { IngestOutcome } from '../../sources/store/ingest.js';
import type { StoreDialect } from '../../sources/store/open.js';
import type { StoreSchema } from '../../sources/store/schema.js';

/** At most this many findings are named in an event; the count says how many there were. */
export const EVENT_SAMPLE = 20;

export function afterMerge(dialect: StoreDialect, cluster: string, source: string, scannedAt: number, receivedAt: number) {
  return async (db: Kysely<StoreSchema>, outcome: IngestOutcome, context: { firstOfSource: boolean }): Promise<void> => {
    await exceptCovered(db, dialect, receivedAt, cluster);
    if (outcome.new + outcome.reopened > 0) {
      const critical = db
        .selectFrom('findings')
        .where('cluster', '=', cluster)
        .where('severity', '=', 'critical')
        .where('status', '=', 'open')
        .where((e) => e.or([e('first_seen', '=', scannedAt), e('reopened_at', '=', scannedAt)]));
      const count = Number((await critical.select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      if (count > 0) {
        const sample = await critical.select(['fingerprint', 'rule_id', 'api_version', 'kind', 'namespace', 'name', 'path', 'message', 'reopen_count']).orderBy('fingerprint').limit(EVENT_SAMPLE).execute();
        await emitEvent(db, 'new-critical', cluster, { cluster, source, scannedAt: new Date(scannedAt).toISOString(), count, findings: sample }, receivedAt);
      }
    }
    if (!context.firstOfSource && outcome.new + outcome.reopened > outcome.fixed) {
      await emitEvent(db, 'cluster-regressed', cluster, { cluster, source, scannedAt: new Date(scannedAt).toISOString(), new: outcome.new, reopened: outcome.reopened, fixed: outcome.fixed }, receivedAt);
    }
  };
}
