/**
 * Image SBOM benchmark: synthesises an image of ≥ 100 MB compressed (gzip layers in an OCI layout: a dpkg
 * database, node_modules, python dist-infos, jars, ELF binaries, many small files), then measures in the
 * same run, each in a fresh child process:
 *   baseline — the bare time to gunzip and untar every layer (zlib + tar-stream, entries drained);
 *   sbom     — kubeguard's full path: digest checks, layered index, analyzers, hygiene, CycloneDX JSON.
 *   floor    — for reference: the same gunzip with kubeguard's own tar reader, data skipped.
 * Prints the ratio (target ≤ 1.5×), each child's peak RSS and its CPU time (all threads: the wall-clock
 * ratio of a loaded machine says little on its own, the CPU ratio still compares the work done).
 *
 *   node --import tsx bench/image/run.ts [--keep DIR]
 * (`sbom` is also run asking for 2 layer-parsing worker threads; how many are used depends on the cores, see
 * effectiveWorkers. On a loaded machine the numbers are noisy.)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { TarReader } from '../../src/sources/images/tar-reader.js';
import { makeTar, writeOciLayout } from '../../src/sources/images/test-support/build-image.js';
import { MT } from '../../src/sources/images/oci-types.js';
import { digestOf } from '../../src/sources/images/digest.js';
import { effectiveWorkers } from '../../src/sources/images/layer-pool.js';
import { gzipSync } from 'node:zlib';
import type { FileSpec } from '../../src/sources/images/test-support/build-image.js';

const args = process.argv.slice(2);
const mode = args[args.indexOf('--mode') + 1];

async function gzipLayer(files: FileSpec[], level: number): Promise<{ blob: Buffer; diffId: string; mediaType: string }> {
  const tar = await makeTar(files);
  return { blob: gzipSync(tar, { level }), diffId: digestOf(tar), mediaType: MT.ociLayerGzip };
}

function elf(size: number): Buffer {
  const b = randomBytes(size);
  b.write('\x7fELF', 0, 'latin1');
  return b;
}

async function synthesise(dir: string): Promise<void> {
  const status = readFileSync('/var/lib/dpkg/status', 'utf8');
  const base: FileSpec[] = [{ path: 'etc/os-release', content: readFileSync('/etc/os-release') }, { path: 'var/lib/dpkg/status', content: status }];
  for (let i = 0; i < 20_000; i++) base.push({ path: `usr/share/misc/d${i % 200}/f${i}.txt`, content: `file ${i}\n`.repeat(20 + (i % 50)) });
  for (let i = 0; i < 40; i++) base.push({ path: `usr/bin/tool${i}`, content: elf(1024 * 1024), mode: 0o755 });
  const app: FileSpec[] = [];
  for (let i = 0; i < 3000; i++) {
    app.push({ path: `app/node_modules/pkg-${i}/package.json`, content: JSON.stringify({ name: `pkg-${i}`, version: `1.${i % 10}.${i % 7}`, license: 'MIT' }) });
    app.push({ path: `app/node_modules/pkg-${i}/index.js`, content: `module.exports = ${i};\n`.repeat(100) });
  }
  for (let i = 0; i < 300; i++) app.push({ path: `usr/lib/python3/dist-packages/mod${i}-1.0.dist-info/METADATA`, content: `Metadata-Version: 2.1\nName: mod${i}\nVersion: 1.0.${i}\nLicense: MIT\n\nbody\n` });
  for (let i = 0; i < 40; i++) app.push({ path: `opt/blob/data${i}.bin`, content: randomBytes(1024 * 1024) });
  const big: FileSpec[] = [];
  for (let i = 0; i < 30; i++) big.push({ path: `opt/models/part${i}.bin`, content: randomBytes(1024 * 1024) });
  for (let i = 0; i < 10_000; i++) big.push({ path: `srv/www/assets/a${i % 100}/x${i}.css`, content: `.c${i}{color:red}\n`.repeat(30) });
  writeOciLayout(dir, [{ layers: [await gzipLayer(base, 1), await gzipLayer(app, 1), await gzipLayer(big, 1)], config: { config: { User: '1000' } } }]);
}

async function baseline(dir: string): Promise<void> {
  const manifestDigest = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }).manifests[0].digest;
  const manifest = JSON.parse(readFileSync(join(dir, 'blobs/sha256', manifestDigest.slice(7)), 'utf8')) as { layers: { digest: string }[] };
  let entries = 0;
  for (const l of manifest.layers) {
    const ex = extract();
    const done = pipeline(createReadStream(join(dir, 'blobs/sha256', l.digest.slice(7)), { highWaterMark: 1024 * 1024 }), createGunzip({ chunkSize: 256 * 1024 }), ex);
    for await (const entry of ex) {
      entries++;
      entry.resume();
    }
    await done;
  }
  if (entries === 0) throw new Error('no entries');
}

/**
 * The same gunzip with kubeguard's own tar reader (headers parsed, data skipped): the floor of what any analysis
 * reading these layers pays. Printed beside the tar-stream baseline so the ratio is not read as flattering.
 */
async function readerFloor(dir: string): Promise<void> {
  const manifestDigest = (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }).manifests[0].digest;
  const manifest = JSON.parse(readFileSync(join(dir, 'blobs/sha256', manifestDigest.slice(7)), 'utf8')) as { layers: { digest: string }[] };
  let entries = 0;
  for (const l of manifest.layers) {
    const reader = new TarReader(() => {
      entries++;
      return undefined;
    }, l.digest);
    const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
    gunzip.on('data', (chunk: Buffer) => reader.push(chunk));
    await pipeline(createReadStream(join(dir, 'blobs/sha256', l.digest.slice(7)), { highWaterMark: 1024 * 1024 }), gunzip);
    reader.end();
  }
  if (entries === 0) throw new Error('no entries');
}

async function sbom(dir: string, workers: number): Promise<void> {
  const { analyzeImage, imageSbom } = await analyzeModule!;
  const a = await analyzeImage(dir, { now: new Date(), workers });
  const out = imageSbom(a, 'cyclonedx-json', new Date());
  if (a.packages.length < 3000 || out.length < 1000) throw new Error(`unexpected result: ${a.packages.length} packages`);
}

/**
 * Peak RSS of this process. Linux's VmHWM starts afresh at exec; getrusage's maxRSS does not (a child forked
 * from the parent right after it synthesised the image reported the parent's peak).
 */
function peakRssMiB(): number {
  const hwm = existsSync('/proc/self/status') ? /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] : undefined;
  return Math.round((hwm ? Number(hwm) : process.resourceUsage().maxRSS) / 1024);
}

interface Run {
  ms: number;
  cpuMs: number;
  rssMiB: number;
}

function child(m: string, dir: string, workers = 0): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--mode', m, '--dir', dir, '--workers', String(workers)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${m} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
}

// Modules are loaded before the clock starts in both modes (module loading under tsx is not image work).
const analyzeModule = mode === 'sbom' ? import('../../src/usecases/images/analyze.js') : undefined;
if (analyzeModule) await analyzeModule;

if (mode === 'baseline' || mode === 'floor' || mode === 'sbom') {
  const dir = args[args.indexOf('--dir') + 1];
  const workers = Number(args[args.indexOf('--workers') + 1] ?? '0');
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await (mode === 'baseline' ? baseline(dir) : mode === 'floor' ? readerFloor(dir) : sbom(dir, workers));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  const run: Run = { ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMiB: peakRssMiB() };
  console.log(JSON.stringify(run));
} else {
  const keep = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : undefined;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'kg-bench-image-'));
  if (!existsSync(join(dir, 'index.json'))) {
    process.stderr.write('synthesising image…\n');
    await synthesise(dir);
  }
  const size = readdirSync(join(dir, 'blobs/sha256')).reduce((n, f) => n + readFileSync(join(dir, 'blobs/sha256', f)).length, 0);
  const rounds = 5;
  const base: Run[] = [];
  const ours: Run[] = [];
  const parallel: Run[] = [];
  const floor: Run[] = [];
  for (let i = 0; i < rounds; i++) {
    base.push(child('baseline', dir));
    floor.push(child('floor', dir));
    ours.push(child('sbom', dir));
    parallel.push(child('sbom', dir, 2));
  }
  const best = (xs: Run[], k: 'ms' | 'cpuMs' = 'ms'): number => Math.min(...xs.map((x) => x[k]));
  const line = (label: string, xs: Run[]): string =>
    `${label}${best(xs).toFixed(0)} ms (best of ${rounds}), CPU ${best(xs, 'cpuMs').toFixed(0)} ms, peak RSS ${Math.max(...xs.map((x) => x.rssMiB))} MiB`;
  const b = best(base);
  console.log(`image: ${(size / 1e6).toFixed(1)} MB compressed (OCI layout, 3 gzip layers)`);
  console.log(line('baseline gunzip+untar: ', base));
  console.log(line('kubeguard SBOM:        ', ours));
  console.log(line(`kubeguard SBOM, 2 layer workers asked (${effectiveWorkers(2)} used): `, parallel));
  const ratio = (xs: Run[]): string => `${(best(xs) / b).toFixed(2)}x (CPU ${(best(xs, 'cpuMs') / best(base, 'cpuMs')).toFixed(2)}x)`;
  console.log(`ratio: ${ratio(ours)} single-threaded, ${ratio(parallel)} with workers (target <= 1.5x); load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
  console.log(line('for reference, gunzip + kubeguard\'s own tar reader, data skipped: ', floor));
  console.log(`  SBOM ÷ that floor: ${(best(ours) / best(floor)).toFixed(2)}x (CPU ${(best(ours, 'cpuMs') / best(floor, 'cpuMs')).toFixed(2)}x) — kubeguard reads layers with its own tar reader, faster than tar-stream`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
