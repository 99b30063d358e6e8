/**
 * The dashboard as users meet it: built by Vite into a temporary directory, served by a real `kubeguard serve`
 * process over a fresh store, seeded by a real `kubeguard scan … --upload`, driven in Debian's Chromium through
 * playwright-core (never a downloaded browser). Screenshots go to .artifacts/dashboard/ (git-ignored).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { kubeguard, kubeguardAsync, kubeguardDaemon } from '../../src/cli/test-support/run-cli.js';
import { REPO_ROOT } from '../../src/test-support/conformance.js';
import { deploy, workloadFindings } from '../../src/server/test-support/vulnerabilities.js';
import { uploadText } from '../../src/sources/upload/test-support/uploads.js';
import { sendUpload } from '../../src/sources/upload/client.js';
import { uploadLines } from '../../src/sources/upload/format.js';
import { inventoryRecords } from '../../src/usecases/history/inventory.js';
import { CRITICAL_FIXED, shopScene } from '../../src/analysis/paths/test-support/scenes.js';
import { BASELINE_API_VERSION } from '../../src/analysis/runtime/baseline.js';
import { formatBaseline } from '../../src/sources/events/baseline-file.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, '.artifacts', 'dashboard');

/** Why the browser tests cannot run here, or undefined. Under CI=true a missing browser is a failure, not a skip. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} is missing (scripts/setup.d/chromium.sh installs Debian's chromium)`;
  if (process.env.CI === 'true') throw new Error(why);
  return why;
}

/** Builds the dashboard with the project's own Vite config into a temporary directory. */
export async function buildDashboard(outDir: string): Promise<void> {
  await build({ configFile: join(REPO_ROOT, 'web', 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

export interface Served {
  url: string;
  dir: string;
  database: string;
  tokens: Record<'admin' | 'approver' | 'viewer' | 'uploader', string>;
  close(): Promise<void>;
}

export async function serveDashboard(): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-dashboard-'));
  const database = join(dir, 'server.db');
  await buildDashboard(join(dir, 'dashboard'));
  const tokens = {} as Served['tokens'];
  for (const role of ['admin', 'approver', 'viewer', 'uploader'] as const) {
    const r = kubeguard(['server', 'token', 'create', '--role', role, '--name', `${role}-e2e`, '--database', database]);
    if (r.code !== 0) throw new Error(r.stderr);
    tokens[role] = r.stdout.trim();
  }
  const d = await kubeguardDaemon(['serve', '--port', '0', '--database', database, '--dashboard', join(dir, 'dashboard'), '--log-level', 'warn'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const child: ChildProcess = d.child;
  const url = d.match[1];
  return {
    url,
    dir,
    database,
    tokens,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'close');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Uploads a real scan of the project's examples as cluster `name`. */
export async function seedScan(s: Served, name: string, paths = ['examples/']): Promise<void> {
  const r = await kubeguardAsync(['scan', ...paths, '-o', 'json', '--upload', s.url, '--token', s.tokens.uploader, '--cluster-name', name]);
  if (!/uploaded to /.test(r.stderr)) throw new Error(`the seed upload failed: ${r.stderr}`);
}

/** Uploads what `scan --images` reports for two workloads of cluster `name` (one behind a LoadBalancer). */
export async function seedVulnerabilities(s: Served, name: string): Promise<void> {
  const objects = [
    deploy('storefront', 'registry.example/web:1', { app: 'storefront' }),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'storefront', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'storefront' } } },
    deploy('batch', 'registry.example/batch:2', { app: 'batch' }),
  ];
  const body = uploadText({ cluster: name, scannedAt: new Date().toISOString(), findings: workloadFindings(objects) });
  await sendUpload({ url: s.url, token: s.tokens.uploader, lines: () => [body], attempts: 1 });
}

/** A real `kubeguard scan --snapshot … --upload` of the shop scene as cluster `name` (findings, inventory, compliance). */
export async function seedSnapshotScan(s: Served, name: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeguard-e2e-snap-'));
  try {
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: shopScene() }));
    const r = await kubeguardAsync(['scan', '--snapshot', file, '-o', 'json', '--upload', s.url, '--token', s.tokens.uploader, '--cluster-name', name]);
    if (!/uploaded to /.test(r.stderr)) throw new Error(`the snapshot upload failed: ${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Uploads a whole-cluster scan of cluster `name` with its network and attack paths, built by the same code as
 * `scan --cluster --images --upload`, of the paths tests' shop scene (its web image with a fixed critical CVE).
 */
export async function seedGraphs(s: Served, name: string): Promise<void> {
  const objects = shopScene();
  const inventory = [...inventoryRecords(objects, new Map([['shop/web:1.0', CRITICAL_FIXED]]))];
  await sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster: name, source: 'kubeguard', scope: 'cluster', scannedAt: new Date().toISOString() }, [], [], [], [], inventory) });
}

/** Uploads a runtime baseline of cluster `name` (the shop scene's web, api and db; other/client seen reaching db). */
export async function seedBaseline(s: Served, name: string): Promise<void> {
  const c = (x: Record<string, string[]>) => ({ processes: [], egress: [], ingress: [], dns: [], http: [], ...x });
  const text = formatBaseline({
    apiVersion: BASELINE_API_VERSION,
    kind: 'RuntimeBaseline',
    locked: true,
    learned: { from: '2026-06-01T00:00:00Z', until: '2026-06-01T23:00:00Z', events: 1234 },
    workloads: [
      { namespace: 'shop', workload: 'web', kind: 'Deployment', containers: { web: c({ processes: ['/usr/bin/node server.js'], egress: ['shop/api:9000/TCP', 'api.stripe.com:443/TCP'], dns: ['api.stripe.com'] }) } },
      { namespace: 'shop', workload: 'db', containers: { db: c({ ingress: ['shop/api:5432/TCP', 'other/client:5432/TCP'] }) } },
    ],
  });
  const r = await fetch(`${s.url}/api/v1/baselines?cluster=${name}`, { method: 'PUT', headers: { authorization: `Bearer ${s.tokens.uploader}`, 'content-type': 'application/yaml' }, body: text });
  if (r.status !== 200) throw new Error(`the baseline upload failed: ${r.status}`);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium with the flags this machine needs (no background networking) and a fresh profile. */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects what the page reported wrong: script errors, failed requests' console lines, CSP violations. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's WCAG 2.1 A/AA checks on the page as it is; the serious and critical violations. The engine is
 * evaluated through the DevTools protocol, so the page's CSP (no inline scripts) stays in force.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
