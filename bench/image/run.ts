/**
 * Image SBOM benchmark: synthesises an image of ≥ 100 MB compressed (gzip layers in an OCI layout: a dpkg
 * database, node_modules, python dist-infos, jars, ELF binaries, many small files), then measures in the
 * same run, each in a fresh child process:
 *   baseline — the bare time to gunzip and untar every layer (zlib + tar-stream, entries drained);
 *   sbom     — kubeguard's full path: digest checks, layered index, analyzers, hygiene, CycloneDX JSON.
 * Prints the ratio (target ≤ 1.5×) and each child's peak RSS.
 *
 *   node --import tsx bench/image/run.ts [--keep DIR]
 * (`sbom` is also run with 2 layer-parsing worker threads; on a loaded machine the numbers are noisy.)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { makeTar, writeOciLayout } from '../../src/sources/images/test-support/build-image.js';
import { MT } from '../../src/sources/images/oci-types.js';
import { digestOf } from '../../src/sources/images/digest.js';
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

async function sbom(dir: string, workers: number): Promise<void> {
  const { analyzeImage, renderSbom } = await analyzeModule!;
  const a = await analyzeImage(dir, { now: new Date(), workers });
  const out = renderSbom(a, 'cyclonedx-json', new Date());
  if (a.packages.length < 3000 || out.length < 1000) throw new Error(`unexpected result: ${a.packages.length} packages`);
}

function child(m: string, dir: string, workers = 0): { ms: number; rssMiB: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--mode', m, '--dir', dir, '--workers', String(workers)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${m} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; rssMiB: number };
}

// Modules are loaded before the clock starts in both modes (module loading under tsx is not image work).
const analyzeModule = mode === 'sbom' ? import('../../src/sources/images/analyze.js') : undefined;
if (analyzeModule) await analyzeModule;

if (mode === 'baseline' || mode === 'sbom') {
  const dir = args[args.indexOf('--dir') + 1];
  const workers = Number(args[args.indexOf('--workers') + 1] ?? '0');
  const t0 = process.hrtime.bigint();
  await (mode === 'baseline' ? baseline(dir) : sbom(dir, workers));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(JSON.stringify({ ms, rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  const keep = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : undefined;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'kg-bench-image-'));
  if (!existsSync(join(dir, 'index.json'))) {
    process.stderr.write('synthesising image…\n');
    await synthesise(dir);
  }
  const size = readdirSync(join(dir, 'blobs/sha256')).reduce((n, f) => n + readFileSync(join(dir, 'blobs/sha256', f)).length, 0);
  const rounds = 3;
  const base: { ms: number; rssMiB: number }[] = [];
  const ours: { ms: number; rssMiB: number }[] = [];
  const parallel: { ms: number; rssMiB: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    base.push(child('baseline', dir));
    ours.push(child('sbom', dir));
    parallel.push(child('sbom', dir, 2));
  }
  const best = (xs: { ms: number }[]): number => Math.min(...xs.map((x) => x.ms));
  const b = best(base);
  const o = best(ours);
  console.log(`image: ${(size / 1e6).toFixed(1)} MB compressed (OCI layout, 3 gzip layers)`);
  console.log(`baseline gunzip+untar: ${b.toFixed(0)} ms (best of ${rounds}), peak RSS ${Math.max(...base.map((x) => x.rssMiB))} MiB`);
  console.log(`kubeguard SBOM:        ${o.toFixed(0)} ms (best of ${rounds}), peak RSS ${Math.max(...ours.map((x) => x.rssMiB))} MiB`);
  const p = best(parallel);
  console.log(`kubeguard SBOM, 2 layer workers: ${p.toFixed(0)} ms (best of ${rounds}), peak RSS ${Math.max(...parallel.map((x) => x.rssMiB))} MiB`);
  console.log(`ratio: ${(o / b).toFixed(2)}x single-threaded, ${(p / b).toFixed(2)}x with workers (target <= 1.5x); load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
