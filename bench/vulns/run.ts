/**
 * Vulnerability DB benchmark: `node --import tsx bench/vulns/run.ts [--advisories N]`
 *
 * 1. builds ≥ 100,000 synthetic advisories of realistic shape as osv.dev-style per-ecosystem zips;
 * 2. imports them (printed: records/s, MB/s);
 * 3. opens the database and scans 1,000 packages (target ≤ 200 ms after open; first run and median of 5);
 * 4. baseline in the same run: the bare indexed SQL lookups for the same 1,000 packages returning the raw JSON
 *    text (no parsing, no matching) — the ratio says what matching costs over fetching;
 * 5. RSS at each stage (the database is never loaded whole: RSS stays far below the database size).
 * Wall time and CPU time (user+system of this process) are both printed, with the load average: on a shared
 * machine the CPU time is the steadier number.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { zipSync, strToU8 } from 'fflate';
import { packageQuery } from '../../src/analysis/vulns/package.js';
import { scanPackages } from '../../src/analysis/vulns/scan.js';
import { importOsv } from '../../src/sources/vulndb/import.js';
import { VulnDb } from '../../src/sources/vulndb/store.js';
import { PLAN, synthPackages, synthRecords } from './synth.js';

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
const rss = (): string => mb(process.memoryUsage().rss);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** Runs fn, returning [wall ms, cpu ms]. */
function timed(fn: () => void): [number, number] {
  const c = cpuMs();
  const t = performance.now();
  fn();
  return [performance.now() - t, cpuMs() - c];
}

const scaleArg = process.argv.indexOf('--advisories');
const target = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 100_000;
const total = PLAN.reduce((s, p) => s + p.count, 0);
const factor = target / total;

const dir = mkdtempSync(join(tmpdir(), 'kubeguard-bench-vulns-'));
try {
  console.log(`kubeguard vulns benchmark — ${target.toLocaleString()} synthetic advisories, node ${process.version}`);
  console.log(`rss at start: ${rss()}`);

  // 1. archives
  let t = performance.now();
  let count = 0;
  let bytes = 0;
  for (const plan of PLAN) {
    const n = Math.round(plan.count * factor);
    const files: Record<string, Uint8Array> = {};
    for (const rec of synthRecords({ ...plan, count: n }, plan.ecosystem.length)) {
      const text = strToU8(JSON.stringify(rec));
      files[`${rec.id}.json`] = text;
      bytes += text.length;
      count++;
    }
    mkdirSync(join(dir, 'mirror', plan.ecosystem), { recursive: true });
    writeFileSync(join(dir, 'mirror', plan.ecosystem, 'all.zip'), zipSync(files, { level: 1 }));
  }
  console.log(`generated ${count.toLocaleString()} advisories (${mb(bytes)} JSON) in ${((performance.now() - t) / 1000).toFixed(1)} s; rss ${rss()}`);

  // 2. import
  const dbPath = join(dir, 'vulns.db');
  t = performance.now();
  const importCpu0 = cpuMs();
  const res = await importOsv(dbPath, [join(dir, 'mirror')], { now: new Date(), mode: 'replace' });
  const importS = (performance.now() - t) / 1000;
  const importCpuS = (cpuMs() - importCpu0) / 1000;
  console.log(
    `import: ${res.imported.toLocaleString()} records in ${importS.toFixed(1)} s wall / ${importCpuS.toFixed(1)} s cpu = ${Math.round(res.imported / importS).toLocaleString()} records/s wall (${Math.round(res.imported / importCpuS).toLocaleString()} per cpu-second), ${(bytes / 1024 / 1024 / importS).toFixed(1)} MB/s of JSON; db ${mb(statSync(dbPath).size)}; rss ${rss()}`,
  );

  // 3. scan
  const packages = synthPackages();
  t = performance.now();
  const db = VulnDb.open(dbPath);
  const openMs = performance.now() - t;

  let first = scanPackages(db, [], {});
  const [firstMs, firstCpu] = timed(() => {
    first = scanPackages(db, packages);
  });
  const runs: [number, number][] = [];
  for (let i = 0; i < 5; i++) runs.push(timed(() => scanPackages(db, packages)));
  const scanMs = median(runs.map((r) => r[0]));
  const scanCpu = median(runs.map((r) => r[1]));
  db.close();

  // 4. baseline: bare indexed lookups, raw JSON text, no parse/match
  const raw = new Database(dbPath, { readonly: true });
  const stmt = raw.prepare('SELECT header, entries FROM affected WHERE ecosystem = ? AND name = ?').raw();
  const queries = packages.map(packageQuery).flatMap((q) => (q.ok ? [q.query] : []));
  const base: [number, number][] = [];
  let rows = 0;
  for (let i = 0; i < 6; i++) {
    base.push(
      timed(() => {
        rows = 0;
        for (const q of queries) rows += stmt.all(q.ecosystem, q.name).length;
      }),
    );
  }
  raw.close();
  const baseMs = median(base.slice(1).map((r) => r[0]));
  const baseCpu = median(base.slice(1).map((r) => r[1]));

  const vulnerable = new Set(first.vulnerabilities.map((v) => v.packageIndex)).size;
  console.log(`open: ${openMs.toFixed(1)} ms`);
  console.log(
    `scan ${packages.length} packages: first ${firstMs.toFixed(1)} ms wall / ${firstCpu.toFixed(1)} ms cpu; median of 5: ${scanMs.toFixed(1)} ms wall / ${scanCpu.toFixed(1)} ms cpu (target ≤ 200 ms) — ${first.vulnerabilities.length} vulnerabilities in ${vulnerable} packages, ${rows} advisory rows fetched, ${first.notEvaluated.length} not evaluated`,
  );
  console.log(
    `baseline (bare indexed lookups, no parse/match): ${baseMs.toFixed(1)} ms wall / ${baseCpu.toFixed(1)} ms cpu; ratio scan/baseline = ${(scanMs / baseMs).toFixed(1)}x wall, ${(scanCpu / baseCpu).toFixed(1)}x cpu`,
  );
  console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  console.log(`rss after scan: ${rss()} (database file ${mb(statSync(dbPath).size)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
