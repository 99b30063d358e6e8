/**
 * bench/dashboard: how long the dashboard's pages take in a real browser (Debian's Chromium through playwright-core)
 * against a real `kubeguard serve`, with 1,000,000 findings in the store (issue 20: "page loads under 1 s with
 * 1,000,000 findings"), and the same pages against a store of 1,000 findings measured in the same run (the baseline:
 * the ratio is what the size of the store costs).
 *
 * The stores are filled by SQL (a recursive CTE into the server's own schema, made by its migrations), not over
 * HTTP: ingest speed is bench/server's subject; here only the reading side is measured. 20 clusters, 500
 * namespaces, 50,000 workloads, 60 rules, severities and statuses in realistic proportions, 30 days of history.
 *
 * A page load: from navigation start until the page's data is on screen (table rows, chart canvas, counts); each
 * page loaded `--runs` times (default 7) after one warm-up, median and worst reported.
 *   node --import tsx bench/dashboard/run.ts [--findings 1000000] [--runs 7]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { buildDashboard, CHROMIUM, launch } from '../../web/e2e/support.js';
import { kubeguard, kubeguardDaemon } from '../../src/cli/test-support/run-cli.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FINDINGS = arg('findings', 1_000_000);
const BASELINE = 1_000;
const RUNS = arg('runs', 7);
const DAY = 86_400_000;

const RULES = Array.from({ length: 60 }, (_, i) => `bench-rule-${String(i).padStart(2, '0')}`);

/** Fills a migrated store with `n` findings by SQL. */
function fill(database: string, n: number): number {
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  const db = new Sqlite(database);
  const t0 = performance.now();
  const now = Date.now();
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec('BEGIN');
  const clusters = Math.min(20, Math.ceil(n / 50_000));
  const insCluster = db.prepare(`INSERT INTO clusters (name, created_at, last_scans) VALUES (?, ?, ?)`);
  for (let c = 0; c < clusters; c++) insCluster.run(`cluster-${String(c).padStart(2, '0')}`, now - 40 * DAY, JSON.stringify({ kubeguard: now - 3_600_000 }));
  db.exec('CREATE TEMP TABLE rules (r INTEGER PRIMARY KEY, id TEXT)');
  const insRule = db.prepare('INSERT INTO rules (r, id) VALUES (?, ?)');
  RULES.forEach((r, i) => insRule.run(i, r));
  // i → workload i / 20 (20 findings each; kind and namespace by workload), cluster per 50,000 findings, rule i % 60,
  // severities skewed towards medium and low
  db.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < @n)
     INSERT INTO findings (cluster, fingerprint, source, rule_id, severity, status, api_version, kind, namespace, name, path, message,
                           first_seen, last_seen, fixed_at, reopened_at, reopen_count, exception_id, detail, severity_rank)
     SELECT printf('cluster-%02d', (i / 50000) % 20), printf('%016x%016x', i * 2654435761, i), 'kubeguard', rules.id,
            sev.name, CASE WHEN i % 20 = 7 THEN 'fixed' WHEN i % 50 = 3 THEN 'excepted' ELSE 'open' END,
            'apps/v1', CASE (i / 20) % 3 WHEN 0 THEN 'Deployment' WHEN 1 THEN 'StatefulSet' ELSE 'DaemonSet' END,
            printf('ns-%03d', (i / 20) % 500), printf('workload-%05d', (i / 20) % 50000),
            printf('/spec/template/spec/containers/%d/securityContext', i % 4),
            printf('container %d of workload-%05d breaks %s', i % 4, (i / 20) % 50000, rules.id),
            @now - (i % 30) * 86400000 - (i % 86400) * 1000, @now - 3600000,
            CASE WHEN i % 20 = 7 THEN @now - (i % 10) * 86400000 END, NULL, 0, NULL,
            json_object('location', json_object('file', printf('deploy/ns-%03d/workload.yaml', (i / 20) % 500), 'line', 10 + i % 40), 'remediation', 'Set securityContext.privileged to false.'),
            sev.rank
     FROM seq JOIN rules ON rules.r = seq.i % 60
     JOIN (SELECT 'critical' AS name, 4 AS rank, 0 AS k UNION ALL SELECT 'high', 3, 1 UNION ALL SELECT 'medium', 2, 2 UNION ALL SELECT 'medium', 2, 3
           UNION ALL SELECT 'low', 1, 4 UNION ALL SELECT 'low', 1, 5 UNION ALL SELECT 'high', 3, 6 UNION ALL SELECT 'info', 0, 7) AS sev ON sev.k = (seq.i / 60) % 8`,
  ).run({ n, now });
  // the open count per day, cluster, rule and severity, and the day's marker row, as the server keeps them (store/ingest.ts recountDay)
  db.prepare(
    `WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 29)
     INSERT INTO daily_counts (cluster, day, namespace, rule_id, severity, open)
     SELECT name, date(@now / 1000 - d.k * 86400, 'unixepoch'), '', '', '', 0 FROM d, clusters`,
  ).run({ now });
  db.prepare(
    `WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 29)
     INSERT INTO daily_counts (cluster, day, namespace, rule_id, severity, open)
     SELECT f.cluster, date(@now / 1000 - d.k * 86400, 'unixepoch'), '', f.rule_id, f.severity, f.c + d.k * 3
     FROM d, (SELECT cluster, rule_id, severity, count(*) AS c FROM findings WHERE status = 'open' GROUP BY cluster, rule_id, severity) AS f`,
  ).run({ now });
  db.exec('COMMIT');
  db.pragma('optimize');
  db.exec('ANALYZE');
  const count = (db.prepare('SELECT count(*) AS c FROM findings').get() as { c: number }).c;
  db.close();
  console.log(`filled ${count.toLocaleString('en')} findings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return count;
}

interface PageCase {
  name: string;
  path: string;
  /** The page's data is on screen. */
  ready: (page: Page) => Promise<unknown>;
}

const rows = (page: Page) => page.locator('table.findings tbody tr').first().waitFor();
const CASES: PageCase[] = [
  {
    name: 'overview',
    path: '/',
    ready: (p) => Promise.all([p.locator('.uplot canvas').first().waitFor(), p.getByRole('rowheader', { name: 'cluster-00' }).waitFor(), ...['rules', 'namespaces'].map((id) => p.locator(`section[aria-labelledby="${id}-h"] tbody tr`).first().waitFor())]),
  },
  { name: 'findings (open, worst first)', path: '/findings?status=open&sort=severity', ready: (p) => Promise.all([rows(p), p.getByText(/findings match/).waitFor()]) },
  { name: 'findings (cluster + namespace + severity)', path: '/findings?cluster=cluster-00&namespace=ns-003&severity=high,critical', ready: rows },
  { name: 'findings (search)', path: '/findings?q=workload-00042', ready: rows },
  { name: 'findings (newest first)', path: '/findings?sort=-firstSeen', ready: rows },
  { name: 'workload', path: '/workloads/cluster-00/ns-003/Deployment/workload-00003', ready: rows },
];

async function measure(url: string, token: string, page: Page): Promise<Map<string, number[]>> {
  await page.goto(`${url}/login`);
  await page.getByText('Use an API token instead').click();
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
  const out = new Map<string, number[]>();
  for (const c of CASES) {
    const times: number[] = [];
    for (let r = 0; r <= RUNS; r++) {
      const t0 = performance.now();
      await page.goto(`${url}${c.path}`);
      await c.ready(page);
      if (r > 0) times.push(performance.now() - t0);
    }
    out.set(c.name, times.sort((a, b) => a - b));
  }
  return out;
}

async function serveWith(n: number, dashboard: string, page: Page): Promise<{ count: number; times: Map<string, number[]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-dashboard-'));
  try {
    const database = join(dir, 'server.db');
    const t = kubeguard(['server', 'token', 'create', '--role', 'viewer', '--name', 'bench', '--database', database]);
    if (t.code !== 0) throw new Error(t.stderr);
    const count = fill(database, n);
    const d = await kubeguardDaemon(['serve', '--port', '0', '--database', database, '--dashboard', dashboard, '--log-level', 'warn'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      return { count, times: await measure(d.match[1], t.stdout.trim(), page) };
    } finally {
      d.child.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: number) => `${Math.round(x)} ms`;
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];

const work = mkdtempSync(join(tmpdir(), 'kg-bench-dashboard-build-'));
const browser = await launch();
try {
  console.log(`Chromium ${CHROMIUM}; ${RUNS} loads per page after a warm-up`);
  await buildDashboard(join(work, 'dashboard'));
  const page = await browser.context.newPage();
  const base = await serveWith(BASELINE, join(work, 'dashboard'), page);
  const big = await serveWith(FINDINGS, join(work, 'dashboard'), page);
  console.log(`\n${'page'.padEnd(44)} ${`${base.count.toLocaleString('en')} findings`.padStart(18)} ${`${big.count.toLocaleString('en')} findings`.padStart(22)}  ratio   worst`);
  for (const c of CASES) {
    const b = base.times.get(c.name)!;
    const g = big.times.get(c.name)!;
    console.log(`${c.name.padEnd(44)} ${ms(median(b)).padStart(18)} ${ms(median(g)).padStart(22)}  ${(median(g) / median(b)).toFixed(2).padStart(5)}  ${ms(g[g.length - 1]).padStart(7)}`);
  }
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
