/**
 * `kubeguard trust update --from DIR`: a TUF repository written by the test (root rotation, timestamp →
 * snapshot → targets) holding a trusted root; the update verifies it with the TUF client (@sigstore/tuf on
 * tuf-js) and stores it where verification reads it. Tampered targets, a root signed by an unknown key and an
 * unusable trusted root are refused and leave the stored root as it was.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustError } from '../../analysis/images/sigstore/errors.js';
import { kubeguardAsync } from '../../cli/test-support/run-cli.js';
import { TestTufRepo } from './test-support/tuf-repo.js';
import { loadTrustedRoot, SHIPPED_TRUST_DIR } from './trusted-root.js';
import { updateTrust } from './tuf-update.js';

const shipped = readFileSync(join(SHIPPED_TRUST_DIR, 'trusted_root.json'), 'utf8');
/** Another valid trusted root: the shipped one without its timestamp authorities. */
const trimmed = JSON.stringify({ ...(JSON.parse(shipped) as object), timestampAuthorities: [] });

describe('trust update from a TUF mirror directory', () => {
  let dir: string;
  let repo: TestTufRepo;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kg-tuf-'));
    repo = new TestTufRepo(join(dir, 'mirror'));
    repo.publish({ 'trusted_root.json': shipped });
    env = { KUBEGUARD_TRUST_DIR: join(dir, 'store') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('kubeguard trust update (a process) stores the verified root; verification then reads it', async () => {
    const r = await kubeguardAsync(['trust', 'update', '--from', repo.dir, '--tuf-root', repo.initialRoot, '-q'], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Updated: .*store\/trusted_root\.json from directory .* \(TUF root version 1\): 2 certificate authorities, 2 transparency logs/);
    assert.equal(readFileSync(join(dir, 'store', 'trusted_root.json'), 'utf8'), shipped);
    assert.match(loadTrustedRoot({ env }).source, /^updated \(/);
    const status = await kubeguardAsync(['trust', 'status'], env);
    assert.match(status.stdout, /trusted root: updated/);
  });

  it('follows a root rotation and starts the next update from the rotated root', async () => {
    repo.rotateRoot();
    repo.publish({ 'trusted_root.json': trimmed });
    const u = await updateTrust({ from: repo.dir, env });
    assert.equal(u.tufRootVersion, 2);
    assert.equal(u.counts.timestampAuthorities, 0);
    assert.equal(readFileSync(u.path, 'utf8'), trimmed);
  });

  it('refuses a tampered target and a root from another repository; the stored root stays', async () => {
    writeFileSync(join(repo.dir, 'targets', 'trusted_root.json'), shipped); // content no longer matches targets.json
    await assert.rejects(updateTrust({ from: repo.dir, env }), (e: unknown) => e instanceof TrustError && /TUF update .* failed/.test(e.message));
    assert.equal(readFileSync(join(dir, 'store', 'trusted_root.json'), 'utf8'), trimmed);
    const other = new TestTufRepo(join(dir, 'other'));
    other.publish({ 'trusted_root.json': shipped });
    await assert.rejects(updateTrust({ from: repo.dir, tufRoot: other.initialRoot, env }), TrustError);
    const cli = await kubeguardAsync(['trust', 'update', '--from', join(dir, 'nowhere'), '-q'], env);
    assert.equal(cli.code, 3);
    assert.match(cli.stdout, /Could not update: .* \(the stored trusted root is unchanged\)/);
    assert.equal(readFileSync(join(dir, 'store', 'trusted_root.json'), 'utf8'), trimmed);
  });

  it('a verified target that is not usable trust material is refused before anything is stored', async () => {
    const fresh = new TestTufRepo(join(dir, 'bad'));
    fresh.publish({ 'trusted_root.json': '{"mediaType":"application/json"}' });
    const store = { KUBEGUARD_TRUST_DIR: join(dir, 'store2') };
    await assert.rejects(updateTrust({ from: fresh.dir, tufRoot: fresh.initialRoot, env: store }), /media type/);
    assert.equal(existsSync(join(dir, 'store2', 'trusted_root.json')), false);
  });
});
