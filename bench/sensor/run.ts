/**
 * bench/sensor: how many events the node sensor takes from each source, at what CPU and memory, and what it loses
 * under storms made on the real kernel inside the bench's own namespaces (the scene of the sensor tests):
 *   - process storm: a C generator (storm.c, compiled here with cc) spawns a tiny static program that lives
 *     SENSOR_BENCH_LIFETIME_US (default 2000 µs, a short command) at a paced rate from inside a pod's cgroup;
 *   - connection storm: the same generator sends each UDP datagram from a new socket (a new conntrack entry each)
 *     from one pod to another, routed through the node namespace.
 * The sensor runs as users run it (the CLI, `sensor run`), pinned to one core (taskset -c 0); the generators run
 * on the other core. For connections the sensor runs inside the bench's node namespace (nsenter), as it runs in
 * the host's on a node, so it reads ctnetlink itself. Baseline, measured at the same time under the same storm on
 * the same core: a bare reader of the same kernel socket that only counts (the process connector, or ctnetlink,
 * through the same binding), so the ratio says what the sensor's decoding, attribution and output cost against
 * just receiving the events. For connections `conntrack -E` (conntrack-tools, the sensor's former reader and
 * now its fallback) counts lines at the same time too, as a reference.
 *   npm run bench -- sensor            (root; scripts/setup.d/sensor.sh; cc)
 *   SENSOR_BENCH_SECONDS=5 SENSOR_BENCH_EXEC_RATES=2000,10000 SENSOR_BENCH_CONN_RATES=10000,50000
 *   SENSOR_BENCH_CT_WHERE=netns   (connections read through --netns: the reader process and the pipe; CPU and RSS of both)
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Scene, sceneUnavailable } from '../../src/sources/node/test-support/scene.js';
import type { ScenePod } from '../../src/sources/node/test-support/scene.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const SECONDS = Number(process.env.SENSOR_BENCH_SECONDS ?? 5);
/** Connections: `host` runs the sensor inside the node namespace (its own socket, as on a node); `netns` runs it outside with --netns (a reader process inside, records over a pipe). */
const CT_WHERE = process.env.SENSOR_BENCH_CT_WHERE === 'netns' ? 'netns' : 'host';
const EXEC_RATES = (process.env.SENSOR_BENCH_EXEC_RATES ?? '2000,10000').split(',').map(Number).filter((n) => n > 0);
const CONN_RATES = (process.env.SENSOR_BENCH_CONN_RATES ?? '10000,50000').split(',').map(Number).filter((n) => n > 0);
/** How long each process of the storm lives, in µs: a short command (`id`, `cat`) lives about a millisecond. */
const LIFETIME_US = Number(process.env.SENSOR_BENCH_LIFETIME_US ?? 2000);
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

function finished(c: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.once('close', (code) => resolve(code))));
}
function output(c: ChildProcess): Promise<string> {
  let s = '';
  c.stdout?.on('data', (d: Buffer) => (s += d.toString()));
  return finished(c).then(() => s);
}
/** The process and its descendants (the sensor's ctnetlink reader process with --netns). */
function family(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const t of readdirSync(`/proc/${out[i]}/task`)) out.push(...readFileSync(`/proc/${out[i]}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // gone
    }
  }
  return out;
}
function familyCpu(pid: number): number {
  return family(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);
}
function familyRssMiB(pid: number): number {
  return family(pid).reduce((sum, p) => sum + peakRssMiB(p), 0);
}
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICK; // utime + stime
}
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Phase {
  generated: number;
  seconds: number;
  seen: number;
  emitted: number;
  lost: number;
  gone?: number;
  cpu: number;
  rssMiB: number;
}

/** Starts the sensor (one core), runs `storm` in the scene, stops the sensor, reads its summary. */
async function sensorPhase(scene: Scene, snapshot: string, sources: 'process' | 'conntrack', storm: () => ChildProcess): Promise<Phase & { base: { seen: number; lost: number }; tool?: { seen: number; lost: number }; reader?: string }> {
  const cli = ['nice', '-n', '-20', 'taskset', '-c', '0', process.execPath, join(root, 'bin', 'kubeguard.js'), 'sensor', 'run', '--snapshot', snapshot, '--node-name', 'bench-node', '--sources', sources, '--output', '/dev/null', '--no-host-processes', '--stats-interval', '3600'];
  // connections: the sensor in the node namespace (nsenter execs, the pid stays the sensor's), as on a node
  const [cmd, ...argv] = sources === 'conntrack' && CT_WHERE === 'host' ? ['nsenter', `--net=${scene.netnsPath}`, '--', ...cli] : [...cli, '--netns', scene.netnsPath];
  const sensor = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  sensor.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  while (!stderr.includes('"sensor":"started"')) {
    if (sensor.exitCode !== null) throw new Error(`sensor exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // the node process itself (taskset execs it, same pid)
  let cpu0: number;
  try {
    cpu0 = familyCpu(sensor.pid!);
  } catch (e) {
    await new Promise((r) => setTimeout(r, 200));
    throw new Error(`sensor gone at start (${sensor.exitCode}): ${stderr.slice(-3000)}`, { cause: e });
  }
  const stopBaseline = await startBaseline(scene, sources);
  const stopTool = sources === 'conntrack' ? await startConntrackTool(scene) : undefined;
  const gen = await output(storm());
  await new Promise((r) => setTimeout(r, 1000)); // let the sources drain
  const base = await stopBaseline();
  const tool = await stopTool?.();
  if (sensor.exitCode !== null || sensor.signalCode !== null) throw new Error(`the sensor exited during the storm (${sensor.exitCode ?? sensor.signalCode}): ${stderr.slice(-2000)}`);
  const cpu1 = familyCpu(sensor.pid!);
  // with --netns: the sensor's and its reader process's peaks added (both count against a pod's limit)
  const rssMiB = familyRssMiB(sensor.pid!);
  sensor.kill('SIGTERM');
  await finished(sensor);
  const summary = JSON.parse(stderr.trim().split('\n').pop()!) as { emitted: number; lost: Record<string, number>; sources: Record<string, Record<string, number | string>> };
  const [made, , secs] = gen.trim().split(' ').map(Number);
  const src = (sources === 'process' ? summary.sources.process : summary.sources.conntrack) as Record<string, number>;
  // kernel drops are exact where known; ENOBUFS reports only say that some were lost
  const lost = summary.lost.kernel + summary.lost.queue + summary.lost.sink + (summary.lost.kernel ? 0 : summary.lost.overflows);
  if (src.errors) console.log(`  (${sources}: ${src.errors} failed batches: ${String((src as Record<string, unknown>).lastError)})`);
  const reader = sources === 'conntrack' ? `${String(summary.sources.conntrack.reader)}/${String(summary.sources.conntrack.where ?? '')}` : undefined;
  return { generated: made, seconds: secs, seen: sources === 'process' ? src.execs : src.connections, emitted: summary.emitted, lost, gone: src.execGone, cpu: (cpu1 - cpu0) / secs, rssMiB, base, tool, reader };
}

/**
 * The baseline: a bare reader of the same kernel source that only counts, subscribed at the same time as the
 * sensor (the kernel sends every listener every event), so both see the same storm and the same background.
 */
async function startBaseline(scene: Scene, kind: 'process' | 'conntrack'): Promise<() => Promise<{ seen: number; lost: number }>> {
  if (kind === 'conntrack') {
    // a bare reader of the same ctnetlink socket, inside the node namespace: receive and count, nothing else
    const script = `import { createRequire } from 'node:module';
import { netlinkDrops } from ${JSON.stringify(join(root, 'src/sources/node/proc-connector.ts'))};
const { RawNetlinkSocket } = createRequire(import.meta.url)(${JSON.stringify(join(root, 'node_modules', 'netlink'))});
const s = new RawNetlinkSocket(12, { recvBufferSize: 8 << 20, sendBufferSize: 65536 }); s.addMembership(1);
let seen = 0, overflows = 0; s.on('message', () => seen++); s.on('error', (e) => { if (e.code === 'ENOBUFS') overflows++; });
process.send('ready'); process.on('message', () => { const drops = netlinkDrops(s.address().port, 12); process.send(JSON.stringify({ seen, lost: drops ?? overflows })); s.close(); });`;
    return startBareScript(scene, 'bare-ctnetlink.mts', script, ['nsenter', `--net=${scene.netnsPath}`, '--']);
  }
  const script = `import { ProcConnector } from ${JSON.stringify(join(root, 'src/sources/node/proc-connector.ts'))};
const pc = new ProcConnector(); let execs = 0;
await pc.start((b) => { for (const e of b) if (e.what === 'exec') execs++; });
process.send('ready'); process.on('message', () => { pc.refreshKernelDrops(); process.send(JSON.stringify({ seen: execs, lost: pc.stats.overflows + (pc.stats.kernelDrops ?? 0) })); pc.stop(); });`;
  return startBareScript(scene, 'bare-connector.mts', script, []);
}

/** Runs a counting script (pinned to the sensor's core) that answers 'ready', then its counts when asked. */
async function startBareScript(scene: Scene, name: string, script: string, prefix: string[]): Promise<() => Promise<{ seen: number; lost: number }>> {
  const file = join(scene.dir, name);
  writeFileSync(file, script);
  const [cmd, ...argv] = [...prefix, 'nice', '-n', '-20', 'taskset', '-c', '0', process.execPath, '--import', 'tsx', file];
  const bare = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((r) => bare.once('message', r));
  return async () => {
    const answer = new Promise<string>((r) => bare.once('message', (m) => r(String(m))));
    bare.send('report');
    const result = JSON.parse(await answer) as { seen: number; lost: number };
    bare.kill();
    return result;
  };
}

/** `conntrack -E` counting lines in the node namespace at the same time (the former reader, for reference). */
async function startConntrackTool(scene: Scene): Promise<() => Promise<{ seen: number; lost: number }>> {
  const ct = spawn('nice', ['-n', '-20', 'taskset', '-c', '0', 'nsenter', `--net=${scene.netnsPath}`, '--', 'conntrack', '-E', '-e', 'NEW', '-b', String(8 << 20)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let lost = 0;
  ct.stdout!.on('data', (d: Buffer) => {
    for (const b of d) if (b === 10) lines++;
  });
  ct.stderr!.on('data', (d: Buffer) => (lost += (d.toString().match(/ENOBUFS/g) ?? []).length));
  await new Promise((r) => setTimeout(r, 300));
  return async () => {
    ct.kill('SIGTERM');
    await finished(ct);
    return { seen: lines, lost };
  };
}

async function main(): Promise<void> {
  const unavailable = sceneUnavailable();
  if (unavailable) {
    console.log(`bench/sensor: skipped (${unavailable})`);
    return;
  }
  const scene = new Scene();
  try {
    const storm = join(scene.dir, 'storm');
    const nop = join(scene.dir, 'nop');
    execFileSync('cc', ['-O2', '-o', storm, join(here, 'storm.c')]);
    writeFileSync(`${nop}.c`, '#include <stdlib.h>\n#include <unistd.h>\nint main(int c, char **v) { if (c > 1) usleep(atoi(v[1])); return 0; }\n');
    execFileSync('cc', ['-O2', '-static', '-o', nop, `${nop}.c`]);
    const gen: ScenePod = scene.addPod('storm', { layout: 'cgroupfs' });
    const target: ScenePod = scene.addPod('target', { layout: 'systemd' });
    const snapshot = scene.writeSnapshot('bench-node');
    // short UDP conntrack timeout in the node namespace, so a 50k/s storm does not fill the table
    execFileSync('ip', ['netns', 'exec', scene.nodeNetns, 'sysctl', '-qw', 'net.netfilter.nf_conntrack_udp_timeout=1']);
    const pinned = (argv: string[]) => scene.exec(gen, ['nice', '-n', '-20', 'taskset', '-c', '1', ...argv]);
    console.log(`one core for the reader (taskset -c 0), generators on core 1; ${SECONDS}s per phase; each process lives ${LIFETIME_US} µs; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}\n`);
    console.log('source     target/s  made/s  kernel/s   bare reader  sensor seen  ratio  emitted  lost  gone   CPU(core)  peak RSS  conntrack -E (reference)  reader');
    for (const [kind, rates] of [['process', EXEC_RATES], ['conntrack', CONN_RATES]] as const) {
      for (const rate of rates) {
        const run = () => pinned(kind === 'process' ? [storm, 'exec', String(rate), String(SECONDS), nop, String(LIFETIME_US)] : [storm, 'udp', String(rate), String(SECONDS), target.ip, '9']);
        const p = await sensorPhase(scene, snapshot, kind, run);
        const base = p.base;
        const ratio = base.seen ? p.seen / base.seen : NaN;
        console.log(
          `${kind.padEnd(10)} ${String(rate).padStart(8)} ${String(Math.round(p.generated / p.seconds)).padStart(7)} ${(kind === 'conntrack' ? String(Math.round(base.seen / p.seconds)) : '-').padStart(8)}   ${String(base.seen).padStart(8)}${base.lost ? `(-${base.lost})` : ''}   ${String(p.seen).padStart(10)}  ${ratio.toFixed(2).padStart(5)}  ${String(p.emitted).padStart(7)}  ${String(p.lost).padStart(4)}  ${String(p.gone ?? '-').padStart(4)}   ${(p.cpu * 100).toFixed(0).padStart(6)}%   ${p.rssMiB.toFixed(0).padStart(4)} MiB  ${p.tool ? `${p.tool.seen}${p.tool.lost ? ` (${p.tool.lost} ENOBUFS)` : ''}`.padStart(24) : ''.padStart(24)}  ${p.reader ?? ''}`,
        );
      }
    }
    console.log(`\nload average after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (other engineers' tests may run at the same time)`);
    console.log('made/s: what the generator achieved (the machine may not reach the target); kernel/s: new connections the kernel reported per second of storm (bare reader ÷ storm seconds; the process connector reports every exec of the machine, so none for it); bare reader: events a counting-only reader of the same socket received (−N: the kernel\'s drops for it); ratio: sensor seen ÷ bare; lost: the kernel\'s exact drops (else ENOBUFS reports) + queue + sink; gone: execs whose process ended before /proc could be read (counted, not emitted); conntrack -E: lines it printed meanwhile (and its ENOBUFS warnings).');
  } finally {
    scene.close();
  }
}

await main();
