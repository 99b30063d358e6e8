import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageFormatError, ImageSecurityError } from '../../analysis/images/errors.js';
import { digestOf } from './digest.js';
import { hashHelperState, streamingHash } from './hash-offload.js';
import { loadImage } from './load-image.js';
import { blobPath } from './oci-layout.js';
import { makeLayer, writeOciLayout } from './test-support/build-image.js';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const LARGE = 20 * 1024 * 1024; // above the size from which hashes go to the helper thread

test('a hash on the helper thread equals node:crypto over the same bytes, whatever the chunking', async () => {
  const data = randomBytes(3 * 1024 * 1024 + 123);
  for (const algorithm of ['sha256', 'sha512']) {
    for (const sizes of [[data.length], [1, 4095, 1024 * 1024 + 1], [65_536]]) {
      const h = streamingHash(algorithm, LARGE);
      for (let off = 0, i = 0; off < data.length; i++) {
        const n = sizes[i % sizes.length];
        await h.update(data.subarray(off, off + n));
        off += n;
      }
      assert.equal(await h.digest(), createHash(algorithm).update(data).digest('hex'), `${algorithm} in chunks ${sizes.join(',')}`);
    }
  }
  const empty = streamingHash('sha256', LARGE);
  assert.equal(await empty.digest(), createHash('sha256').digest('hex'));
});

test('hashes run side by side and an aborted one does not disturb the others', async () => {
  const a = randomBytes(2_000_000);
  const b = randomBytes(1_500_000);
  const ha = streamingHash('sha256', LARGE);
  const hb = streamingHash('sha256', LARGE);
  const dropped = streamingHash('sha256', LARGE);
  await dropped.update(a);
  dropped.abort();
  for (let off = 0; off < a.length; off += 300_000) {
    await ha.update(a.subarray(off, off + 300_000));
    await hb.update(b.subarray(off, off + 300_000));
  }
  assert.deepEqual(await Promise.all([ha.digest(), hb.digest()]), [createHash('sha256').update(a).digest('hex'), createHash('sha256').update(b).digest('hex')]);
});

test('a large layer altered on disk fails digest verification (the helper-thread path)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-hash-'));
  made.push(dir);
  const layer = await makeLayer([{ path: 'opt/blob.bin', content: randomBytes(LARGE) }], 'none');
  writeOciLayout(dir, [{ layers: [layer] }]);
  await loadImage(dir); // intact: verifies
  const file = blobPath(dir, digestOf(layer.blob));
  const bytes = readFileSync(file);
  bytes[LARGE / 2] ^= 0xff; // inside the file content, so the tar still parses
  writeFileSync(file, bytes);
  await assert.rejects(loadImage(dir), (e: unknown) => e instanceof ImageFormatError && /digest mismatch/.test(e.message));
});

test('a large layer refused midway releases its hash (the helper never keeps the process alive)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-hash-'));
  made.push(dir);
  const layer = await makeLayer([{ path: '../escape', content: 'x' }, { path: 'opt/blob.bin', content: randomBytes(LARGE) }], 'gzip');
  writeOciLayout(dir, [{ layers: [layer] }]);
  await assert.rejects(loadImage(dir), (e: unknown) => e instanceof ImageSecurityError);
  // the refused layer's hash was aborted: nothing pending, and the helper no longer holds the process open
  // (asserted on the helper's own state, not on the process's handles, which other work may hold at any time)
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(hashHelperState(), { pending: 0, referenced: false });
});
