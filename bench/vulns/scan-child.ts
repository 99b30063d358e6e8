/**
 * The scanning half of bench/vulns/run.ts, in its own process so its RSS is the scanner's alone:
 * `node --import tsx bench/vulns/scan-child.ts DB`.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { packageQuery } from '../../src/analysis/vulns/package.js';
import { scanPackages, type VulnScanResult } from '../../src/analysis/vulns/scan.js';
import { VulnDb } from '../../src/sources/vulndb/store.js';
import { synthPackages } from './synth.js';

const dbPath = process.argv[2];
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function timed(fn: () => void): [number, number] {
  const c = cpuMs();
  const t = performance.now();
  fn();
  return [performance.now() - t, cpuMs() - c];
}

const packages = synthPackages();
const rssBefore = process.memoryUsage().rss;
const t = performance.now();
const db = VulnDb.open(dbPath);
const openMs = performance.now() - t;
let first: VulnScanResult | undefined;
const [firstMs, firstCpu] = timed(() => {
  first = scanPackages(db, packages);
});
const runs: [number, number][] = [];
for (let i = 0; i < 5; i++) runs.push(timed(() => scanPackages(db, packages)));
db.close();
const rssAfter = process.memoryUsage().rss;

// Baseline: the bare indexed lookups (same statement as the store), raw text, no parse, no matching.
const raw = new Database(dbPath, { readonly: true });
const stmt = raw.prepare('SELECT header, entries FROM affected WHERE ecosystem = ? AND name = ?').raw();
const queries = packages.map(packageQuery).flatMap((q) => (q.ok ? [q.query] : []));
let rows = 0;
const base: [number, number][] = [];
for (let i = 0; i < 6; i++) {
  base.push(
    timed(() => {
      rows = 0;
      for (const q of queries) rows += stmt.all(q.ecosystem, q.name).length;
    }),
  );
}
raw.close();

const scanMs = median(runs.map((r) => r[0]));
const scanCpu = median(runs.map((r) => r[1]));
const baseMs = median(base.slice(1).map((r) => r[0]));
const baseCpu = median(base.slice(1).map((r) => r[1]));
const r = first as VulnScanResult;
console.log(`open: ${openMs.toFixed(1)} ms`);
console.log(
  `scan ${packages.length} packages: first ${firstMs.toFixed(1)} ms wall / ${firstCpu.toFixed(1)} ms cpu (cold process: includes JIT warm-up); median of 5: ${scanMs.toFixed(1)} ms wall / ${scanCpu.toFixed(1)} ms cpu (target ≤ 200 ms) — ${r.vulnerabilities.length} vulnerabilities in ${new Set(r.vulnerabilities.map((v) => v.packageIndex)).size} packages, ${rows} advisory rows fetched, ${r.notEvaluated.length} not evaluated`,
);
console.log(
  `baseline (bare indexed lookups, no parse/match): ${baseMs.toFixed(1)} ms wall / ${baseCpu.toFixed(1)} ms cpu; ratio scan/baseline = ${(scanMs / baseMs).toFixed(1)}x wall, ${(scanCpu / baseCpu).toFixed(1)}x cpu`,
);
console.log(`scanning process rss: ${mb(rssBefore)} before open, ${mb(rssAfter)} after 6 scans (database file ${mb(statSync(dbPath).size)})`);
