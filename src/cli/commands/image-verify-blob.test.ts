/**
 * `kubeguard image verify-blob` as users meet it (a real process): the exit-code contract of issue #27 —
 * 0 verified, 1 not verified (with the reason), 2 usage, 3 could not evaluate — on sigstore-conformance bundles.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { conformanceDir } from '../../test-support/conformance.js';
import { kubeguard } from '../test-support/run-cli.js';

const DIR = conformanceDir('sigstore-conformance', 'bundle-verify');
const ID = ['--certificate-identity', 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main', '--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com'];
const A = join(DIR, 'a.txt');
const bundle = (c: string) => ['--bundle', join(DIR, c, 'bundle.sigstore.json')];
process.env.KUBEGUARD_TRUST_DIR = join(tmpdir(), `kg-no-trust-${process.pid}`);

describe('kubeguard image verify-blob', () => {
  it('0: a keyless v0.3 bundle on the shipped public-good root (JSON output names the signer)', () => {
    const r = kubeguard(['image', 'verify-blob', A, ...bundle('happy-path-v0.3'), ...ID, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: string; content: string; signer: { identity: string; issuer: string }; trustedRoot: string };
    assert.equal(out.status, 'verified');
    assert.equal(out.content, 'message-signature');
    assert.equal(out.signer.issuer, 'https://token.actions.githubusercontent.com');
    assert.equal(out.trustedRoot, 'shipped public-good');
  });
  it('1: a tampered signature, with the reason', () => {
    const r = kubeguard(['image', 'verify-blob', A, ...bundle('signature-mismatch_fail'), ...ID]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^NOT verified: .*signature/);
  });
  it('0 with a key; 3 without the key a key-based bundle needs', () => {
    const c = 'managed-key-happy-path';
    assert.equal(kubeguard(['image', 'verify-blob', A, ...bundle(c), '--key', join(DIR, c, 'key.pub')]).code, 0);
    const r = kubeguard(['image', 'verify-blob', A, ...bundle(c)]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /^Could not evaluate: .*--key/);
  });
  it('2: usage errors (no --bundle, keyless without identity, both identity forms)', () => {
    assert.equal(kubeguard(['image', 'verify-blob', A]).code, 2);
    assert.equal(kubeguard(['image', 'verify-blob', A, ...bundle('happy-path-v0.3')]).code, 2);
    assert.equal(kubeguard(['image', 'verify-blob', A, ...bundle('happy-path-v0.3'), ...ID, '--certificate-identity-regexp', '.']).code, 2);
  });
  it('3: a trusted root that cannot be read', () => {
    const r = kubeguard(['image', 'verify-blob', A, ...bundle('happy-path-v0.3'), ...ID, '--trusted-root', join(DIR, 'no-such-root.json')]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /trusted root .* cannot be read: no such file/);
  });
});
