/**
 * E-mail digests: the once-per-period record (claimed, then marked sent, as the event outbox does) and what a
 * digest says about a period — new criticals, what was fixed, exceptions about to expire, the worst clusters.
 */
import { sql } from 'kysely';
import type { Store } from './open.js';

export interface DigestKey {
  channel: string;
  recipient: string;
  periodStart: number;
}

/**
 * Claims a digest for `holder` until `until`: true when this replica should send it (not sent yet, nobody else's
 * claim running). The row is created on first sight; the claim is a conditional update, so two replicas never
 * both hold it. Returns the attempts so far with the claim.
 */
export async function claimDigest(store: Store, k: DigestKey, holder: string, now: number, until: number): Promise<number | undefined> {
  await store.db.insertInto('digests').values({ channel: k.channel, recipient: k.recipient, period_start: k.periodStart }).onConflict((oc) => oc.columns(['channel', 'recipient', 'period_start']).doNothing()).execute();
  const where = store.db
    .updateTable('digests')
    .set((e) => ({ claimed_by: holder, claimed_until: until, attempts: e('attempts', '+', 1) }))
    .where('channel', '=', k.channel)
    .where('recipient', '=', k.recipient)
    .where('period_start', '=', k.periodStart)
    .where('sent_at', 'is', null)
    .where((e) => e.or([e('claimed_until', 'is', null), e('claimed_until', '<', now)]));
  const r = await where.executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  const row = await store.db.selectFrom('digests').select('attempts').where('channel', '=', k.channel).where('recipient', '=', k.recipient).where('period_start', '=', k.periodStart).executeTakeFirstOrThrow();
  return Number(row.attempts);
}

/** Marks a claimed digest sent (or given up): it is never sent again. */
export async function markDigestSent(store: Store, k: DigestKey, holder: string, at: number): Promise<void> {
  await store.db.updateTable('digests').set({ sent_at: at, claimed_until: null }).where('channel', '=', k.channel).where('recipient', '=', k.recipient).where('period_start', '=', k.periodStart).where('claimed_by', '=', holder).execute();
}

export interface DigestFinding {
  cluster: string;
  ruleId: string;
  severity: string;
  namespace: string;
  kind: string;
  name: string;
}

export interface ClusterStanding {
  cluster: string;
  critical: number;
  high: number;
  /** Findings first seen in the period (any severity), still open. */
  newOpen: number;
  fixed: number;
}

export interface DigestExpiring {
  id: number;
  rules: string[];
  clusters: string[];
  owner: string | null;
  expiresAt: number;
}

export interface DigestFacts {
  newCritical: { count: number; items: DigestFinding[] };
  fixed: { count: number; bySeverity: Record<string, number>; items: DigestFinding[] };
  expiring: DigestExpiring[];
  clusters: ClusterStanding[];
}

const LIST = 20;

/** What happened in [from, to) in the given clusters (all when empty); exceptions expiring in [to, expiringBefore). */
export async function digestFacts(store: Store, from: number, to: number, expiringBefore: number, clusters: readonly string[]): Promise<DigestFacts> {
  const db = store.db;
  const scoped = () => (clusters.length ? db.selectFrom('findings').where('cluster', 'in', clusters) : db.selectFrom('findings'));
  const cols = ['cluster', 'rule_id', 'severity', 'namespace', 'kind', 'name'] as const;
  const asFinding = (r: { cluster: string; rule_id: string; severity: string; namespace: string; kind: string; name: string }): DigestFinding => ({ cluster: r.cluster, ruleId: r.rule_id, severity: r.severity, namespace: r.namespace, kind: r.kind, name: r.name });

  const newCritical = scoped().where('severity', '=', 'critical').where('first_seen', '>=', from).where('first_seen', '<', to).where('status', '=', 'open');
  const newCount = Number((await newCritical.select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const newItems = await newCritical.select([...cols]).orderBy('cluster').orderBy('rule_id').orderBy('namespace').orderBy('name').limit(LIST).execute();

  const fixed = scoped().where('fixed_at', '>=', from).where('fixed_at', '<', to).where('status', '=', 'fixed');
  const fixedBy = await fixed.select(['severity', (e) => e.fn.countAll().as('n')]).groupBy('severity').execute();
  const fixedItems = await fixed.select([...cols]).orderBy('severity_rank', 'desc').orderBy('cluster').orderBy('rule_id').orderBy('name').limit(LIST).execute();

  const standing = await scoped()
    .select([
      'cluster',
      sql<number>`SUM(CASE WHEN status = 'open' AND severity = 'critical' THEN 1 ELSE 0 END)`.as('critical'),
      sql<number>`SUM(CASE WHEN status = 'open' AND severity = 'high' THEN 1 ELSE 0 END)`.as('high'),
      sql<number>`SUM(CASE WHEN status = 'open' AND first_seen >= ${from} AND first_seen < ${to} THEN 1 ELSE 0 END)`.as('new_open'),
      sql<number>`SUM(CASE WHEN status = 'fixed' AND fixed_at >= ${from} AND fixed_at < ${to} THEN 1 ELSE 0 END)`.as('fixed'),
    ])
    .groupBy('cluster')
    .execute();

  const expiring = await db.selectFrom('exceptions').select(['id', 'rule_ids', 'clusters', 'owner', 'expires_at']).where('status', '=', 'approved').where('expires_at', '>=', to).where('expires_at', '<', expiringBefore).orderBy('expires_at').orderBy('id').execute();

  return {
    newCritical: { count: newCount, items: newItems.map(asFinding) },
    fixed: { count: fixedBy.reduce((a, r) => a + Number(r.n), 0), bySeverity: Object.fromEntries(fixedBy.map((r) => [r.severity, Number(r.n)])), items: fixedItems.map(asFinding) },
    expiring: expiring
      .map((r) => ({ id: Number(r.id), rules: JSON.parse(r.rule_ids) as string[], clusters: JSON.parse(r.clusters) as string[], owner: r.owner, expiresAt: Number(r.expires_at) }))
      .filter((e) => !clusters.length || !e.clusters.length || e.clusters.some((c) => clusters.includes(c))),
    clusters: standing
      .map((r) => ({ cluster: r.cluster, critical: Number(r.critical), high: Number(r.high), newOpen: Number(r.new_open), fixed: Number(r.fixed) }))
      .sort((a, b) => b.critical - a.critical || b.high - a.high || b.newOpen - a.newOpen || a.cluster.localeCompare(b.cluster))
      .slice(0, 5),
  };
}
