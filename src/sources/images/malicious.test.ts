/** Hostile images are refused with a clear error, and nothing ever touches the host filesystem. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { loadImage, openImage } from './load-image.js';
import { applyLayersParallel, effectiveWorkers } from './layer-pool.js';
import { withLimits } from './limits.js';
import { LayeredFs } from '../../analysis/images/fs/layered-fs.js';
import type { BuildState } from './layer-stream.js';
import { ImageLimitError, ImageSecurityError } from '../../analysis/images/errors.js';
import { makeLayer, makeTar, writeDockerSave, writeOciLayout } from './test-support/build-image.js';
import { MT } from './oci-types.js';
import { digestOf } from './digest.js';

const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kg-evil-'));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

test('tar-slip: a layer entry with ../ is refused', async () => {
  const dir = tmp();
  const marker = join(tmpdir(), `kg-slip-${process.pid}`);
  writeOciLayout(dir, [{ layers: [await makeLayer([{ path: `../../../../../../..${marker}`, content: 'pwned' }])] }]);
  await assert.rejects(loadImage(dir), (e: unknown) => e instanceof ImageSecurityError && /tar-slip/.test(e.message));
  assert.equal(existsSync(marker), false);
});

test('symlink escape: a file written through a symlink pointing above the root is refused', async () => {
  const dir = tmp();
  writeOciLayout(dir, [
    { layers: [await makeLayer([{ path: 'escape', type: 'symlink', linkname: '../../../../../../tmp' }]), await makeLayer([{ path: 'escape/kg-pwned', content: 'x' }])] },
  ]);
  await assert.rejects(loadImage(dir), (e: unknown) => e instanceof ImageSecurityError && /outside the image root/.test(e.message));
});

test('decompression bomb (gzip): refused once the ratio passes the bound, without inflating it all', async () => {
  // 64 MiB of zeros gzip to ~64 KiB: a ratio near 1000:1.
  const zeros = Buffer.alloc(64 * 1024 * 1024);
  const tar = await makeTar([{ path: 'bomb', content: zeros }]);
  const blob = gzipSync(tar, { level: 9 });
  const dir = tmp();
  writeOciLayout(dir, [{ layers: [{ blob, diffId: digestOf(tar), mediaType: MT.ociLayerGzip }] }]);
  await assert.rejects(loadImage(dir, { limits: { ratioCheckAfter: 8 * 1024 * 1024 } }), (e: unknown) => e instanceof ImageLimitError && e.limit === 'maxRatio');
});

test('decompression bomb (zstd) and the per-layer size bound', async () => {
  const zeros = Buffer.alloc(32 * 1024 * 1024);
  const tar = await makeTar([{ path: 'bomb', content: zeros }]);
  const blob = execFileSync('zstd', ['-q', '-19', '-c'], { input: tar, maxBuffer: 1024 ** 3 });
  const dir = tmp();
  writeOciLayout(dir, [{ layers: [{ blob, diffId: digestOf(tar), mediaType: MT.ociLayerZstd }] }]);
  await assert.rejects(loadImage(dir, { limits: { ratioCheckAfter: 4 * 1024 * 1024 } }), (e: unknown) => e instanceof ImageLimitError && e.limit === 'maxRatio');
  await assert.rejects(loadImage(dir, { limits: { maxLayerBytes: 1024 * 1024, maxRatio: 1e9 } }), (e: unknown) => e instanceof ImageLimitError && e.limit === 'maxLayerBytes');
});

test('huge manifest: an index.json past the bound is refused before it is read', async () => {
  const dir = tmp();
  writeOciLayout(dir, [{ layers: [await makeLayer([{ path: 'a', content: 'a' }])] }]);
  const manifests = Array.from({ length: 60_000 }, (_, i) => ({ mediaType: MT.ociManifest, digest: `sha256:${i.toString(16).padStart(64, '0')}`, size: 1 }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  await assert.rejects(loadImage(dir), (e: unknown) => e instanceof ImageLimitError && e.limit === 'maxManifestBytes');
});

test('a docker-save manifest.json pointing outside the archive is refused', async () => {
  const file = join(tmp(), 'evil.tar');
  const layer = await makeLayer([{ path: 'a', content: 'a' }], 'none');
  await writeDockerSave(file, { layers: [layer] });
  const evil = join(tmp(), 'evil2.tar');
  writeFileSync(
    evil,
    await makeTar([
      { path: 'cfg.json', content: '{"rootfs":{"type":"layers","diff_ids":[]}}' },
      { path: 'manifest.json', content: JSON.stringify([{ Config: 'cfg.json', Layers: ['../../etc/passwd'] }]) },
    ]),
  );
  await assert.rejects(loadImage(evil), (e: unknown) => e instanceof ImageSecurityError);
});

test('the file-count bound applies across layers', async () => {
  const dir = tmp();
  const files = Array.from({ length: 50 }, (_, i) => ({ path: `f/${i}`, content: 'x' }));
  writeOciLayout(dir, [{ layers: [await makeLayer(files)] }]);
  await assert.rejects(loadImage(dir, { limits: { maxFiles: 20 } }), (e: unknown) => e instanceof ImageLimitError && e.limit === 'maxFiles');
});

/** Builds the index with the layer pool and exactly `workers` threads (loadImage would choose by cores). */
async function loadWithWorkers(dir: string, workers: number): Promise<BuildState> {
  const limits = withLimits();
  const handle = await openImage(dir, { limits });
  const state: BuildState = { fs: new LayeredFs({ maxFiles: limits.maxFiles }), limits, captured: 0, uncompressed: 0, layerFiles: [] };
  await applyLayersParallel(state, handle.layers, { workers });
  return state;
}

test('layers parsed on worker threads give the same index, and worker errors keep their type', async () => {
  const dir = tmp();
  writeOciLayout(dir, [
    { layers: [await makeLayer([{ path: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' }, { path: 'a/b', content: 'x' }]), await makeLayer([{ path: 'a/.wh.b' }, { path: 'c', content: 'y' }], 'zstd')] },
  ]);
  const one = await loadImage(dir, { workers: 0 });
  const two = await loadWithWorkers(dir, 2);
  const list = (fs: LayeredFs): string[] => [...fs.walk()].map(([p, n]) => `${p}:${n.type}:${n.layer}`).sort();
  assert.deepEqual(list(two.fs), list(one.fs));
  assert.equal(two.fs.readFile('/etc/os-release')?.toString(), 'ID=debian\nVERSION_ID=12\n');
  const evil = tmp();
  writeOciLayout(evil, [{ layers: [await makeLayer([{ path: 'ok', content: 'x' }]), await makeLayer([{ path: '../../x', content: 'x' }])] }]);
  await assert.rejects(loadWithWorkers(evil, 2), (e: unknown) => e instanceof ImageSecurityError && /tar-slip/.test(e.message));
});

test('worker threads are used only when at least two can run beside the calling thread', () => {
  assert.equal(effectiveWorkers(2, 2), 0);
  assert.equal(effectiveWorkers(2, 3), 2);
  assert.equal(effectiveWorkers(8, 16), 4);
  assert.equal(effectiveWorkers(1, 16), 0);
  assert.equal(effectiveWorkers(0, 16), 0);
});
