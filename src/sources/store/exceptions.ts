/**
 * Server exceptions in the store, and their effect on findings: an approved exception marks the open findings it
 * covers `excepted` (with its id); when it ends (expired, revoked) they are `open` again, unless another active
 * exception covers them. Globs (`*`, `?`) in namespaces, kinds and names match as in config exceptions
 * (src/core/glob.ts), translated to SQL: GLOB in SQLite (case-sensitive), LIKE with escapes in PostgreSQL.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { globCondition } from './glob-sql.js';
import type { Store, StoreDialect } from './open.js';
import type { ExceptionTable, StoreSchema } from './schema.js';

export type ExceptionRow = Omit<ExceptionTable, 'id'> & { id: number };

export interface ExceptionMatch {
  /** Resolved rule ids; empty means every rule. */
  ruleIds: string[];
  /** Empty means every cluster. */
  clusters: string[];
  namespaces?: string[];
  kinds?: string[];
  names?: string[];
}

export function matchOf(row: ExceptionRow): ExceptionMatch {
  const list = (v: string | null) => (v === null ? undefined : (JSON.parse(v) as string[]));
  return { ruleIds: JSON.parse(row.rule_ids) as string[], clusters: JSON.parse(row.clusters) as string[], namespaces: list(row.namespaces), kinds: list(row.kinds), names: list(row.names) };
}

/** The condition "this finding is covered by the exception". */
export function coveredBy(m: ExceptionMatch, dialect: StoreDialect) {
  return (e: ExpressionBuilder<StoreSchema, 'findings'>): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [];
    if (m.ruleIds.length) parts.push(e('rule_id', 'in', m.ruleIds));
    if (m.clusters.length) parts.push(e('cluster', 'in', m.clusters));
    for (const col of ['namespace', 'kind', 'name'] as const) {
      const globs = m[col === 'namespace' ? 'namespaces' : col === 'kind' ? 'kinds' : 'names'];
      if (globs?.length) parts.push(e.or(globs.map((g) => globCondition(col, g, dialect))));
    }
    return parts.length ? e.and(parts) : sql<SqlBool>`1 = 1`;
  };
}

export async function insertException(db: Kysely<StoreSchema>, row: Omit<ExceptionTable, 'id'>): Promise<number> {
  const r = await db.insertInto('exceptions').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function getException(db: Kysely<StoreSchema>, id: number): Promise<ExceptionRow | undefined> {
  return (await db.selectFrom('exceptions').selectAll().where('id', '=', id).executeTakeFirst()) as ExceptionRow | undefined;
}

export async function listExceptions(store: Store, filter: { statuses?: string[] }, limit: number, afterId?: number): Promise<ExceptionRow[]> {
  let q = store.db.selectFrom('exceptions').selectAll();
  if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
  if (afterId !== undefined) q = q.where('id', '<', afterId);
  return (await q.orderBy('id', 'desc').limit(limit).execute()) as ExceptionRow[];
}

/** Approved exceptions that are in force at `now`. */
export async function activeExceptions(db: Kysely<StoreSchema>, now: number): Promise<ExceptionRow[]> {
  return (await db
    .selectFrom('exceptions')
    .selectAll()
    .where('status', '=', 'approved')
    .where((e) => e.or([e('expires_at', 'is', null), e('expires_at', '>=', now)]))
    .orderBy('id')
    .execute()) as ExceptionRow[];
}

/** Marks the open findings an exception covers (in one cluster, or all) as excepted by it; how many. */
export async function exceptFindings(db: Kysely<StoreSchema>, dialect: StoreDialect, ex: ExceptionRow, cluster?: string): Promise<number> {
  // open findings, and those the scanner's own exceptions hid that no server exception claims yet
  let q = db
    .updateTable('findings')
    .set({ status: 'excepted', exception_id: ex.id })
    .where((e) => e.or([e('status', '=', 'open'), e.and([e('status', '=', 'excepted'), e('exception_id', 'is', null)])]))
    .where(coveredBy(matchOf(ex), dialect));
  if (cluster !== undefined) q = q.where('cluster', '=', cluster);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Applies every active exception to a cluster's (or every cluster's) open findings. */
export async function exceptCovered(db: Kysely<StoreSchema>, dialect: StoreDialect, now: number, cluster?: string): Promise<number> {
  let n = 0;
  for (const ex of await activeExceptions(db, now)) n += await exceptFindings(db, dialect, ex, cluster);
  return n;
}

/** Ends an exception's effect: its findings are open again, then other active exceptions apply. */
export async function releaseFindings(db: Kysely<StoreSchema>, dialect: StoreDialect, id: number, now: number): Promise<number> {
  const r = await db.updateTable('findings').set({ status: 'open', exception_id: null }).where('exception_id', '=', id).where('status', '=', 'excepted').executeTakeFirst();
  const released = Number(r.numUpdatedRows);
  if (released) await exceptCovered(db, dialect, now);
  return released;
}

export async function countExcepted(db: Kysely<StoreSchema>, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('findings')
    .select(['exception_id', (e) => e.fn.countAll<number>().as('n')])
    .where('exception_id', 'in', ids)
    .where('status', '=', 'excepted')
    .groupBy('exception_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.exception_id), Number(r.n)]));
}
