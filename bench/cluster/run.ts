/**
 * Cluster-scale bench: a synthetic snapshot at the Kubernetes scalability limits (150,000 pods, 10,000 services,
 * 3,000 namespaces, RBAC for each) scanned end to end with the real CLI (`kubeguard scan --snapshot FILE`), against
 * a baseline in the same run: reading the snapshot and JSON.parse of every object. Targets (issue 5): full scan
 * ≤ 2 min, peak RSS ≤ 2 GiB. Each measurement runs in its own process; peak RSS from /usr/bin/time or the
 * process's own resource usage.
 *   node --import tsx bench/cluster/run.ts [--pods N] [--gz] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCALE_LIMIT, writeSyntheticSnapshot } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const pods = Number(arg('--pods') ?? SCALE_LIMIT.pods);
const scale = pods / SCALE_LIMIT.pods;
const size = { ...SCALE_LIMIT, pods, services: Math.round(SCALE_LIMIT.services * scale), namespaces: Math.max(10, Math.round(SCALE_LIMIT.namespaces * scale)), nodes: Math.max(3, Math.round(SCALE_LIMIT.nodes * scale)) };
const dir = mkdtempSync(join(tmpdir(), 'kubeguard-bench-cluster-'));
const file = join(dir, args.includes('--gz') ? 'cluster.json.gz' : 'cluster.json');

const tGen = performance.now();
const objects = await writeSyntheticSnapshot(file, size);
console.log(`synthetic cluster: ${size.pods} pods, ${size.services} services, ${size.namespaces} namespaces, ${size.nodes} nodes → ${objects} objects, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB (${((performance.now() - tGen) / 1000).toFixed(1)} s to write)`);

interface Timed {
  wallS: number;
  maxRssMiB: number;
  stdout: string;
  status: number | null;
  /** Last stderr line of the measured process (its error, when it failed). */
  tail: string;
}

/** Runs a node command under /usr/bin/time for wall time and peak RSS. */
function timed(nodeArgs: string[], mayFail = false): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...nodeArgs], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const lines = r.stderr.trim().split('\n');
  const [wall, rssKiB] = (lines.pop() ?? '').split(' ').map(Number);
  const failed = r.status !== 0 && r.status !== 1 && r.status !== 3;
  if (!Number.isFinite(wall) || (failed && !mayFail)) throw new Error(`measurement failed (${nodeArgs.join(' ')}): ${r.stderr.slice(-3000)}`);
  const tail = lines.filter((l) => /Error|error|kubeguard:|Command terminated/.test(l)).slice(0, 2).join(' | ') || lines.slice(-2).join(' | ');
  return { wallS: wall, maxRssMiB: rssKiB / 1024, stdout: r.stdout, status: r.status, tail };
}

const tsx = ['--import', 'tsx'];
const base = timed([...tsx, join(here, 'measure.ts'), 'baseline', file]);
const baseInfo = JSON.parse(base.stdout) as { objects: number; wallMs: number };
console.log(`baseline (read + JSON.parse of ${baseInfo.objects} objects): ${base.wallS.toFixed(1)} s wall, peak RSS ${base.maxRssMiB.toFixed(0)} MiB`);

interface Phases {
  loaded: number;
  scanned: number;
  findings: number;
  rules: number;
  loadMs: number;
  scanMs: number;
  heapAfterScanMiB: number;
  renderMsEstimate: number;
  reportBytesEstimate: number;
  slowestRules: { id: string; ms: number }[];
}
const s = (ms: number): string => (ms / 1000).toFixed(1);
for (const fold of [false, true]) {
  const r = timed([...tsx, join(here, 'measure.ts'), 'phases', file, ...(fold ? ['--fold'] : [])]);
  const p = JSON.parse(r.stdout) as Phases;
  console.log(
    `${fold ? 'folded (owned Pods/ReplicaSets/Jobs dropped, as an engine change would)' : 'phases'}: ${p.scanned} of ${p.loaded} objects, ${p.rules} rules incl. cluster rules → ${p.findings} findings; ` +
      `load ${s(p.loadMs)} s (${(p.loadMs / baseInfo.wallMs).toFixed(2)}× baseline), scan ${s(p.scanMs)} s, heap after scan ${p.heapAfterScanMiB.toFixed(0)} MiB, ` +
      `JSON render ≈ ${s(p.renderMsEstimate)} s for ≈ ${(p.reportBytesEstimate / 2 ** 20).toFixed(0)} MiB; process ${r.wallS.toFixed(1)} s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB`,
  );
  console.log(`  slowest rules: ${p.slowestRules.map((x) => `${x.id} ${x.ms} ms`).join(', ')}`);
}

const reportFile = join(dir, 'report.json');
const full = timed([...tsx, join(root, 'src/cli/run.ts'), 'scan', '--snapshot', file, '--format', 'json', '--output', reportFile, '--quiet'], true);
// exit 3 is "incomplete": it counts as a run only when the report was written
const crashed = (full.status !== 0 && full.status !== 1 && full.status !== 3) || !existsSync(reportFile);
if (!crashed) console.log(`report: ${(statSync(reportFile).size / 2 ** 20).toFixed(0)} MiB`);
console.log(
  `full \`kubeguard scan --snapshot FILE --format json\`: ${crashed ? `FAILED (${full.tail})` : `exit ${full.status}`}, ${full.wallS.toFixed(1)} s wall (target ≤ 120 s), ` +
    `peak RSS ${full.maxRssMiB.toFixed(0)} MiB (target ≤ 2048 MiB); ratio to baseline: time ${(full.wallS / base.wallS).toFixed(2)}×, RSS ${(full.maxRssMiB / base.maxRssMiB).toFixed(2)}×`,
);
const ok = !crashed && full.wallS <= 120 && full.maxRssMiB <= 2048;
console.log(ok ? 'within targets' : 'OUTSIDE TARGETS');
if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
