/**
 * bench/cli: the CLI as users run it (#25) — whole cold processes of the built CLI (bin/kubeguard.js) writing their
 * report to a file, alternating with the baseline of each comparison: the median of RUNS (default 5) wall times, CPU
 * times and peak RSS (GNU time; each process's peak, the median like the times, not the largest of noisy samples).
 * Baselines measured in the same run: `node -e 0` for start-up, and a bare js-yaml `loadAll` process of the same file
 * for the 10,000-object corpus (bench/scan/corpus.ts), written in block style and with every collection of scalars
 * in flow style (`labels: {app: x}`), as people write them: table, JSON and SARIF of each, and each flow-style run
 * against the block-style run of its format. CPU seconds are printed too: on a shared machine the wall time includes
 * waiting for a core. A floor row runs the block-style table scan with every rule off: start-up, reading, parsing and
 * an empty report, what the rules and their report add to.
 *   npm run bench -- cli            CLI_BENCH_RUNS=9 CLI_BENCH_OBJECTS=10000
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { syntheticObjects } from '../scan/corpus.js';
import { RULES } from '../../src/engine/catalog.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.CLI_BENCH_RUNS ?? 5);
const OBJECTS = Number(process.env.CLI_BENCH_OBJECTS ?? 10_000);
const CLI = join(root, 'bin', 'kubeguard.js');

execFileSync('npm', ['run', 'build:cli'], { cwd: root, stdio: 'ignore' });
const dir = mkdtempSync(join(tmpdir(), 'kg-bench-cli-'));

/** YAML with every mapping or sequence that holds only scalars written in flow style, the rest in block style. */
function flowYaml(value: unknown, indent = ''): string {
  const scalar = (v: unknown) => yaml.dump(v, { flowLevel: 0, lineWidth: -1 }).trimEnd();
  const isScalar = (v: unknown) => v === null || typeof v !== 'object';
  const inline = (v: object) => scalar(v);
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isScalar(item) || (typeof item === 'object' && Object.values(item as object).every(isScalar))) lines.push(`${indent}- ${isScalar(item) ? scalar(item) : inline(item as object)}`);
      else lines.push(`${indent}-\n${flowYaml(item, indent + '  ')}`);
    }
  } else {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isScalar(v)) lines.push(`${indent}${k}: ${scalar(v)}`);
      else if (Object.values(v as object).every(isScalar)) lines.push(`${indent}${k}: ${inline(v as object)}`);
      else lines.push(`${indent}${k}:\n${flowYaml(v, indent + '  ')}`);
    }
  }
  return lines.join('\n');
}

const objects = syntheticObjects(OBJECTS);
const files = {
  small: join(dir, 'small.yaml'),
  block: join(dir, 'block.yaml'),
  flow: join(dir, 'flow.yaml'),
};
writeFileSync(files.small, objects.slice(0, 2).map((o) => yaml.dump(o)).join('---\n'));
writeFileSync(files.block, objects.map((o) => yaml.dump(o)).join('---\n'));
writeFileSync(files.flow, objects.map((o) => flowYaml(o)).join('\n---\n') + '\n');
// both corpora hold the same objects
for (const f of [files.block, files.flow]) if (JSON.stringify(yaml.loadAll(readFileSync(f, 'utf8'))) !== JSON.stringify(objects)) throw new Error(`${f}: not the corpus`);

interface Sample {
  wall: number;
  cpu: number;
  rssMiB: number;
}
function once(argv: string[]): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-1000)}`);
  const [wall, user, sys, kb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wall, cpu: user + sys, rssMiB: kb / 1024 };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (s: Sample[]): Sample => ({ wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)), rssMiB: median(s.map((x) => x.rssMiB)) });

/** The command and its baseline, alternating, RUNS times each (after one untimed run of each: page cache). */
function compare(argv: string[], baseline: string[]): { run: Sample; base: Sample } {
  once(argv);
  once(baseline);
  const runs: Sample[] = [];
  const bases: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    bases.push(once(baseline));
    runs.push(once(argv));
  }
  return { run: summary(runs), base: summary(bases) };
}

const node = process.execPath;
const bareYaml = (file: string) => [node, '-e', `require('js-yaml').loadAll(require('fs').readFileSync(process.argv[1], 'utf8'))`, file];
const out = (name: string) => join(dir, name);
const scanOf = (file: string, format: string) => [node, CLI, 'scan', file, '--format', format, '--output', out(`report.${format}`), '-q'];

const size = (f: string) => `${(statSync(f).size / 2 ** 20).toFixed(1)} MB`;
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`${OBJECTS.toLocaleString('en')} objects: block ${size(files.block)}, flow ${size(files.flow)}; median of ${RUNS} cold runs each; load ${load()}`);

const rows: { what: string; run: Sample; base: Sample; baseName: string; target: number; rssAgainst?: Sample }[] = [];
const start = compare([node, CLI, 'scan', files.small, '--format', 'json', '--output', out('small.json'), '-q'], [node, '-e', '0']);
rows.push({ what: 'small-file scan', ...start, baseName: 'node -e 0', target: 2.5 });
// every rule off: what a scan costs before any rule runs
const noRules = join(dir, 'no-rules.yaml');
writeFileSync(noRules, yaml.dump({ rules: Object.fromEntries(RULES.map((r) => [r.id, 'off'])) }));
const floor = compare([...scanOf(files.block, 'table'), '--config', noRules], bareYaml(files.block));
const FORMATS = ['table', 'json', 'sarif'] as const;
const FORMAT = { table: { label: 'table', target: 1.5 }, json: { label: 'JSON', target: 2.0 }, sarif: { label: 'SARIF', target: 2.5 } } as const;
const runs = (style: 'block' | 'flow') => FORMATS.map((format) => ({ format, ...compare(scanOf(files[style], format), bareYaml(files[style])) }));
const block = runs('block');
const flows = runs('flow');
for (const [style, list] of [['block', block], ['flow', flows]] as const) {
  for (const f of list) {
    const rssAgainst = f.format === 'sarif' ? list.find((j) => j.format === 'json')!.run : undefined;
    rows.push({ what: `${style}, ${FORMAT[f.format].label}`, run: f.run, base: f.base, baseName: 'js-yaml loadAll', target: FORMAT[f.format].target, rssAgainst });
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${pad('run', 18)}${pad('wall s', 9)}${pad('CPU s', 8)}${pad('RSS MiB', 9)}${pad('baseline', 18)}${pad('base s', 8)}${pad('base CPU', 10)}${pad('ratio', 8)}${pad('CPU ratio', 11)}${pad('target', 8)}met (wall)`);
for (const r of rows) {
  const ratio = r.run.wall / r.base.wall;
  const rssOk = r.rssAgainst ? r.run.rssMiB <= r.rssAgainst.rssMiB : true;
  console.log(`${pad(r.what, 18)}${pad(r.run.wall.toFixed(2), 9)}${pad(r.run.cpu.toFixed(2), 8)}${pad(r.run.rssMiB.toFixed(0), 9)}${pad(r.baseName, 18)}${pad(r.base.wall.toFixed(2), 8)}${pad(r.base.cpu.toFixed(2), 10)}${pad(ratio.toFixed(2) + '×', 8)}${pad((r.run.cpu / r.base.cpu).toFixed(2) + '×', 11)}${pad('≤' + r.target + '×', 8)}${ratio <= r.target && rssOk ? 'yes' : 'no'}${r.rssAgainst ? ` (RSS ≤ JSON's ${r.rssAgainst.rssMiB.toFixed(0)}: ${rssOk ? 'yes' : 'no'})` : ''}`);
}
console.log(
  `floor, block-style table scan with every rule off: ${floor.run.wall.toFixed(2)} s wall, ${floor.run.cpu.toFixed(2)} s CPU, ${(floor.run.wall / floor.base.wall).toFixed(2)}× js-yaml loadAll (${floor.base.wall.toFixed(2)} s); ` +
    `the rules, their findings and the report add ${(block[0].run.wall - floor.run.wall).toFixed(2)} s (table), ${(block[1].run.wall - floor.run.wall).toFixed(2)} s (JSON), ${(block[2].run.wall - floor.run.wall).toFixed(2)} s (SARIF)`,
);
flows.forEach((f, i) => {
  const ratio = f.run.wall / block[i].run.wall;
  console.log(`flow-style vs block-style corpus (${FORMAT[f.format].label}): ${ratio.toFixed(2)}× wall, ${(f.run.cpu / block[i].run.cpu).toFixed(2)}× CPU (target ≤1.3×) ${ratio <= 1.3 ? 'yes' : 'no'}`);
});
rmSync(dir, { recursive: true, force: true });
