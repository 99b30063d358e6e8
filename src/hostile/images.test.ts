/**
 * Issue 14, case 12 and the image minors: a layer that is not what its digest or the config's diff_ids say, a broken
 * manifest.json, and a missing local path — each a clear error with exit 3, never a crash or a registry query.
 * `image scan` runs in a child process: an unhandled 'error' event would kill a test runner.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test-support/conformance.js';
import { makeLayer, makeTar, writeOciLayout } from '../sources/images/test-support/build-image.js';
import { digestOf } from '../sources/images/digest.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-hostile-images-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function imageScan(ref: string): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'run.ts'), 'image', 'scan', ref, '--no-vulns', '-q', '-o', 'json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    // no registry may be asked: an unreachable proxy makes any attempt fail loudly
    env: { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' },
  });
  return { code: r.status, stderr: r.stderr };
}

const files = (id: string, data: Buffer) => [
  { path: 'etc/os-release', content: `ID=${id}\nVERSION_ID=3.19.0\n` },
  { path: 'data.bin', content: data },
];

describe('hostile images', () => {
  it('case 12: a gzip layer blob that does not match its digest: a clear error and exit 3, no unhandled error event', async () => {
    const data = randomBytes(1 << 20); // incompressible: the tampered blob keeps the descriptor's size
    const layers = [await makeLayer(files('alpine', data)), await makeLayer(files('debian', data))];
    const other = await makeLayer(files('alpinf', data));
    const layout = join(dir, 'tampered');
    writeOciLayout(layout, [{ layers }]);
    assert.equal(other.blob.length, layers[0].blob.length);
    writeFileSync(join(layout, 'blobs', 'sha256', digestOf(layers[0].blob).slice(7)), other.blob);
    const r = imageScan(layout);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /digest mismatch for layer/);
    assert.doesNotMatch(r.stderr, /Unhandled|\n\s+at /);
  });

  it("minor: a layer whose decompressed content is not the config's diff_id is refused", async () => {
    const layer = await makeLayer(files('alpine', Buffer.from('x')));
    const layout = join(dir, 'diffid');
    writeOciLayout(layout, [{ layers: [{ ...layer, diffId: digestOf(Buffer.from('another layer')) }] }]);
    const r = imageScan(layout);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /does not match the config's diff_id/);
  });

  it('minor: a broken manifest.json in a docker-save archive is an error naming it, not "Cannot read properties of undefined"', async () => {
    const archive = join(dir, 'broken.tar');
    writeFileSync(archive, await makeTar([{ path: 'manifest.json', content: JSON.stringify([{ RepoTags: ['x:1'] }]) }]));
    const r = imageScan(archive);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /manifest\.json entry 0: Config must be a string/);
    assert.doesNotMatch(r.stderr, /Cannot read properties/);
  });

  it('minor: a missing local path is an error, and no registry (docker.io) is asked', () => {
    for (const ref of ['./no-such-dir', join(dir, 'missing'), 'image.tar']) {
      const r = imageScan(ref);
      assert.equal(r.code, 3, ref);
      assert.match(r.stderr, /no such file or directory \(a local path, so no registry was asked\)/, ref);
    }
  });
});
