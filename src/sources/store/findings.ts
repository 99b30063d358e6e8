/**
 * Reading the finding history: filtered lists paged by key (cluster, fingerprint) — a page costs the same at the
 * millionth finding as at the first — counts, trends, mean time to fix.
 */
import type { SelectQueryBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { Store, StoreDialect } from './open.js';
import type { FindingTable, StoreSchema } from './schema.js';

export interface FindingFilter {
  clusters?: string[];
  namespaces?: string[];
  ruleIds?: string[];
  severities?: string[];
  statuses?: string[];
  sources?: string[];
  kinds?: string[];
  names?: string[];
  /** First seen at or after (ms): "new since". */
  firstSeenFrom?: number;
  /** Fixed at or after (ms). */
  fixedFrom?: number;
  /** Text in the object's name or namespace, the rule id or the message (case-insensitive). */
  search?: string;
}

export type FindingRow = FindingTable;

type Q<O> = SelectQueryBuilder<StoreSchema, 'findings', O>;

/** A substring search as LIKE with its wildcards escaped; case-insensitive in both databases (ILIKE in PostgreSQL). */
function searchCondition(text: string, dialect: StoreDialect) {
  const like = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  const op = sql.raw(dialect === 'postgres' ? 'ILIKE' : 'LIKE');
  return sql<SqlBool>`(name ${op} ${like} ESCAPE '\\' OR namespace ${op} ${like} ESCAPE '\\' OR rule_id ${op} ${like} ESCAPE '\\' OR message ${op} ${like} ESCAPE '\\')`;
}

export function applyFilter<O>(q: Q<O>, f: FindingFilter, dialect: StoreDialect): Q<O> {
  const inList = (col: 'cluster' | 'namespace' | 'rule_id' | 'severity' | 'status' | 'source' | 'kind' | 'name', values?: string[]) => {
    if (!values?.length) return;
    q = values.length === 1 ? q.where(col, '=', values[0]) : q.where(col, 'in', values);
  };
  inList('cluster', f.clusters);
  inList('namespace', f.namespaces);
  inList('rule_id', f.ruleIds);
  inList('severity', f.severities);
  inList('status', f.statuses);
  inList('source', f.sources);
  inList('kind', f.kinds);
  inList('name', f.names);
  if (f.firstSeenFrom !== undefined) q = q.where('first_seen', '>=', f.firstSeenFrom);
  if (f.fixedFrom !== undefined) q = q.where('fixed_at', '>=', f.fixedFrom);
  if (f.search) q = q.where(searchCondition(f.search, dialect));
  return q;
}

/**
 * The orders a list can be read in. Each ends in the primary key, so the position after a row is exact and pages
 * are keyed (row-value comparison on an index), never offset: a page deep in a million findings costs what the first
 * does. `key` is the API's default, (cluster, fingerprint).
 */
export const FINDING_ORDERS = {
  key: { columns: ['cluster', 'fingerprint'], desc: false },
  severity: { columns: ['severity_rank', 'cluster', 'fingerprint'], desc: true },
  '-lastSeen': { columns: ['last_seen', 'cluster', 'fingerprint'], desc: true },
  '-firstSeen': { columns: ['first_seen', 'cluster', 'fingerprint'], desc: true },
  ruleId: { columns: ['rule_id', 'cluster', 'fingerprint'], desc: false },
  object: { columns: ['cluster', 'namespace', 'kind', 'name', 'fingerprint'], desc: false },
} as const satisfies Record<string, { columns: readonly (keyof FindingTable)[]; desc: boolean }>;

export type FindingOrder = keyof typeof FINDING_ORDERS;

/** The sort columns' values of the last row of a page. */
export type PageKey = (string | number)[];

export function pageKeyOf(row: FindingRow, order: FindingOrder): PageKey {
  return FINDING_ORDERS[order].columns.map((c) => row[c] as string | number);
}

/** One page of findings after `after` in `order`; `limit + 1` rows tell whether more follow. */
export async function listFindings(store: Store, filter: FindingFilter, limit: number, after?: PageKey, order: FindingOrder = 'key'): Promise<{ rows: FindingRow[]; more: boolean }> {
  const { columns, desc } = FINDING_ORDERS[order];
  let q = applyFilter(store.db.selectFrom('findings').selectAll(), filter, store.dialect);
  if (after) {
    if (after.length !== columns.length) throw new RangeError('the page key does not fit the order');
    q = q.where(sql<SqlBool>`(${sql.join(columns.map((c) => sql.ref(c)))}) ${sql.raw(desc ? '<' : '>')} (${sql.join(after)})`);
  }
  for (const c of columns) q = q.orderBy(c, desc ? 'desc' : 'asc');
  const rows = await q.limit(limit + 1).execute();
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

export async function getFinding(store: Store, cluster: string, fingerprint: string): Promise<FindingRow | undefined> {
  return store.db.selectFrom('findings').selectAll().where('cluster', '=', cluster).where('fingerprint', '=', fingerprint).executeTakeFirst();
}

export type CountDimension = 'cluster' | 'namespace' | 'rule_id' | 'severity' | 'status' | 'kind' | 'source';

/**
 * How many findings match, counted up to `cap` (a list's "N findings match"): past the cap the answer is "more than
 * cap", so the count costs at most `cap` index entries however large the store.
 */
export async function countFindingsUpTo(store: Store, filter: FindingFilter, cap: number): Promise<number> {
  const inner = applyFilter(store.db.selectFrom('findings'), filter, store.dialect).select(sql<number>`1`.as('one')).limit(cap + 1);
  const row = await store.db.selectFrom(inner.as('matched')).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Finding counts grouped by one or two dimensions (the overview's tiles and tables). */
export async function countFindings(store: Store, filter: FindingFilter, by: CountDimension[]): Promise<{ group: Record<string, string>; count: number }[]> {
  let q = applyFilter(store.db.selectFrom('findings'), filter, store.dialect).select((e) => e.fn.countAll<number>().as('count'));
  for (const d of by) q = q.select(d).groupBy(d) as typeof q;
  const rows = (await q.execute()) as unknown as Record<string, string | number>[];
  return rows.map((r) => ({ group: Object.fromEntries(by.map((d) => [d, String(r[d])])), count: Number(r.count) }));
}

export interface TrendPoint {
  day: string;
  open: number;
}

/** The UTC days from `from` to `to` (YYYY-MM-DD), both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Open findings per day, with the trend filters. A cluster counts on a day as of its last upload on or before that
 * day (a cluster scanned on Monday and Thursday still has findings on Tuesday).
 */
export async function openTrend(store: Store, filter: Pick<FindingFilter, 'clusters' | 'namespaces' | 'ruleIds' | 'severities'>, fromDay: string, toDay: string): Promise<TrendPoint[]> {
  if (filter.namespaces?.length) return namespaceTrend(store, filter, fromDay, toDay);
  let markers = store.db.selectFrom('daily_counts').select(['cluster', 'day']).where('severity', '=', '').where('day', '<=', toDay);
  if (filter.clusters?.length) markers = markers.where('cluster', 'in', filter.clusters);
  const counted = new Map<string, string[]>();
  for (const m of await markers.orderBy('day').execute()) (counted.get(m.cluster) ?? counted.set(m.cluster, []).get(m.cluster)!).push(m.day);
  // each cluster's data starts at its last counted day before the period (or the period's start)
  let earliest = fromDay;
  for (const days of counted.values()) {
    const before = days.filter((d) => d < fromDay).pop();
    if (before && before < earliest) earliest = before;
  }
  let q = store.db.selectFrom('daily_counts').select(['cluster', 'day', (e) => e.fn.sum<number>('open').as('open')]).where('severity', '<>', '').where('day', '>=', earliest).where('day', '<=', toDay);
  if (filter.clusters?.length) q = q.where('cluster', 'in', filter.clusters);
  if (filter.ruleIds?.length) q = q.where('rule_id', 'in', filter.ruleIds);
  if (filter.severities?.length) q = q.where('severity', 'in', filter.severities);
  const value = new Map<string, number>();
  for (const r of await q.groupBy(['cluster', 'day']).execute()) value.set(`${r.cluster}\u0000${r.day}`, Number(r.open));
  const days = daysBetween(fromDay, toDay);
  const totals = new Map<string, number>();
  let any = false;
  for (const [cluster, countedDays] of counted) {
    let i = -1;
    for (const day of days) {
      while (i + 1 < countedDays.length && countedDays[i + 1] <= day) i++;
      if (i < 0) continue;
      any = true;
      totals.set(day, (totals.get(day) ?? 0) + (value.get(`${cluster}\u0000${countedDays[i]}`) ?? 0));
    }
  }
  return any ? days.filter((d) => totals.has(d)).map((day) => ({ day, open: totals.get(day)! })) : [];
}

/**
 * Open findings per day in some namespaces, from the findings themselves: open at the end of a day = first seen by
 * then, not fixed by then, and not in the gap between its last fix and its regression (excepted findings left
 * out). Exact except for a finding that regressed more than once: only its latest gap is known.
 */
async function namespaceTrend(store: Store, filter: Pick<FindingFilter, 'clusters' | 'namespaces' | 'ruleIds' | 'severities'>, fromDay: string, toDay: string): Promise<TrendPoint[]> {
  const end = (day: string) => Date.parse(`${day}T23:59:59.999Z`);
  const rows = await applyFilter(store.db.selectFrom('findings').select(['first_seen', 'fixed_at', 'last_fixed_at', 'reopened_at']), { ...filter, statuses: ['open', 'fixed'] }, store.dialect)
    .where('first_seen', '<=', end(toDay))
    .where((e) => e.or([e('fixed_at', 'is', null), e('fixed_at', '>', Date.parse(`${fromDay}T00:00:00Z`))]))
    .execute();
  const days = daysBetween(fromDay, toDay);
  const points = days.map((day) => ({ day, open: 0 }));
  for (const r of rows) {
    for (let i = 0; i < days.length; i++) {
      const e = end(days[i]);
      const inGap = r.last_fixed_at !== null && r.reopened_at !== null && r.last_fixed_at <= e && e < r.reopened_at;
      if (r.first_seen <= e && (r.fixed_at === null || r.fixed_at > e) && !inGap) points[i].open++;
    }
  }
  const first = points.findIndex((p) => p.open > 0);
  return first < 0 ? [] : points.slice(first);
}

/** Findings first seen (new) and fixed per UTC day in [from, to). */
export async function flowPerDay(store: Store, filter: FindingFilter, from: number, to: number): Promise<{ day: string; new: number; fixed: number }[]> {
  const dayExpr = (col: 'first_seen' | 'fixed_at') =>
    store.dialect === 'postgres' ? sql<string>`to_char(to_timestamp(${sql.ref(col)} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : sql<string>`strftime('%Y-%m-%d', ${sql.ref(col)} / 1000, 'unixepoch')`;
  const byDay = new Map<string, { new: number; fixed: number }>();
  const news = await applyFilter(store.db.selectFrom('findings'), filter, store.dialect)
    .select([dayExpr('first_seen').as('day'), (e) => e.fn.countAll<number>().as('n')])
    .where('first_seen', '>=', from)
    .where('first_seen', '<', to)
    .groupBy(sql`1`)
    .execute();
  for (const r of news) byDay.set(r.day, { new: Number(r.n), fixed: 0 });
  const fixes = await applyFilter(store.db.selectFrom('findings'), { ...filter, statuses: undefined }, store.dialect)
    .select([dayExpr('fixed_at').as('day'), (e) => e.fn.countAll<number>().as('n')])
    .where('fixed_at', '>=', from)
    .where('fixed_at', '<', to)
    .groupBy(sql`1`)
    .execute();
  for (const r of fixes) (byDay.get(r.day) ?? byDay.set(r.day, { new: 0, fixed: 0 }).get(r.day)!).fixed = Number(r.n);
  return [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, v]) => ({ day, ...v }));
}

/** Mean time to fix (ms) by severity, over findings fixed in [from, to). */
export async function meanTimeToFix(store: Store, filter: FindingFilter, from: number, to: number): Promise<{ severity: string; fixed: number; meanMs: number }[]> {
  const rows = await applyFilter(store.db.selectFrom('findings'), { ...filter, statuses: undefined }, store.dialect)
    .select(['severity', (e) => e.fn.countAll<number>().as('n'), sql<number>`AVG(fixed_at - first_seen)`.as('mean')])
    .where('status', '=', 'fixed')
    .where('fixed_at', '>=', from)
    .where('fixed_at', '<', to)
    .groupBy('severity')
    .execute();
  return rows.map((r) => ({ severity: r.severity, fixed: Number(r.n), meanMs: Math.round(Number(r.mean)) }));
}
