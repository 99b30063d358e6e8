/**
 * Admission webhook load test (issue 8). In one run, the real webhook — `kubeguard admission serve`, the CLI
 * process as a Deployment runs it — and a bare Node HTTPS server that only echoes an allow are each loaded with
 * the same realistic Pod AdmissionReview, over TLS, with autocannon:
 *   1. saturation: 100 connections, as fast as they go (throughput), with autocannon;
 *   2. fixed rate: 2,000 requests/s over 100 connections, evenly paced and open-loop (latency; see paced-load.ts);
 *   3. for comparison, autocannon's own `overallRate: 2000`, which sends each second's quota as one burst (so its
 *      p99 is the time to drain a burst of 2,000 requests; shown, not judged).
 * Prints req/s, p50, p99, max, errors, peak RSS (kernel high-water mark) and server CPU per request for both,
 * and the ratios against the targets: throughput ≥ 50 % of bare; p99 at the fixed rate ≤ 2× bare; zero errors;
 * RSS ≤ 150 MiB.
 * With `--without RULE` it also measures, as a diagnostic row, the webhook with that one rule turned off
 * (to show how much of the cost a single rule carries); the verdicts are always those of the default config.
 *   node --import tsx bench/admission/run.ts [seconds per phase, default 10] [--without RULE-ID]
 */
import { fork, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from 'node:https';
import { build } from 'esbuild';
import { RULES } from '../../src/engine/catalog.js';
import { scan } from '../../src/engine/scan.js';
import type { Resource } from '../../src/core/model.js';
import { refOf } from '../../src/core/ref.js';
import { buildPolicy } from '../../src/usecases/admission/policy.js';
import { handleAdmission } from '../../src/admission/server/handler.js';
import { createMetrics } from '../../src/admission/server/metrics.js';
import { silentLogger } from '../../src/admission/server/log.js';
import { issueCertificates } from '../../src/admission/tls/certificates.js';
import type { LoadJob } from './load-generator.js';
import type { LoadResult } from './paced-load.js';
import { realisticPodReview } from './review.js';

const args = process.argv.slice(2);
const withoutAt = args.indexOf('--without');
const without = withoutAt >= 0 ? args.splice(withoutAt, 2)[1] : undefined;
const seconds = Number(args[0] ?? 10);
const projectDir = fileURLToPath(new URL('../..', import.meta.url));
// The webhook runs as users run it: the project's build (`npm run build:cli`: the bundle, whose chunks a command
// loads only when it imports them) started through bin/kubeguard.js with plain node. The bench's own helpers (bare server,
// probe, load generator) are bundled with esbuild.
const outDir = join(projectDir, 'node_modules', '.cache', 'kubeguard-bench');
const scripts = { cli: join(projectDir, 'bin', 'kubeguard.js'), bare: join(outDir, 'bare-server.mjs'), probe: join(outDir, 'probe.mjs'), load: join(outDir, 'load-generator.mjs') };
const body = JSON.stringify(realisticPodReview('705ab4f5-6393-11e8-b7cc-42010a800002'));

interface Phase extends LoadResult {
  /** Server CPU time (user + system) per request, µs. */
  cpuPerRequest?: number;
}

const PHASES = ['saturation', 'fixed', 'burst'] as const;
type PhaseName = (typeof PHASES)[number];

interface Measured extends Record<PhaseName, Phase> {
  /** Peak resident set size of the server process (the kernel's high-water mark). */
  rssMiB: number;
  /** V8 heap spaces at the end of the run (MiB), to tell young-generation growth from retained data. */
  heap: string;
  rules?: number;
  sample: string;
}

type Server = 'bare' | 'kubeguard';

/** Starts a server with the probe preloaded; resolves with its port once it listens. */
function start(server: Server, certFile: string, keyFile: string, dir: string, config?: string): Promise<{ child: ChildProcess; port: number; rules?: number }> {
  const execArgv = ['--import', pathToFileURL(scripts.probe).href];
  if (server === 'bare') {
    const child = fork(scripts.bare, [certFile, keyFile], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
      child.on('message', (m: { type: string; port: number }) => {
        if (m.type === 'listening') resolve({ child, port: m.port });
      });
    });
  }
  const configFile = join(dir, 'kubeguard.yaml');
  writeFileSync(configFile, config ?? 'preset: recommended\nfailOn: high\n');
  const args = ['admission', 'serve', '--cert', certFile, '--key', keyFile, '--host', '127.0.0.1', '--port', '0', '--config', configFile];
  const child = fork(scripts.cli, args, { cwd: dir, execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`kubeguard admission serve exited with ${code}`)));
    let rules: number | undefined;
    // The webhook's JSON log lines say how many rules it loaded and where it listens; later lines are drained.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg: string; rules?: number; port?: number };
      if (entry.msg === 'admission policy loaded') rules = entry.rules;
      if (entry.msg === 'admission webhook listening' && entry.port !== undefined) resolve({ child, port: entry.port, ...(rules !== undefined && { rules }) });
    });
  });
}

interface Stats {
  rss: number;
  cpuMicros: number;
  heap: string;
}

function statsOf(child: ChildProcess): Promise<Stats> {
  return new Promise((resolve) => {
    const on = (m: Stats & { type: string }) => {
      if (m.type === 'stats') {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send({ type: 'stats' });
  });
}

function once(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/validate', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(`${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Runs one load phase in a fresh load-generator process (see load-generator.ts). `onWarm` runs when a paced
 * generator has finished its warm-up; it measures only after that.
 */
function load(port: number, opts: Omit<LoadJob, 'port' | 'body'>, onWarm?: () => Promise<void>): Promise<Phase> {
  const child = fork(scripts.load, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.on('message', (m: LoadResult | { type: 'warm' }) => {
      if ('type' in m) void (onWarm?.() ?? Promise.resolve()).then(() => child.send({ type: 'go' }));
      else resolve(m);
    });
    child.send({ ...opts, port, body } satisfies LoadJob);
  });
}

async function measure(mode: Server, certFile: string, keyFile: string, dir: string, config?: string): Promise<Measured> {
  const { child, port, rules } = await start(mode, certFile, keyFile, dir, config);
  try {
    const sample = await once(port);
    const expectBody = sample.slice(sample.indexOf(' ') + 1);
    if (!sample.startsWith('200 ') || !expectBody.includes('"allowed":true')) throw new Error(`${mode}: unexpected reply ${sample}`);
    await load(port, { connections: 100, seconds: Math.min(3, seconds), expectBody }); // warm-up (JIT, TLS session setup)
    // Server CPU time per request: what a request costs the server, whatever else runs on the machine. Sampled
    // around the measured part only (a paced generator's warm-up is left out through `mark`).
    const withCpu = async (run: (mark: () => Promise<void>) => Promise<Phase>): Promise<Phase> => {
      let before = await statsOf(child);
      const phase = await run(async () => {
        before = await statsOf(child);
      });
      phase.cpuPerRequest = ((await statsOf(child)).cpuMicros - before.cpuMicros) / phase.total;
      return phase;
    };
    const saturation = await withCpu(() => load(port, { connections: 100, seconds, expectBody }));
    const fixed = await withCpu((mark) => load(port, { connections: 100, pacedRate: 2000, seconds, expectBody }, mark));
    const burst = await withCpu(() => load(port, { connections: 100, overallRate: 2000, seconds, expectBody }));
    const { rss, heap } = await statsOf(child);
    return { saturation, fixed, burst, rssMiB: rss / 1048576, heap, sample, ...(rules !== undefined && { rules }) };
  } finally {
    child.removeAllListeners('exit');
    child.send({ type: 'exit' });
  }
}

/**
 * CPU per request inside one process, no network: the engine alone, and the whole handler around it. The engine
 * judges a freshly parsed object each time, as the handler does (judging one object over and over would hit the
 * engine's per-object caches and charge their misses to the adapter): it is timed as parse + scan, less the parse.
 * Each figure is the median of several rounds after a warm-up long enough for the JIT to settle.
 */
async function breakdown(): Promise<void> {
  const policy = buildPolicy({ config: { preset: 'recommended', failOn: 'high' }, catalog: RULES });
  const rules = policy.rules; // what the handler runs (the catalogue less rules that need the whole cluster)
  const deps = { policy: () => policy, logger: silentLogger, metrics: createMetrics({ processMetrics: false }) };
  const n = 1000;
  const judge = (selected: typeof rules) => () => {
    const object = (JSON.parse(body) as { request: { object: Resource['object'] } }).request.object;
    scan([{ ref: refOf(object), object, source: { file: 'admission' } }], { rules: selected, now: new Date() });
  };
  // CPU time (user + system) rather than wall time: other work on the machine does not inflate it.
  const time = async (f: () => unknown) => {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) await f();
    const d = process.cpuUsage(t);
    return (d.user + d.system) / n;
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rounds = { parse: [] as number[], parseAndScan: [] as number[], handler: [] as number[] };
  for (let round = 0; round < 8; round++) {
    const parse = await time(() => JSON.parse(body));
    const parseAndScan = await time(judge(rules));
    const handler = await time(() => handleAdmission('validate', body, deps));
    if (round < 3) continue; // warm-up
    rounds.parse.push(parse);
    rounds.parseAndScan.push(parseAndScan);
    rounds.handler.push(handler);
  }
  const [parse, handler] = [median(rounds.parse), median(rounds.handler)];
  const engine = median(rounds.parseAndScan) - parse;
  const perRule: [string, number][] = [];
  const costOf = async (selected: typeof rules) => {
    await time(judge(selected));
    return median([await time(judge(selected)), await time(judge(selected)), await time(judge(selected))]) - parse;
  };
  for (const r of rules) perRule.push([r.rule.id, await costOf([r])]);
  const fixed = await costOf([]);
  perRule.sort((a, b) => b[1] - a[1]);
  console.log(`in-process CPU per request (median of 5 rounds): engine scan() ${engine.toFixed(0)} µs (${rules.length} rules), whole handler ${handler.toFixed(0)} µs, adapter share ${(handler - engine).toFixed(0)} µs (of which JSON.parse of the body ${parse.toFixed(0)} µs, which the bare server pays too)`);
  console.log(`  costliest rules (µs, incl. ${fixed.toFixed(0)} µs fixed scan() cost): ${perRule.slice(0, 5).map(([id, us]) => `${id} ${us.toFixed(0)}`).join(', ')}`);
}

if (RULES.length === 0) throw new Error('the rule catalogue is empty: run `npm run gen` first');
const dir = mkdtempSync(join(tmpdir(), 'kubeguard-bench-'));
try {
  // `npm run build` without the generators (the bench already imported the generated catalogue): tsc into dist/ and the bundle.
  const tsc = spawnSync('npm', ['run', 'build:cli'], { cwd: projectDir, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('npm run build:cli failed');
  await build({
    entryPoints: { 'bare-server': fileURLToPath(new URL('./bare-server.ts', import.meta.url)), probe: fileURLToPath(new URL('./probe.ts', import.meta.url)), 'load-generator': fileURLToPath(new URL('./load-generator.ts', import.meta.url)) },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  await breakdown();
  const certs = await issueCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], notBefore: new Date() });
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, certs.server.cert);
  writeFileSync(keyFile, certs.server.key);

  console.log(`admission bench: ${seconds}s per phase, body ${Buffer.byteLength(body)} bytes, TLS (ECDSA P-256); ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine skews both servers)`);
  const bare = await measure('bare', certFile, keyFile, dir);
  const kg = await measure('kubeguard', certFile, keyFile, dir);
  const diag = without ? await measure('kubeguard', certFile, keyFile, dir, `preset: recommended\nfailOn: high\nrules:\n  ${without}: off\n`) : undefined;
  console.log(`kubeguard sample reply (${kg.rules} rules): ${kg.sample.slice(0, 300)}${kg.sample.length > 300 ? '…' : ''}`);

  const row = (name: string, m: Measured, p: PhaseName) =>
    `${name.padEnd(10)} ${p.padEnd(11)} ${m[p].reqPerSec.toFixed(0).padStart(8)} ${m[p].p50.toFixed(1).padStart(7)} ${m[p].p99.toFixed(1).padStart(7)} ${m[p].max.toFixed(1).padStart(7)} ${String(m[p].errors + m[p].non2xx).padStart(7)} ${String(m[p].mismatches).padStart(9)} ${m.rssMiB.toFixed(1).padStart(9)} ${(m[p].cpuPerRequest ?? 0).toFixed(0).padStart(7)}`;
  console.log('\nserver     phase          req/s  p50 ms  p99 ms  max ms  errors  not-allow  RSS MiB  CPU µs/req');
  for (const p of PHASES) {
    console.log(row('bare', bare, p));
    console.log(row('kubeguard', kg, p));
    if (diag) console.log(row(`−${without}`.slice(0, 10), diag, p));
  }
  const throughput = kg.saturation.reqPerSec / bare.saturation.reqPerSec;
  const p99 = kg.fixed.p99 / Math.max(bare.fixed.p99, 0.001);
  const errors = PHASES.reduce((n, p) => n + kg[p].errors + kg[p].non2xx + kg[p].mismatches, 0);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  console.log('\nratios (kubeguard ÷ bare)');
  console.log(`  throughput at saturation: ${(throughput * 100).toFixed(1)} %   (target ≥ 50 %: ${verdict(throughput >= 0.5)})`);
  console.log(`  p99 at 2,000 req/s:       ${p99.toFixed(2)}×    (target ≤ 2×: ${verdict(p99 <= 2)}; evenly paced, the generator at most ${Math.max(kg.fixed.lateMs ?? 0, bare.fixed.lateMs ?? 0).toFixed(0)} ms behind)`);
  console.log(`  p99 in 2,000-request bursts (autocannon overallRate): ${(kg.burst.p99 / Math.max(bare.burst.p99, 0.001)).toFixed(2)}× (not a target: the drain time of a burst, i.e. throughput again)`);
  console.log(`  p50 at 2,000 req/s:       ${(kg.fixed.p50 / Math.max(bare.fixed.p50, 0.001)).toFixed(2)}×`);
  console.log(`  server CPU per request:   ${((kg.saturation.cpuPerRequest ?? 0) / (bare.saturation.cpuPerRequest ?? 1)).toFixed(2)}× at saturation, ${((kg.fixed.cpuPerRequest ?? 0) / (bare.fixed.cpuPerRequest ?? 1)).toFixed(2)}× at 2,000 req/s (with a core to itself, the webhook's throughput would be about 1 ÷ this of the bare server's)`);
  console.log(`  errors:                   ${errors}      (transport errors, non-2xx and replies other than the allow; target 0: ${verdict(errors === 0)})`);
  console.log(`  peak RSS:                 ${kg.rssMiB.toFixed(1)} MiB (bare ${bare.rssMiB.toFixed(1)} MiB; target ≤ 150 MiB: ${verdict(kg.rssMiB <= 150)})`);
  console.log(`  V8 heap at the end (MiB): kubeguard ${kg.heap}; bare ${bare.heap}`);
  if (diag) {
    console.log(`diagnostic, without ${without}: throughput ${((diag.saturation.reqPerSec / bare.saturation.reqPerSec) * 100).toFixed(1)} % of bare, p99 at 2,000 req/s ${(diag.fixed.p99 / Math.max(bare.fixed.p99, 0.001)).toFixed(2)}× bare, RSS ${diag.rssMiB.toFixed(1)} MiB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
