/**
 * bench/runtime: events per second through every detector, as users run it — `kubeguard runtime analyze` as a cold
 * process (the built CLI, bin/kubeguard.js) pinned to one core, reading a JSON-lines file of sensor events and
 * writing its JSON report. Baseline, measured in the same run on the same file and core: a bare JSON-lines parse
 * (a cold node process that reads the file line by line and JSON.parses each line). The ratio says what
 * adapting, the detectors' windows and incident grouping cost against only reading the events.
 * Then a sustained run: events generated on the fly into the CLI's stdin (no file), many workloads, to show that
 * memory stays bounded (peak RSS against the short run's).
 *   npm run bench -- runtime
 *   RUNTIME_BENCH_EVENTS=1000000 RUNTIME_BENCH_SUSTAINED=10000000 RUNTIME_BENCH_WORKLOADS=10000
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { eventLines } from './corpus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EVENTS = Number(process.env.RUNTIME_BENCH_EVENTS ?? 1_000_000);
const SUSTAINED = Number(process.env.RUNTIME_BENCH_SUSTAINED ?? 3_000_000);
const WORKLOADS = Number(process.env.RUNTIME_BENCH_WORKLOADS ?? 10_000);
const CLI = join(root, 'bin', 'kubeguard.js');

// always measure the current sources: a dist/ left from an older checkout would measure old code
execFileSync('npm', ['run', 'gen'], { cwd: root, stdio: 'ignore' });
execFileSync('npm', ['run', 'build:cli'], { cwd: root, stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'kg-bench-runtime-'));

/** Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of a command pinned to core 0, by GNU time. */
function timed(argv: string[]): { seconds: number; cpu: number; rssMiB: number; stdout: string } {
  const cmd = ['-f', '%e %M %U %S', 'taskset', '-c', '0', ...argv];
  const r = spawnSync('/usr/bin/time', cmd, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [s, kb, user, sys] = last.split(' ').map(Number);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { seconds: s, cpu: user + sys, rssMiB: kb / 1024, stdout: r.stdout };
}

async function writeCorpus(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  for (const chunk of eventLines(n, WORKLOADS, 7)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const file = join(dir, 'events.jsonl');
await writeCorpus(file, EVENTS);
const bytes = Number(execFileSync('stat', ['-c', '%s', file], { encoding: 'utf8' }));
console.log(`corpus: ${EVENTS.toLocaleString('en')} sensor events, ${WORKLOADS.toLocaleString('en')} workloads, ${(bytes / 2 ** 20).toFixed(0)} MiB; load ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}`);

const parse = `const rl=require('readline').createInterface({input:require('fs').createReadStream(process.argv[1])});let n=0;rl.on('line',(l)=>{if(l){JSON.parse(l);n++}});rl.on('close',()=>console.log(n))`;
const base = timed([process.execPath, '-e', parse, file]);
const run = timed([process.execPath, CLI, 'runtime', 'analyze', file, '--format', 'json', '-q']);
const report = JSON.parse(run.stdout) as { incidents: unknown[]; events: { read: number; skipped: number } };
if (report.events.read !== EVENTS) throw new Error(`read ${report.events.read} of ${EVENTS} events`);
const rate = (s: number) => Math.round(EVENTS / s).toLocaleString('en');
// CPU time is printed too: on a shared machine the wall time includes waiting for the core
const line = (what: string, r: typeof base) =>
  `${what}: ${r.seconds.toFixed(2)} s wall, ${rate(r.seconds)} events/s; ${r.cpu.toFixed(2)} s CPU, ${rate(r.cpu)} events/s per CPU second; peak RSS ${r.rssMiB.toFixed(0)} MiB`;
console.log(line('bare JSON-lines parse (baseline)', base));
console.log(`${line('runtime analyze (every detector)', run)}; ${report.incidents.length} incidents`);
console.log(`ratio: ${(run.seconds / base.seconds).toFixed(2)}× the bare parse in wall time, ${(run.cpu / base.cpu).toFixed(2)}× in CPU time (cold processes, one core, report written)`);

// sustained: generated into stdin, never held as a file
const gen = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'runtime', 'generate.ts'), String(SUSTAINED), String(WORKLOADS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const cli = spawn('/usr/bin/time', ['-f', '%e %M', 'taskset', '-c', '0', process.execPath, CLI, 'runtime', 'analyze', '-', '--format', 'json', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
gen.stdout.pipe(cli.stdin);
let out = '';
let err = '';
cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
await once(cli, 'close');
const [secs, kb] = (err.trim().split('\n').pop() ?? '').split(' ').map(Number);
const sustained = JSON.parse(out) as { incidents: unknown[]; events: { read: number } };
console.log(`sustained: ${sustained.events.read.toLocaleString('en')} events generated into stdin in ${secs.toFixed(1)} s (${Math.round(sustained.events.read / secs).toLocaleString('en')} events/s incl. the generator on the other core), peak RSS ${(kb / 1024).toFixed(0)} MiB (${(kb / 1024 / run.rssMiB).toFixed(2)}× the ${EVENTS.toLocaleString('en')}-event run's); ${sustained.incidents.length.toLocaleString('en')} incidents in the report (the detectors' state is bounded; the ranked report holds every incident, ${report.incidents.length.toLocaleString('en')} in the short run)`);
rmSync(dir, { recursive: true, force: true });
