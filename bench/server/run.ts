/**
 * Central server bench (issue 19), on SQLite and on a real PostgreSQL (started here with initdb/pg_ctl), each with
 * the real server as its own process (`kubeguard serve`) and clients over HTTP:
 *   1. ingest: the findings of a 150,000-pod cluster scan (synthetic: 3,000 namespaces, the pod rules a real scan
 *      reports, about 3.4 findings a pod) uploaded with `sendUpload` (gzip NDJSON, as `scan --upload` does),
 *      applied as one transaction; rows/s against a bare bulk insert of the same rows into a plain table of the
 *      same database, measured in the same run;
 *   2. fill: 19 more clusters uploaded on several days (with churn: fixes, new findings, regressions) until the
 *      store holds about 1,000,000 findings across 20 clusters;
 *   3. queries under 10 concurrent clients (autocannon, 5 s each): findings lists with filters, a deep page,
 *      new-since, counts, trends, time to fix. Target: p99 under 100 ms each.
 *   node --import tsx bench/server/run.ts [--pods N] [--only sqlite|postgres] [--keep FILE] [--from FILE]
 * --keep FILE copies the filled SQLite store to FILE after the run; --from FILE runs only the queries (3.) on a copy
 * of such a file (SQLite), or --from postgres://… on a filled PostgreSQL database in place, so a change to the
 * queries is measured without ingesting a million findings again.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import type { Finding, Severity } from '../../src/core/model.js';
import { findingFingerprint } from '../../src/core/fingerprint.js';
import { openStore } from '../../src/sources/store/open.js';
import type { Store } from '../../src/sources/store/open.js';
import { uploadLines } from '../../src/sources/upload/format.js';
import { sendUpload } from '../../src/sources/upload/client.js';
import { createApiToken } from '../../src/usecases/access/tokens.js';
import { postgresUnavailable, startTestPostgres } from '../../src/sources/store/test-support/postgres.js';
import { rng } from '../support/rng.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const arg = (n: string) => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined);
const PODS = Number(arg('--pods') ?? 150_000);
const FROM = arg('--from');
const KEEP = arg('--keep');
const ONLY = FROM ? 'sqlite' : arg('--only');
const NAMESPACES = 3000;
/** Findings the store holds for the query phase: 1,000,000 at full scale (scaled with --pods). */
const TARGET_TOTAL = Math.round(1_000_000 * (PODS / 150_000));

/** Pod rules a real scan reports on an unhardened pod, with how often (from the examples and realworld scans). */
const POD_RULES: [string, Severity, string, number][] = [
  ['pss-run-as-non-root', 'medium', '/spec/containers/0/securityContext/runAsNonRoot', 0.75],
  ['pss-allow-privilege-escalation', 'medium', '/spec/containers/0/securityContext/allowPrivilegeEscalation', 0.7],
  ['pss-capabilities-restricted', 'medium', '/spec/containers/0/securityContext/capabilities/drop', 0.65],
  ['pss-seccomp-profile-restricted', 'medium', '/spec/securityContext/seccompProfile', 0.6],
  ['memory-limit-missing', 'low', '/spec/containers/0/resources/limits', 0.3],
  ['image-tag-latest', 'medium', '/spec/containers/0/image', 0.1],
  ['pss-privileged', 'critical', '/spec/containers/0/securityContext/privileged', 0.01],
  ['pss-host-path-volumes', 'high', '/spec/volumes/0/hostPath', 0.02],
  ['read-only-root-filesystem', 'low', '/spec/containers/0/securityContext/readOnlyRootFilesystem', 0.27],
];

/**
 * A cluster's findings; with `churn`, a later scan of the same cluster where that share of them is fixed (its own
 * random draw, so everything else is the same findings again — drawing it from the cluster's stream would make
 * every later scan a different cluster, mostly new findings and fixes).
 */
function* podFindings(pods: number, seed: number, churn = 0, churnSeed = seed): Generator<Finding> {
  const r = rng(seed);
  const fixedNow = rng(churnSeed * 7919 + 1);
  for (let p = 0; p < pods; p++) {
    const namespace = `ns-${p % NAMESPACES}`;
    const resource = { apiVersion: 'v1', kind: 'Pod', namespace, name: `app-${p}-7f9c4d8b6-${(p * 7919).toString(36).slice(-5)}` };
    for (const [ruleId, severity, path, p0] of POD_RULES) {
      if (r() >= p0) continue;
      if (churn && fixedNow() < churn) continue; // fixed in this scan
      yield { ruleId, severity, message: `${ruleId} on ${resource.name}`, resource, path };
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startServer(database: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'run.ts'), 'serve', '--port', String(port), '--database', database, '--log-level', 'silent', '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { child, url };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

/** The baseline: the same rows, inserted as plainly as the database allows (one transaction, multi-row inserts). */
async function bareInsert(store: Store, findings: Iterable<Finding>): Promise<{ rows: number; ms: number }> {
  await sql`DROP TABLE IF EXISTS bench_bare`.execute(store.db);
  await sql`CREATE TABLE bench_bare (cluster text NOT NULL, fingerprint text NOT NULL, source text NOT NULL, rule_id text NOT NULL, severity text NOT NULL, status text NOT NULL, api_version text NOT NULL, kind text NOT NULL, namespace text NOT NULL, name text NOT NULL, path text NOT NULL, message text NOT NULL, first_seen bigint NOT NULL, last_seen bigint NOT NULL, PRIMARY KEY (cluster, fingerprint))`.execute(store.db);
  const t0 = performance.now();
  let rows = 0;
  await store.db.transaction().execute(async (trx) => {
    let batch: unknown[] = [];
    const flush = async () => {
      if (batch.length) await trx.insertInto('bench_bare' as never).values(batch as never).onConflict((oc) => oc.doNothing()).execute();
      batch = [];
    };
    const now = Date.now();
    for (const f of findings) {
      rows++;
      batch.push({ cluster: 'bare', fingerprint: findingFingerprint(f.ruleId, f.resource, f.path), source: 'kubeguard', rule_id: f.ruleId, severity: f.severity, status: 'open', api_version: f.resource.apiVersion, kind: f.resource.kind, namespace: f.resource.namespace ?? '', name: f.resource.name, path: f.path, message: f.message, first_seen: now, last_seen: now });
      if (batch.length >= 500) await flush();
    }
    await flush();
  });
  const ms = performance.now() - t0;
  await sql`DROP TABLE bench_bare`.execute(store.db);
  return { rows, ms };
}

async function upload(url: string, token: string, cluster: string, scannedAt: Date, findings: () => Iterable<Finding>): Promise<{ ms: number; outcome: Record<string, unknown> }> {
  const t0 = performance.now();
  const outcome = await sendUpload({ url, token, attempts: 1, lines: () => uploadLines({ cluster, source: 'kubeguard', scope: 'cluster', scannedAt: scannedAt.toISOString() }, [], findings(), []) });
  return { ms: performance.now() - t0, outcome };
}

interface QueryResult {
  name: string;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function load(name: string, url: string, token: string): Promise<QueryResult> {
  const r = await autocannon({ url, connections: 10, duration: 5, headers: { authorization: `Bearer ${token}` } });
  // a request that did not complete within autocannon's timeout is an error, never a fast answer
  return { name, p50: r.latency.p50, p99: r.latency.p99, rps: Math.round(r.requests.average), errors: r.errors + r.timeouts + r.non2xx + (r.requests.total === 0 ? 1 : 0) };
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function benchOne(dialect: 'sqlite' | 'postgres', database: string): Promise<void> {
  console.log(`\n-- ${dialect}`);
  const admin = await openStore(database);
  const uploader = (await createApiToken(admin, { role: 'uploader', now: new Date() })).token;
  const viewer = (await createApiToken(admin, { role: 'viewer', now: new Date() })).token;
  const bigFindings = () => podFindings(PODS, 1);
  const day = (d: number) => new Date(Date.UTC(2026, 5, 1 + d, 10));
  const bare = FROM ? undefined : await bareInsert(admin, bigFindings());
  const { child, url } = await startServer(database);
  try {
    if (bare) {
      let bigCount = 0;
      for (const _ of bigFindings()) bigCount++;
      const ingest = await upload(url, uploader, 'c00', day(0), bigFindings);
      const ingestRate = bigCount / (ingest.ms / 1000);
      const bareRate = bare.rows / (bare.ms / 1000);
      console.log(`ingest: ${fmt(PODS)} pods, ${fmt(bigCount)} findings in ${(ingest.ms / 1000).toFixed(1)} s = ${fmt(ingestRate)} rows/s; bare bulk insert ${fmt(bareRate)} rows/s; ratio ${(ingestRate / bareRate).toFixed(2)}`);

      // fill to about 1,000,000 findings across 20 clusters, over several days with churn
      const perCluster = Math.max(1, Math.round((TARGET_TOTAL - bigCount) / 19 / 3.4));
      const tf = performance.now();
      for (let c = 1; c < 20; c++) {
        const cluster = `c${String(c).padStart(2, '0')}`;
        await upload(url, uploader, cluster, day(1), () => podFindings(perCluster, 100 + c));
        await upload(url, uploader, cluster, day(3), () => podFindings(perCluster, 100 + c, 0.1, 3));
        await upload(url, uploader, cluster, day(6), () => podFindings(perCluster, 100 + c, 0.05, 6)); // some of day 3's fixes return
      }
      console.log(`fill: 19 clusters × 3 scans (target ${fmt(TARGET_TOTAL)}) in ${((performance.now() - tf) / 1000).toFixed(1)} s`);
    }
    const total = Number((await admin.db.selectFrom('findings').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    console.log(`store holds ${fmt(total)} findings${FROM ? ` (${FROM.startsWith('postgres://') ? 'in place: ' : 'a copy of '}${FROM})` : ''}`);
    if (dialect === 'postgres') await sql`ANALYZE`.execute(admin.db);

    const mid = await fetch(`${url}/api/v1/findings?ruleId=pss-run-as-non-root&status=open&limit=1000`, { headers: { authorization: `Bearer ${viewer}` } });
    const next = ((await mid.json()) as { next: string }).next;
    const api = `${url}/api/v1`;
    const queries: [string, string][] = [
      ['findings: cluster + severity + status', `${api}/findings?cluster=c07&severity=critical,high&status=open&limit=100`],
      ['findings: namespace (big cluster)', `${api}/findings?cluster=c00&namespace=ns-1234&limit=100`],
      ['findings: rule, deep page', `${api}/findings?ruleId=pss-run-as-non-root&status=open&limit=100&next=${next}`],
      ['findings: new since', `${api}/findings?since=${day(6).toISOString()}&limit=100`],
      ['findings: fixed, one cluster', `${api}/findings?cluster=c03&status=fixed&limit=100`],
      ['trends: one cluster, 30 days', `${api}/trends?cluster=c07&from=${day(-20).toISOString()}&to=${day(9).toISOString()}`],
      ['trends: all clusters, 30 days', `${api}/trends?from=${day(-20).toISOString()}&to=${day(9).toISOString()}`],
      ['counts: by severity, one cluster', `${api}/findings/counts?by=severity&cluster=c07&status=open`],
      ['time to fix: one cluster', `${api}/time-to-fix?cluster=c07&from=${day(-20).toISOString()}&to=${day(9).toISOString()}`],
    ];
    // baselines in the same run: the server answering without the database, and an authenticated trivial query
    const floor = [await load('baseline: /healthz (no auth, no database)', `${url}/healthz`, viewer), await load('baseline: token check + one-row query', `${api}/exceptions?limit=1`, viewer)];
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    console.log('query (10 clients, 5 s)                        p50 ms   p99 ms   req/s  errors  p99 < 100 ms  p99 ÷ token-check p99');
    const row = (r: QueryResult) => `${r.name.padEnd(48)}${String(r.p50).padStart(6)}${String(r.p99).padStart(9)}${String(r.rps).padStart(8)}${String(r.errors).padStart(8)}  ${(r.p99 < 100 && r.errors === 0 ? 'yes' : 'NO').padEnd(14)}${(r.p99 / Math.max(1, floor[1].p99)).toFixed(1)}`;
    for (const r of floor) console.log(row(r));
    for (const [name, q] of queries) console.log(row(await load(name, q, viewer)));
  } finally {
    child.kill('SIGTERM');
    await once(child, 'close');
    await admin.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'kubeguard-bench-server-'));
try {
  if (FROM?.startsWith('postgres://')) {
    // the query phase on a filled PostgreSQL database, used in place (its migrations run, tokens are added)
    await benchOne('postgres', FROM);
  } else if (ONLY !== 'postgres') {
    const file = join(dir, 'server.db');
    if (FROM) copyFileSync(FROM, file);
    await benchOne('sqlite', file);
    if (KEEP) copyFileSync(file, KEEP);
  }
  if (ONLY !== 'sqlite' && !FROM) {
    const why = postgresUnavailable();
    if (why) console.log(`\n-- postgres: skipped (${why})`);
    else {
      const pg = await startTestPostgres();
      try {
        await benchOne('postgres', await pg.createDatabase());
      } finally {
        pg.destroy();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
