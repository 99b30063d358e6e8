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
 * page loaded `--runs` times (default 7) after one warm-up, median and worst reported. The server keeps the
 * overview's answer until the store changes: 'overview (first load after an upload)' uploads a small scan (a new
 * cluster) before each load, so it measures the overview counted from the store.
 * Filling 1M findings takes minutes: `--seed DIR` keeps each filled store there (dashboard-<n>-<last migration>-fill<version>.db, made
 * once, migrated and filled, no token) and copies it per run; a new migration makes a new file.
 *   node --import tsx bench/dashboard/run.ts [--findings 1000000] [--runs 7] [--seed DIR]
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildDashboard, CHROMIUM, launch } from '../../web/e2e/support.js';
import { kubeguard, kubeguardDaemon } from '../../src/cli/test-support/run-cli.js';
import { fill, FILL_VERSION } from './fill.js';
import { sendUpload } from '../../src/sources/upload/client.js';
import { finding, pod, uploadText } from '../../src/sources/upload/test-support/uploads.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FINDINGS = arg('findings', 1_000_000);
const BASELINE = 1_000;
const RUNS = arg('runs', 7);
const SEED = process.argv.includes('--seed') ? process.argv[process.argv.indexOf('--seed') + 1] : undefined;

/**
 * A migrated store filled with n findings: from the seed directory when one is there (else made and kept there). A
 * seed of an older schema (same n and fill) is copied and migrated as a server would migrate it, and kept too.
 */
function filledStore(n: number, database: string): number {
  if (!SEED) return fill(migrated(database), n);
  const migrations = readdirSync(new URL('../../src/sources/store/migrations/', import.meta.url)).filter((f) => /^\d{4}-/.test(f)).sort();
  const name = (last: string) => `dashboard-${n}-${last}-fill${FILL_VERSION}.db`;
  const seeded = join(SEED, name(migrations.at(-1)!.replace(/\.ts$/, '')));
  if (!existsSync(seeded)) {
    const partial = `${seeded}.partial-${process.pid}`;
    const older = readdirSync(SEED).filter((f) => f.startsWith(`dashboard-${n}-`) && f.endsWith(`-fill${FILL_VERSION}.db`)).sort().at(-1);
    if (older) copyFileSync(join(SEED, older), partial);
    else fill(migrated(partial), n);
    renameSync(migrated(partial), seeded);
  }
  copyFileSync(seeded, database);
  return n;
}

/** The store at the current schema (the CLI migrates on open). */
function migrated(database: string): string {
  const r = kubeguard(['server', 'token', 'list', '--database', database]);
  if (r.code !== 0) throw new Error(r.stderr);
  return database;
}

interface PageCase {
  name: string;
  path: string;
  /** The page's data is on screen. */
  ready: (page: Page) => Promise<unknown>;
  /** Before each load (not timed). */
  before?: (url: string, uploader: string, run: number) => Promise<unknown>;
}

/** A small upload for a cluster of its own: the store changed, so the server's kept overview is counted again. */
const uploadSmall = (url: string, token: string, run: number) =>
  sendUpload({ url, token, attempts: 1, lines: () => [uploadText({ cluster: `bench-upload-${run}`, scannedAt: new Date().toISOString(), findings: [finding('bench-rule-00', pod('web', 'ns-000'))] })] });

const rows = (page: Page) => page.locator('table.findings tbody tr').first().waitFor();
const overviewReady = (p: Page) => Promise.all([p.locator('.uplot canvas').first().waitFor(), p.getByRole('rowheader', { name: 'cluster-00' }).waitFor(), ...['rules', 'namespaces'].map((id) => p.locator(`section[aria-labelledby="${id}-h"] tbody tr`).first().waitFor())]);
const CASES: PageCase[] = [
  { name: 'overview', path: '/', ready: overviewReady },
  { name: 'overview (first load after an upload)', path: '/', ready: overviewReady, before: uploadSmall },
  { name: 'findings (open, worst first)', path: '/findings?status=open&sort=severity', ready: (p) => Promise.all([rows(p), p.getByText(/findings match/).waitFor()]) },
  { name: 'findings (cluster + namespace + severity)', path: '/findings?cluster=cluster-00&namespace=ns-003&severity=high,critical', ready: rows },
  { name: 'findings (search)', path: '/findings?q=workload-00042', ready: rows },
  { name: 'findings (newest first)', path: '/findings?sort=-firstSeen', ready: rows },
  { name: 'workload', path: '/workloads/cluster-00/ns-003/Deployment/workload-00003', ready: rows },
];

async function measure(url: string, token: string, uploader: string, page: Page): Promise<Map<string, number[]>> {
  await page.goto(`${url}/login`);
  await page.getByText('Use an API token instead').click();
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
  const out = new Map<string, number[]>();
  for (const c of CASES) {
    const times: number[] = [];
    for (let r = 0; r <= RUNS; r++) {
      await c.before?.(url, uploader, r);
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
    const count = filledStore(n, database);
    const t = kubeguard(['server', 'token', 'create', '--role', 'viewer', '--name', 'bench', '--database', database]);
    const u = kubeguard(['server', 'token', 'create', '--role', 'uploader', '--name', 'bench-uploader', '--database', database]);
    if (t.code !== 0 || u.code !== 0) throw new Error(t.stderr + u.stderr);
    const d = await kubeguardDaemon(['serve', '--port', '0', '--database', database, '--dashboard', dashboard, '--log-level', 'warn'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      return { count, times: await measure(d.match[1], t.stdout.trim(), u.stdout.trim(), page) };
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
