/**
 * Cluster-scale bench: a synthetic snapshot at the Kubernetes scalability limits (150,000 pods, 10,000 services,
 * 3,000 namespaces, RBAC for each) scanned end to end with the real CLI (`kubeguard scan --snapshot FILE`), against
 * a baseline in the same run: reading the snapshot and JSON.parse of every object. Targets (issue 5): full scan
 * ≤ 2 min, peak RSS ≤ 2 GiB. Each measurement runs in its own process; peak RSS from /usr/bin/time or the
 * process's own resource usage.
 *   node --import tsx bench/cluster/run.ts [--pods N] [--gz] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
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
}

/** Runs a node command under /usr/bin/time for wall time and peak RSS. */
function timed(nodeArgs: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...nodeArgs], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, rssKiB] = last.split(' ').map(Number);
  if (!Number.isFinite(wall) || (r.status !== 0 && r.status !== 1 && r.status !== 3)) throw new Error(`measurement failed (${nodeArgs.join(' ')}): ${r.stderr.slice(-3000)}`);
  return { wallS: wall, maxRssMiB: rssKiB / 1024, stdout: r.stdout, status: r.status };
}

const tsx = ['--import', 'tsx'];
const base = timed([...tsx, join(here, 'measure.ts'), 'baseline', file]);
const baseInfo = JSON.parse(base.stdout) as { objects: number; wallMs: number };
const full = timed([...tsx, join(root, 'src/cli/run.ts'), 'scan', '--snapshot', file, '--format', 'json', '--output', join(dir, 'report.json'), '--quiet']);
const phases = timed([...tsx, join(here, 'measure.ts'), 'phases', file]);
const ph = JSON.parse(phases.stdout) as { findings: number; rules: number; loadMs: number; scanMs: number; renderMs: number; slowestRules: { id: string; ms: number }[] };

console.log(`baseline (read + JSON.parse of ${baseInfo.objects} objects): ${base.wallS.toFixed(1)} s wall, peak RSS ${base.maxRssMiB.toFixed(0)} MiB`);
console.log(`full \`kubeguard scan --snapshot\` (exit ${full.status}): ${full.wallS.toFixed(1)} s wall (target ≤ 120 s), peak RSS ${full.maxRssMiB.toFixed(0)} MiB (target ≤ 2048 MiB); ratio to baseline: time ${(full.wallS / base.wallS).toFixed(2)}×, RSS ${(full.maxRssMiB / base.maxRssMiB).toFixed(2)}×`);
console.log(`phases with every rule incl. cluster rules (${ph.rules} rules, ${ph.findings} findings): load ${(ph.loadMs / 1000).toFixed(1)} s, scan ${(ph.scanMs / 1000).toFixed(1)} s, render ${(ph.renderMs / 1000).toFixed(1)} s; total ${phases.wallS.toFixed(1)} s, peak RSS ${phases.maxRssMiB.toFixed(0)} MiB`);
console.log(`slowest rules: ${ph.slowestRules.map((r) => `${r.id} ${r.ms} ms`).join(', ')}`);
const ok = full.wallS <= 120 && full.maxRssMiB <= 2048;
console.log(ok ? 'within targets' : 'OUTSIDE TARGETS');
if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
