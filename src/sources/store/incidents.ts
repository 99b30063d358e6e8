/** Runtime incidents in the store: idempotent upserts by (cluster, id), filtered reads newest first. */
import type { Kysely } from 'kysely';
import { globCondition } from './glob-sql.js';
import type { Store, StoreDialect } from './open.js';
import type { IncidentTable, StoreSchema } from './schema.js';
import type { ExceptionRow } from './exceptions.js';
import { matchOf } from './exceptions.js';

export type IncidentRow = IncidentTable;

/** Inserts new incidents, updates known ones (a repeated post changes nothing); the ids that were new. */
export async function upsertIncidents(db: Kysely<StoreSchema>, rows: IncidentRow[]): Promise<string[]> {
  const added: string[] = [];
  for (const r of rows) {
    const known = await db.selectFrom('incidents').select(['last_at', 'count', 'body']).where('cluster', '=', r.cluster).where('id', '=', r.id).executeTakeFirst();
    if (!known) {
      await db.insertInto('incidents').values(r).execute();
      added.push(r.id);
    } else if (r.last_at > known.last_at || (r.last_at === known.last_at && r.body !== known.body)) {
      await db.updateTable('incidents').set({ last_at: r.last_at, count: r.count, body: r.body, severity: r.severity, title: r.title }).where('cluster', '=', r.cluster).where('id', '=', r.id).execute();
    }
  }
  return added;
}

/** Marks open incidents an approved exception covers (rules = detector ids; kinds/names = the owner's). */
export async function exceptIncidents(db: Kysely<StoreSchema>, dialect: StoreDialect, ex: ExceptionRow, cluster?: string): Promise<number> {
  const m = matchOf(ex);
  let q = db.updateTable('incidents').set({ status: 'excepted', exception_id: ex.id }).where('status', '=', 'open');
  if (cluster !== undefined) q = q.where('cluster', '=', cluster);
  if (m.ruleIds.length) q = q.where('detector', 'in', m.ruleIds);
  if (m.clusters.length) q = q.where('cluster', 'in', m.clusters);
  const glob = (col: 'namespace' | 'owner_kind' | 'owner_name', globs?: string[]) => {
    if (globs?.length) q = q.where((e) => e.or(globs.map((g) => globCondition(col, g, dialect))));
  };
  glob('namespace', m.namespaces);
  glob('owner_kind', m.kinds);
  glob('owner_name', m.names);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface IncidentFilter {
  clusters?: string[];
  namespaces?: string[];
  detectors?: string[];
  severities?: string[];
  statuses?: string[];
  since?: number;
}

export async function listIncidents(store: Store, f: IncidentFilter, limit: number, after?: { lastAt: number; cluster: string; id: string }): Promise<{ rows: IncidentRow[]; more: boolean }> {
  let q = store.db.selectFrom('incidents').selectAll();
  if (f.clusters?.length) q = q.where('cluster', 'in', f.clusters);
  if (f.namespaces?.length) q = q.where('namespace', 'in', f.namespaces);
  if (f.detectors?.length) q = q.where('detector', 'in', f.detectors);
  if (f.severities?.length) q = q.where('severity', 'in', f.severities);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  if (f.since !== undefined) q = q.where('last_at', '>=', f.since);
  if (after) {
    q = q.where((e) =>
      e.or([
        e('last_at', '<', after.lastAt),
        e.and([e('last_at', '=', after.lastAt), e.or([e('cluster', '>', after.cluster), e.and([e('cluster', '=', after.cluster), e('id', '>', after.id)])])]),
      ]),
    );
  }
  const rows = await q.orderBy('last_at', 'desc').orderBy('cluster').orderBy('id').limit(limit + 1).execute();
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** An exception ended: the incidents it covered are open again. */
export async function releaseIncidents(db: Kysely<StoreSchema>, exceptionId: number): Promise<number> {
  const r = await db.updateTable('incidents').set({ status: 'open', exception_id: null }).where('exception_id', '=', exceptionId).where('status', '=', 'excepted').executeTakeFirst();
  return Number(r.numUpdatedRows);
}
