/**
 * Each cluster's worst workloads (migration 0018): its 10 workloads with the most open findings, ordered by critical,
 * then high, medium, low and info; the overview's top 10 over all clusters are among them.
 */
import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { POD_BEARING_KINDS } from '../../core/podspec.js';
import type { StoreSchema } from './schema.js';

export const WORST_PER_CLUSTER = 10;
const ORDER = sql`critical DESC, high DESC, medium DESC, low DESC, info DESC`;
const n = (severity: string) => sql`SUM(CASE WHEN severity = ${severity} THEN 1 ELSE 0 END)`;

/** `(columns) SELECT …`: one cluster's worst workloads counted from its open findings. */
export const WORST_WORKLOADS_SQL = (cluster: string): RawBuilder<unknown> => sql`
  (cluster, namespace, kind, name, critical, high, medium, low, info)
  SELECT * FROM (
    SELECT cluster, namespace, kind, name, ${n('critical')} AS critical, ${n('high')} AS high, ${n('medium')} AS medium, ${n('low')} AS low, ${n('info')} AS info
    FROM findings WHERE status = 'open' AND cluster = ${cluster} AND kind IN (${sql.join([...POD_BEARING_KINDS])})
    GROUP BY cluster, namespace, kind, name
  ) w ORDER BY ${ORDER}, namespace, kind, name LIMIT ${sql.lit(WORST_PER_CLUSTER)}`;

/** Counts one cluster's worst workloads again, or every cluster's. */
export async function recountWorstWorkloads(trx: Kysely<StoreSchema>, cluster?: string): Promise<void> {
  const names = cluster === undefined ? (await trx.selectFrom('clusters').select('name').execute()).map((c) => c.name) : [cluster];
  await (cluster === undefined ? trx.deleteFrom('worst_workloads') : trx.deleteFrom('worst_workloads').where('cluster', '=', cluster)).execute();
  for (const c of names) await sql`INSERT INTO worst_workloads ${WORST_WORKLOADS_SQL(c)}`.execute(trx);
}

export interface WorstWorkload {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  open: Record<'critical' | 'high' | 'medium' | 'low' | 'info', number>;
}

/** The worst `top` workloads over all clusters. */
export async function worstWorkloads(db: Kysely<StoreSchema>, top = WORST_PER_CLUSTER): Promise<WorstWorkload[]> {
  const rows = await sql<StoreSchema['worst_workloads']>`SELECT * FROM worst_workloads ORDER BY ${ORDER}, cluster, namespace, kind, name LIMIT ${top}`.execute(db);
  return rows.rows.map((r) => ({ cluster: r.cluster, namespace: r.namespace, kind: r.kind, name: r.name, open: { critical: Number(r.critical), high: Number(r.high), medium: Number(r.medium), low: Number(r.low), info: Number(r.info) } }));
}
