/**
 * Vulnerability DB benchmark: `node --import tsx bench/vulns/run.ts [--advisories N] [--keep]`
 *
 * 1. builds ≥ 100,000 synthetic advisories of realistic shape as osv.dev-style per-ecosystem zips;
 * 2. imports them (printed: records/s, MB/s);
 * 3. in a fresh process (scan-child.ts, as `image scan` would): opens the database and scans 1,000 packages
 *    (target ≤ 200 ms after open; first run and median of 5);
 * 4. baseline in the same process: the bare indexed SQL lookups for the same 1,000 packages returning the raw
 *    JSON text (no parsing, no matching) — the ratio says what matching costs over fetching;
 * 5. RSS of the scanning process (the database is never loaded whole: RSS stays far below the database size).
 * Wall time and CPU time (user+system of this process) are both printed, with the load average: on a shared
 * machine the CPU time is the steadier number.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { zipSync, strToU8 } from 'fflate';
import { importOsv } from '../../src/sources/vulndb/import.js';
import { PLAN, synthRecords } from './synth.js';

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
const rss = (): string => mb(process.memoryUsage().rss);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const scaleArg = process.argv.indexOf('--advisories');
const target = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 100_000;
const total = PLAN.reduce((s, p) => s + p.count, 0);
const factor = target / total;

const keep = process.argv.includes('--keep');
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

  // 3–5. scan in a fresh process, the way `image scan` meets the database: open, scan, measure (RSS of that process)
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(dirname(fileURLToPath(import.meta.url)), 'scan-child.ts'), dbPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(child.stdout);
  if (child.status !== 0) throw new Error(`scan process failed with ${child.status}`);
  console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
} finally {
  if (keep) console.log(`kept ${dir} (--keep)`);
  else rmSync(dir, { recursive: true, force: true });
}
