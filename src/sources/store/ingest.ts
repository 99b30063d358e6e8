/**
 * Applying one upload to the finding history, in one transaction: nothing half-applied survives a crash of the
 * server or the database, and the upload's key makes a repeated upload change nothing. Findings are staged in a
 * temporary table as they stream in, then merged with set-based statements (no per-finding round trips):
 * seen again → last seen; fixed and seen again → reopened; not seen (in scope, not held) → fixed; unknown → new.
 */
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Store } from './open.js';
import type { StoreSchema } from './schema.js';
import { recountFlow } from './flow-counts.js';
import { recountWorstWorkloads } from './worst-workloads.js';

export interface StagedFinding {
  fingerprint: string;
  ruleId: string;
  severity: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  path: string;
  message: string;
  /** '' for a finding; the scanner's exception source (config, annotation, vex) for a finding it suppressed. */
  excepted: string;
  /** Location, remediation, patch… as JSON (FindingDetail), or null. */
  detail: string | null;
}

export interface ObjectKey {
  kind: string;
  namespace: string;
  name: string;
}

/** A hold: findings of `ruleId` (any when absent) on `object` (any when absent) keep their state. */
export interface StagedHold {
  ruleId?: string;
  object?: ObjectKey;
}

export type StagedRecord = { finding: StagedFinding } | { object: ObjectKey } | { held: StagedHold };

export interface ScanToApply {
  cluster: string;
  /** The upload's identity (the digest of its body), known once every record was read. */
  key: () => string;
  source: string;
  scope: 'cluster' | 'resources';
  scannedAt: number;
  receivedAt: number;
  records: AsyncIterable<StagedRecord>;
  /** Runs in the upload's transaction once its findings are merged (exceptions, events). */
  afterMerge?: (db: Kysely<StoreSchema>, outcome: IngestOutcome, context: { firstOfSource: boolean }) => Promise<void>;
}

export interface IngestOutcome {
  /** The same upload was applied before: nothing changed, this is its earlier outcome. */
  duplicate: boolean;
  /** A newer scan of the same cluster and source was applied already: recorded, history unchanged. */
  stale: boolean;
  /** Findings sent; findings with the same identity (rule, object, field) count once in `findings`. */
  received: number;
  /** Another tool's findings that one of ours already reports (same rule, same object): not kept twice. */
  duplicates: number;
  findings: number;
  new: number;
  fixed: number;
  reopened: number;
}

interface Staging {
  kg_incoming: StagedFinding & { fingerprint: string };
  kg_scanned: ObjectKey;
  kg_held: { rule_id: string; kind: string; namespace: string; name: string };
}

type Trx = Transaction<StoreSchema & Staging>;

const BATCH = 500;

/** critical 4 … info 0, from the staged finding's severity (findings.severity_rank). */
const RANK = sql.raw(`CASE i."severity" WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`);

async function createStaging(trx: Trx, postgres: boolean): Promise<void> {
  const temp = (ddl: string) => sql.raw(`CREATE TEMP TABLE ${ddl}${postgres ? ' ON COMMIT DROP' : ''}`).execute(trx);
  await temp(`kg_incoming ("fingerprint" text PRIMARY KEY, "ruleId" text NOT NULL, "severity" text NOT NULL, "apiVersion" text NOT NULL, "kind" text NOT NULL, "namespace" text NOT NULL, "name" text NOT NULL, "path" text NOT NULL, "message" text NOT NULL, "excepted" text NOT NULL, "detail" text)`);
  await temp(`kg_scanned ("kind" text NOT NULL, "namespace" text NOT NULL, "name" text NOT NULL, PRIMARY KEY ("kind", "namespace", "name"))`);
  await temp(`kg_held ("rule_id" text NOT NULL, "kind" text NOT NULL, "namespace" text NOT NULL, "name" text NOT NULL)`);
}

async function dropStaging(trx: Trx): Promise<void> {
  for (const t of ['kg_incoming', 'kg_scanned', 'kg_held']) await sql.raw(`DROP TABLE IF EXISTS temp.${t}`).execute(trx);
}

/** Streams the records into the staging tables in batches; the number of findings received. */
async function stage(trx: Trx, records: AsyncIterable<StagedRecord>): Promise<number> {
  let received = 0;
  let findings: StagedFinding[] = [];
  let objects: ObjectKey[] = [];
  let holds: Staging['kg_held'][] = [];
  const flushFindings = async () => {
    if (findings.length) await trx.insertInto('kg_incoming').values(findings).onConflict((oc) => oc.doNothing()).execute();
    findings = [];
  };
  const flushObjects = async () => {
    if (objects.length) await trx.insertInto('kg_scanned').values(objects).onConflict((oc) => oc.doNothing()).execute();
    objects = [];
  };
  const flushHolds = async () => {
    if (holds.length) await trx.insertInto('kg_held').values(holds).execute();
    holds = [];
  };
  for await (const r of records) {
    if ('finding' in r) {
      received++;
      findings.push(r.finding);
      if (findings.length >= BATCH) await flushFindings();
    } else if ('object' in r) {
      objects.push(r.object);
      if (objects.length >= BATCH * 2) await flushObjects();
    } else {
      const o = r.held.object;
      holds.push({ rule_id: r.held.ruleId ?? '', kind: o?.kind ?? '', namespace: o?.namespace ?? '', name: o?.name ?? '' });
      if (holds.length >= BATCH * 2) await flushHolds();
    }
  }
  await flushFindings();
  await flushObjects();
  await flushHolds();
  return received;
}

/** The UTC day of an instant, as the trend tables key it. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The kubeguard source: other tools' results (imports) defer to its findings on the same rule and object. */
export const OWN_SOURCE = 'kubeguard';

/** Drops the duplicates of another tool's findings; the instants of the findings it deleted (their flow changes). */
async function dedupe(trx: Trx, scan: ScanToApply, touched: Set<number>): Promise<number> {
  const { cluster } = scan;
  const same = (alias: string) => sql.raw(`f.rule_id = ${alias}."${alias === 'kg_incoming' ? 'ruleId' : 'rule_id'}" AND f.kind = ${alias}."kind" AND f.namespace = ${alias}."namespace" AND f.name = ${alias}."name"`);
  const note = (rows: { first_seen: number; fixed_at: number | null }[]) => {
    for (const r of rows) {
      touched.add(Number(r.first_seen));
      if (r.fixed_at !== null) touched.add(Number(r.fixed_at));
    }
  };
  if (scan.source !== OWN_SOURCE) {
    const dropped = await sql`DELETE FROM kg_incoming WHERE EXISTS (SELECT 1 FROM findings f WHERE f.cluster = ${cluster} AND f.source = ${OWN_SOURCE} AND f.status <> 'fixed' AND ${same('kg_incoming')})`.execute(trx);
    note((await sql<{ first_seen: number; fixed_at: number | null }>`DELETE FROM findings WHERE cluster = ${cluster} AND source = ${scan.source} AND EXISTS (SELECT 1 FROM findings f WHERE f.cluster = ${cluster} AND f.source = ${OWN_SOURCE} AND f.status <> 'fixed' AND ${same('findings')}) RETURNING first_seen, fixed_at`.execute(trx)).rows);
    return Number(dropped.numAffectedRows ?? 0);
  }
  // ours arrived for a problem another tool reported first: ours stands for both
  note((await sql<{ first_seen: number; fixed_at: number | null }>`DELETE FROM findings WHERE cluster = ${cluster} AND source <> ${OWN_SOURCE} AND EXISTS (SELECT 1 FROM kg_incoming i WHERE i."ruleId" = findings.rule_id AND i."kind" = findings.kind AND i."namespace" = findings.namespace AND i."name" = findings.name) RETURNING first_seen, fixed_at`.execute(trx)).rows);
  return 0;
}

async function merge(trx: Trx, scan: ScanToApply, postgres: boolean): Promise<Omit<IngestOutcome, 'duplicate' | 'stale' | 'received'>> {
  const { cluster, scannedAt: t } = scan;
  const touched = new Set<number>([t]);
  const duplicates = await dedupe(trx, scan, touched);
  const incoming = Number((await trx.selectFrom('kg_incoming').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  // fixed before and seen again: a regression
  const reopened = await sql<{ last_fixed_at: number | null }>`
    UPDATE findings SET status = 'open', last_fixed_at = fixed_at, fixed_at = NULL, reopened_at = ${t}, reopen_count = reopen_count + 1
    WHERE cluster = ${cluster} AND status = 'fixed' AND fingerprint IN (SELECT fingerprint FROM kg_incoming) RETURNING last_fixed_at`.execute(trx);
  for (const r of reopened.rows) if (r.last_fixed_at !== null) touched.add(Number(r.last_fixed_at));

  // seen again: when (every row), and what the scanner says about it now (severity may follow config; its own
  // exceptions may hide it, or stop hiding it — server exceptions are applied after this), written only where it
  // differs: a column in SET rewrites the entries of every index holding it, and a re-scan mostly changes nothing
  await sql`UPDATE findings SET last_seen = ${t} WHERE cluster = ${cluster} AND fingerprint IN (SELECT fingerprint FROM kg_incoming)`.execute(trx);
  const status = sql`CASE WHEN i."excepted" <> '' THEN 'excepted' WHEN findings.exception_id IS NULL THEN 'open' ELSE findings.status END`;
  await sql`
    UPDATE findings SET severity = i."severity", severity_rank = ${RANK}, message = i."message", detail = i."detail", source = ${scan.source}, status = ${status}
    FROM kg_incoming i
    WHERE findings.cluster = ${cluster} AND findings.fingerprint = i."fingerprint"
      AND (findings.severity <> i."severity" OR findings.message <> i."message" OR findings.detail IS DISTINCT FROM i."detail" OR findings.source <> ${scan.source} OR findings.status <> ${status})`.execute(trx);

  const lastRowid = postgres ? 0 : Number((await sql<{ r: number | null }>`SELECT MAX(rowid) AS r FROM findings`.execute(trx)).rows[0]?.r ?? 0);
  const inserted = await sql`
    INSERT INTO findings (cluster, fingerprint, source, rule_id, severity, severity_rank, status, api_version, kind, namespace, name, path, message, detail, first_seen, last_seen, reopen_count)
    SELECT ${cluster}, i."fingerprint", ${scan.source}, i."ruleId", i."severity", ${RANK}, CASE WHEN i."excepted" <> '' THEN 'excepted' ELSE 'open' END, i."apiVersion", i."kind", i."namespace", i."name", i."path", i."message", i."detail", ${t}, ${t}, 0
    FROM kg_incoming i
    WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.cluster = ${cluster} AND f.fingerprint = i."fingerprint")`.execute(trx);
  // SQLite's search index (migration 0008) learns the new rows in one statement (rowids grow past the largest)
  if (!postgres) await sql`INSERT INTO findings_fts(rowid, name, namespace, rule_id, message) SELECT rowid, name, namespace, rule_id, message FROM findings WHERE rowid > ${lastRowid}`.execute(trx);

  // not seen: fixed, when the scan covered the object and nothing held the finding's state
  const inScope = scan.scope === 'cluster' ? sql`` : sql`AND EXISTS (SELECT 1 FROM kg_scanned s WHERE s."kind" = findings.kind AND s."namespace" = findings.namespace AND s."name" = findings.name)`;
  const fixed = await sql`
    UPDATE findings SET status = 'fixed', fixed_at = ${t}
    WHERE cluster = ${cluster} AND source = ${scan.source} AND status <> 'fixed'
      AND NOT EXISTS (SELECT 1 FROM kg_incoming i WHERE i."fingerprint" = findings.fingerprint)
      ${inScope}
      AND NOT EXISTS (SELECT 1 FROM kg_held h WHERE (h.rule_id = '' OR h.rule_id = findings.rule_id)
        AND (h.kind = '' OR (h.kind = findings.kind AND h.namespace = findings.namespace AND h.name = findings.name)))`.execute(trx);

  await recountFlow(trx as unknown as Kysely<StoreSchema>, cluster, touched);

  return { duplicates, findings: incoming, new: Number(inserted.numAffectedRows ?? 0), fixed: Number(fixed.numAffectedRows ?? 0), reopened: reopened.rows.length };
}

/**
 * The day's open counts of a cluster by rule and severity (what trends read), and a marker row (severity '')
 * saying the cluster was counted that day, with its total (an unfiltered trend reads only these): a group without a
 * row on a counted day had none open. And the cluster's open findings by namespace and severity as of now. Namespaces are
 * not a key here (thousands of them would make this table as large as the findings); a trend for some
 * namespaces is computed from the findings themselves (findings.ts, openTrend).
 */
export async function recountDay(trx: Kysely<StoreSchema>, cluster: string, day: string): Promise<void> {
  // every change the overview shows of a cluster passes here (uploads, exception decisions; retention bumps on its
  // own; a restore starts from an empty store, whose overview has no clusters)
  await bumpGeneration(trx, cluster);
  await trx.deleteFrom('daily_counts').where('cluster', '=', cluster).where('day', '=', day).execute();
  await sql`
    INSERT INTO daily_counts (cluster, day, namespace, rule_id, severity, open)
    SELECT cluster, ${day}, '', rule_id, severity, COUNT(*) FROM findings
    WHERE cluster = ${cluster} AND status = 'open' GROUP BY cluster, rule_id, severity`.execute(trx);
  await sql`
    INSERT INTO daily_counts (cluster, day, namespace, rule_id, severity, open)
    SELECT ${cluster}, ${day}, '', '', '', COALESCE(SUM(open), 0) FROM daily_counts WHERE cluster = ${cluster} AND day = ${day}`.execute(trx);
  await recountOpenByNamespace(trx, cluster);
}

/** The overview's open findings per namespace and severity, and its worst workloads, counted again from the findings: one cluster, or all. */
export async function recountOpenByNamespace(trx: Kysely<StoreSchema>, cluster?: string): Promise<void> {
  await (cluster === undefined ? trx.deleteFrom('open_by_namespace') : trx.deleteFrom('open_by_namespace').where('cluster', '=', cluster)).execute();
  await sql`
    INSERT INTO open_by_namespace (cluster, namespace, severity, open)
    SELECT cluster, namespace, severity, COUNT(*) FROM findings WHERE status = 'open' ${cluster === undefined ? sql`` : sql`AND cluster = ${cluster}`} GROUP BY cluster, namespace, severity`.execute(trx);
  await recountWorstWorkloads(trx, cluster);
}

/** The overview of these clusters (all when absent) changed: its cached answer is stale (migration 0017). */
export async function bumpGeneration(trx: Kysely<StoreSchema>, cluster?: string): Promise<void> {
  const q = trx.updateTable('clusters').set((e) => ({ generation: e('generation', '+', 1) }));
  await (cluster === undefined ? q : q.where('name', '=', cluster)).execute();
}

/**
 * Counts again, as of now, the open findings of some clusters (all when absent) after something other than an upload
 * changed them (an exception approved, revoked or expired): today, or the cluster's latest counted day if later.
 */
export async function recountNow(trx: Kysely<StoreSchema>, now: number, clusters?: string[]): Promise<void> {
  let q = trx.selectFrom('clusters').select(['name', (e) => e.selectFrom('daily_counts').select((d) => d.fn.max('day').as('d')).whereRef('daily_counts.cluster', '=', 'clusters.name').as('day')]);
  if (clusters?.length) q = q.where('name', 'in', clusters);
  const today = dayOf(now);
  for (const c of await q.execute()) await recountDay(trx, c.name, c.day !== null && c.day > today ? c.day : today);
}

class Duplicate extends Error {}

/** Applies an upload; a repeated one (same cluster and key) is rolled back and answers the earlier outcome. */
export async function applyScan(store: Store, scan: ScanToApply): Promise<IngestOutcome> {
  const postgres = store.dialect === 'postgres';
  try {
    return await store.db.transaction().execute(async (base) => {
      const trx = base as unknown as Trx;
      await trx.insertInto('clusters').values({ name: scan.cluster, created_at: scan.receivedAt, last_scans: '{}' }).onConflict((oc) => oc.column('name').doNothing()).execute();
      // one upload per cluster at a time (PostgreSQL; SQLite has one writer anyway)
      let q = trx.selectFrom('clusters').select('last_scans').where('name', '=', scan.cluster);
      if (postgres) q = q.forUpdate();
      const last = JSON.parse((await q.executeTakeFirstOrThrow()).last_scans) as Record<string, number>;

      let outcome: IngestOutcome;
      if ((last[scan.source] ?? -Infinity) > scan.scannedAt) {
        outcome = { duplicate: false, stale: true, received: 0, duplicates: 0, findings: 0, new: 0, fixed: 0, reopened: 0 };
        // still read to the end: a bad body is refused, not half-read
        for await (const r of scan.records) if ('finding' in r) outcome.received++;
      } else {
        await createStaging(trx, postgres);
        const received = await stage(trx, scan.records);
        outcome = { duplicate: false, stale: false, received, ...(await merge(trx, scan, postgres)) };
        if (!postgres) await dropStaging(trx);
        await scan.afterMerge?.(trx as unknown as Kysely<StoreSchema>, outcome, { firstOfSource: last[scan.source] === undefined });
        await recountDay(trx as unknown as Kysely<StoreSchema>, scan.cluster, dayOf(scan.scannedAt));
        last[scan.source] = scan.scannedAt;
        await trx.updateTable('clusters').set({ last_scans: JSON.stringify(last) }).where('name', '=', scan.cluster).execute();
      }
      const claimed = await trx
        .insertInto('uploads')
        .values({ cluster: scan.cluster, key: scan.key(), source: scan.source, scope: scan.scope, scanned_at: scan.scannedAt, received_at: scan.receivedAt, outcome: JSON.stringify(outcome) })
        .onConflict((oc) => oc.columns(['cluster', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) throw new Duplicate();
      return outcome;
    });
  } catch (e) {
    if (!(e instanceof Duplicate)) throw e;
    const earlier = await store.db.selectFrom('uploads').select('outcome').where('cluster', '=', scan.cluster).where('key', '=', scan.key()).executeTakeFirstOrThrow();
    return { ...(JSON.parse(earlier.outcome) as IngestOutcome), duplicate: true };
  }
}
