/**
 * Aggregates for people: clusters with their open findings by severity, counts by a dimension, open findings per
 * day, findings new and fixed per day, and mean time to fix — each under the findings list's filters.
 */
import { UsageError } from '../../core/errors.js';
import { SEVERITIES } from '../../core/model.js';
import type { CountDimension, FindingFilter, TrendPoint } from '../../sources/store/findings.js';
import { countFindings, flowPerDay, latestOpenCounts, meanTimeToFix, openByNamespace, openTrend } from '../../sources/store/findings.js';
import type { Store } from '../../sources/store/open.js';
import { worstWorkloads, type WorstWorkload } from '../../sources/store/worst-workloads.js';
import { complianceOverview, type ComplianceScoreView } from '../compliance/scores.js';
import type { FindingQuery } from './findings.js';
import { filterOf, instantParam } from './findings.js';

const DAY = 86_400_000;

export interface ClusterView {
  name: string;
  createdAt: string;
  /** Newest scan applied, per source. */
  lastScans: Record<string, string>;
  open: Record<string, number>;
  excepted: number;
  fixed: number;
}

export async function clusters(store: Store): Promise<ClusterView[]> {
  const rows = await store.db.selectFrom('clusters').selectAll().orderBy('name').execute();
  const open = await openByNamespace(store, {}, ['cluster', 'severity']);
  const others = await countFindings(store, { statuses: ['excepted', 'fixed'] }, ['cluster', 'status']);
  return rows.map((c) => {
    const mine = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<string, number>;
    for (const x of open) if (x.group.cluster === c.name) mine[x.group.severity] = x.count;
    const sum = (status: string) => others.filter((x) => x.group.cluster === c.name && x.group.status === status).reduce((n, x) => n + x.count, 0);
    const last = JSON.parse(c.last_scans) as Record<string, number>;
    return { name: c.name, createdAt: new Date(c.created_at).toISOString(), lastScans: Object.fromEntries(Object.entries(last).map(([k, v]) => [k, new Date(v).toISOString()])), open: mine, excepted: sum('excepted'), fixed: sum('fixed') };
  });
}

type Group = Record<string, string>;

/**
 * Open counts without reading the findings, when the filter and grouping allow: by cluster, namespace and severity
 * from open_by_namespace; by cluster, rule and severity from each cluster's latest counted day in daily_counts (a
 * cluster never counted, or whose days retention removed, from its findings). Undefined: count the findings.
 */
async function keptCounts(store: Store, f: FindingFilter, by: string[], top?: number): Promise<{ group: Group; count: number }[] | undefined> {
  const { clusters: _c, namespaces, ruleIds, severities: _s, statuses, ...rest } = f;
  if (statuses?.length !== 1 || statuses[0] !== 'open' || Object.values(rest).some((v) => v !== undefined)) return undefined;
  const pick = (row: Record<string, string | number>) => Object.fromEntries(by.map((b) => [b, String(row[b])]));
  let rows: { group: Group; count: number }[];
  if (!ruleIds?.length && by.every((b) => b === 'cluster' || b === 'namespace' || b === 'severity')) {
    rows = await openByNamespace(store, f, by as ('cluster' | 'namespace' | 'severity')[], top);
  } else if (!namespaces?.length && by.every((b) => b === 'cluster' || b === 'ruleId' || b === 'severity')) {
    const { counted, rows: kept } = await latestOpenCounts(store, f);
    rows = kept.map((r) => ({ group: pick({ ...r, ruleId: r.rule_id }), count: r.open }));
    const uncounted = (await store.db.selectFrom('clusters').select('name').execute()).map((c) => c.name).filter((c) => !counted.includes(c) && (!f.clusters?.length || f.clusters.includes(c)));
    if (uncounted.length) for (const r of await countFindings(store, { ...f, clusters: uncounted }, ['cluster', 'rule_id', 'severity'])) rows.push({ group: pick({ ...r.group, ruleId: r.group.rule_id }), count: r.count });
  } else return undefined;
  const sums = new Map<string, { group: Group; count: number }>();
  for (const r of rows) {
    const key = label(r.group);
    const s = sums.get(key) ?? sums.set(key, { group: r.group, count: 0 }).get(key)!;
    s.count += r.count;
  }
  return [...sums.values()].filter((s) => s.count > 0);
}

const label = (g: Record<string, string>) => Object.values(g).join('\u0000');

const DIMENSIONS: Record<string, CountDimension> = { cluster: 'cluster', namespace: 'namespace', ruleId: 'rule_id', severity: 'severity', status: 'status', kind: 'kind', source: 'source' };

/** Counts grouped by up to two dimensions (cluster, namespace, ruleId, severity, status, kind, source), largest first. */
export async function counts(store: Store, q: FindingQuery & { by?: string | string[]; top?: number }): Promise<{ by: string[]; items: { group: Record<string, string>; count: number }[] }> {
  const by = (Array.isArray(q.by) ? q.by : q.by ? [q.by] : ['severity']).flatMap((b) => b.split(','));
  if (by.length < 1 || by.length > 2 || by.some((b) => !(b in DIMENSIONS))) throw new UsageError(`by must be one or two of ${Object.keys(DIMENSIONS).join(', ')}`);
  const f = filterOf(q);
  const names = Object.fromEntries(Object.entries(DIMENSIONS).map(([k, v]) => [v, k]));
  const items =
    (await keptCounts(store, f, by, q.top)) ??
    (await countFindings(store, f, by.map((b) => DIMENSIONS[b]))).map((r) => ({ group: Object.fromEntries(Object.entries(r.group).map(([k, v]) => [names[k], v])), count: r.count }));
  items.sort((a, b) => b.count - a.count || (label(a.group) < label(b.group) ? -1 : 1));
  return { by, items: q.top ? items.slice(0, q.top) : items };
}

function range(q: { from?: string; to?: string }, now: Date): { from: number; to: number } {
  const to = instantParam(q.to, 'to') ?? now.getTime();
  const from = instantParam(q.from, 'from') ?? to - 30 * DAY;
  if (from >= to) throw new UsageError('from must be before to');
  if (to - from > 731 * DAY) throw new UsageError('a trend covers at most two years');
  return { from, to };
}

export async function trends(store: Store, q: FindingQuery & { from?: string; to?: string }, now: Date) {
  const { from, to } = range(q, now);
  const f = filterOf(q);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    open: await openTrend(store, f, day(from), day(to)),
    flow: await flowPerDay(store, f, from, to),
  };
}

export async function timeToFix(store: Store, q: FindingQuery & { from?: string; to?: string }, now: Date) {
  const { from, to } = range(q, now);
  const rows = await meanTimeToFix(store, filterOf(q), from, to);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), items: rows.map((r) => ({ severity: r.severity, fixed: r.fixed, meanHours: Math.round((r.meanMs / 3_600_000) * 10) / 10 })) };
}

/** What the dashboard's overview shows, in one answer (one round trip, one pass of the server's thread). */
export interface Overview {
  clusters: ClusterView[];
  trends: Awaited<ReturnType<typeof trends>>;
  compliance: ComplianceScoreView[];
  /** The 10 rules and the 10 namespaces with most open findings. */
  topRules: { group: Record<string, string>; count: number }[];
  worstNamespaces: { group: Record<string, string>; count: number }[];
  /** The 10 workloads with most open findings, worst severities first. */
  worstWorkloads: WorstWorkload[];
}

type Kept = Omit<Overview, 'trends'> & { open: TrendPoint[] };

/**
 * The overview's answer per store, kept while the clusters' generations (migration 0017: each grows in the
 * transaction of every upload, exception decision or retention that changes what the overview shows of it)
 * and the trend's days stay the same. Read before counting, so a change committed meanwhile is counted again next time.
 * The generations live in the store, so every replica sees every other's changes.
 */
const kept = new WeakMap<Store, { key: string; value: Kept }>();

async function generationOf(store: Store): Promise<string> {
  const r = await store.db
    .selectFrom('clusters')
    .select([(e) => e.fn.countAll<number>().as('n'), (e) => e.fn.sum<number>('generation').as('g')])
    .executeTakeFirstOrThrow();
  return `${r.n}/${r.g ?? 0}`;
}

export async function overview(store: Store, now: Date): Promise<Overview> {
  const { from, to } = range({}, now);
  const [fromDay, toDay] = [from, to].map((t) => new Date(t).toISOString().slice(0, 10));
  const key = `${await generationOf(store)}/${fromDay}/${toDay}`;
  let k = kept.get(store);
  if (k?.key !== key) {
    const value: Kept = {
      clusters: await clusters(store),
      compliance: await complianceOverview(store),
      topRules: (await counts(store, { by: 'ruleId', status: 'open', top: 10 })).items,
      worstNamespaces: (await counts(store, { by: 'cluster,namespace', status: 'open', top: 10 })).items,
      worstWorkloads: await worstWorkloads(store.db),
      open: await openTrend(store, {}, fromDay, toDay),
    };
    kept.set(store, (k = { key, value }));
  }
  const { open, ...rest } = k.value;
  // the flow is counted per request: its window moves with `now` (a few hundred rows of flow_counts)
  return { ...rest, trends: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), open, flow: await flowPerDay(store, {}, from, to) } };
}
