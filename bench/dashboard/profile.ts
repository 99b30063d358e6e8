/**
 * Where an overview load spends its time (for bench/dashboard's slowest page): serves a copy of a seeded store,
 * loads the overview `--runs` times in Chromium and prints, per load, navigation → ready and each request's
 * start/end (Resource Timing) relative to navigation start, plus the server's own time per API call.
 * With --after-upload, each load follows a small upload (a new cluster): the overview is counted, not kept.
 *   node --import tsx bench/dashboard/profile.ts --store FILE [--path /] [--runs 3] [--after-upload]
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboard, launch } from '../../web/e2e/support.js';
import { kubeguard, kubeguardDaemon } from '../../src/cli/test-support/run-cli.js';
import { sendUpload } from '../../src/sources/upload/client.js';
import { finding, pod, uploadText } from '../../src/sources/upload/test-support/uploads.js';

const opt = (name: string, dflt?: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt);
const store = opt('store')!;
const path = opt('path', '/')!;
const runs = Number(opt('runs', '3'));
const dir = mkdtempSync(join(tmpdir(), 'kg-profile-'));
const database = join(dir, 'server.db');
copyFileSync(store, database);
const t = kubeguard(['server', 'token', 'create', '--role', 'viewer', '--name', 'p', '--database', database]);
const token = t.stdout.trim();
const uploader = kubeguard(['server', 'token', 'create', '--role', 'uploader', '--name', 'u', '--database', database]).stdout.trim();
const afterUpload = process.argv.includes('--after-upload');
await buildDashboard(join(dir, 'dashboard'));
const d = await kubeguardDaemon(['serve', '--port', '0', '--database', database, '--dashboard', join(dir, 'dashboard'), '--log-level', 'warn'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
const url = d.match[1];
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(`${url}/login`);
  await page.getByText('Use an API token instead').click();
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Risk by cluster' }).waitFor();
  for (let r = 0; r < runs; r++) {
    if (afterUpload) {
      const s0 = performance.now();
      await sendUpload({ url, token: uploader, attempts: 1, lines: () => [uploadText({ cluster: `profile-upload-${r}`, scannedAt: new Date().toISOString(), findings: [finding('bench-rule-00', pod('web', 'ns-000'))] })] });
      console.log(`\nupload ${Math.round(performance.now() - s0)} ms`);
    }
    const t0 = performance.now();
    await page.goto(`${url}${path}`);
    await Promise.all([page.locator('.uplot canvas').first().waitFor(), page.getByRole('rowheader', { name: 'cluster-00' }).waitFor(), ...['rules', 'namespaces'].map((id) => page.locator(`section[aria-labelledby="${id}-h"] tbody tr`).first().waitFor())]);
    const total = performance.now() - t0;
    const entries = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => ({ name: e.name.replace(location.origin, ''), start: Math.round(e.startTime), end: Math.round((e as PerformanceResourceTiming).responseEnd), ttfb: Math.round((e as PerformanceResourceTiming).responseStart - (e as PerformanceResourceTiming).requestStart) })));
    const marks = await page.evaluate(() => performance.now());
    console.log(`\nload ${r}: ${Math.round(total)} ms (page clock at ready ${Math.round(marks)} ms)`);
    for (const e of entries) console.log(`  ${String(e.start).padStart(5)} → ${String(e.end).padStart(5)}  ttfb ${String(e.ttfb).padStart(4)}  ${e.name}`);
  }
  // the server alone: each API call, sequential, warm
  for (const p of ['/api/v1/session', '/api/v1/clusters', '/api/v1/trends', '/api/v1/compliance', '/api/v1/findings/counts?by=ruleId&status=open&top=10', '/api/v1/findings/counts?by=cluster%2Cnamespace&status=open&top=10', '/api/v1/exceptions?status=approved&limit=1000', '/api/v1/overview']) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      const res = await fetch(url + p, { headers: { authorization: `Bearer ${token}` } });
      await res.text();
      times.push(Math.round(performance.now() - s));
      if (res.status !== 200) times.push(res.status);
    }
    console.log(`server ${p}: ${times.join(' ')} ms`);
  }
} finally {
  await browser.close();
  d.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
