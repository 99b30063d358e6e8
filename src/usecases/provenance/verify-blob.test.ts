/**
 * sigstore-conformance bundle-verify (testdata/sigstore-conformance/SOURCE.md): every case through the use case
 * behind `kubeguard image verify-blob`. Upstream's rule: a case named `*_fail` must not verify, any other must.
 * Where the outcome is decided by our code rather than the library (root in the chain, a root without validity
 * start, Rekor v2 hashedrekord over DSSE, unknown media type, no key), the reason is checked too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { conformanceDir } from '../../test-support/conformance.js';
import { verifyBlob } from './verify-blob.js';
import type { VerifyBlobRequest } from './verify-blob.js';

const DIR = conformanceDir('sigstore-conformance', 'bundle-verify');
const DEFAULT_IDENTITY = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
/** No stored root from `trust update` may leak in: the shipped root is the default. */
const ENV = { KUBEGUARD_TRUST_DIR: join(tmpdir(), 'kg-no-trust-dir-' + process.pid) };

function request(name: string): VerifyBlobRequest {
  const d = join(DIR, name);
  const has = (f: string) => existsSync(join(d, f));
  const text = (f: string, dflt: string) => (has(f) ? readFileSync(join(d, f), 'utf8').trim() : dflt);
  return {
    file: has('artifact') ? join(d, 'artifact') : join(DIR, 'a.txt'),
    bundle: join(d, 'bundle.sigstore.json'),
    ...(has('trusted_root.json') && { trustedRoot: join(d, 'trusted_root.json') }),
    ...(has('key.pub') && { key: join(d, 'key.pub') }),
    policy: has('key.pub') ? {} : { identity: text('identity', DEFAULT_IDENTITY), issuer: text('issuer', DEFAULT_ISSUER) },
    env: ENV,
  };
}

/** verified | not-verified | not-evaluated | usage: what the exit code 0 | 1 | 3 | 2 would be. */
function outcome(req: VerifyBlobRequest): { status: string; reason?: string } {
  try {
    const { verdict } = verifyBlob(req);
    return verdict.status === 'verified' ? { status: 'verified' } : verdict;
  } catch (e) {
    if (e instanceof UsageError) return { status: 'usage', reason: e.message };
    throw e;
  }
}

const CASES = readdirSync(DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

/** Cases decided by kubeguard's own checks: the outcome and the reason. */
const OWN: Record<string, [string, RegExp]> = {
  'bundle-with-root-cert_fail': ['not-verified', /contains a root certificate/],
  'trust-root-tlog-missing-validity-start_fail': ['not-evaluated', /tlogs\[1\] has no validFor\.start/],
  'bundle-unknown-version_fail': ['not-verified', /unsupported bundle media type/],
  'managed-key-no-key_fail': ['not-evaluated', /signed with a key: give the public key/],
  'managed-key-wrong-key_fail': ['usage', /not a PEM or DER public key/],
  'bundle-malformed-json_fail': ['not-verified', /is not JSON/],
};

describe('sigstore-conformance bundle-verify', () => {
  it('has all 70 upstream cases', () => assert.equal(CASES.length, 70));
  for (const name of CASES) {
    it(name, () => {
      const got = outcome(request(name));
      if (name.endsWith('_fail')) assert.notEqual(got.status, 'verified');
      else assert.deepEqual(got, { status: 'verified' });
      const own = OWN[name];
      if (own) {
        assert.equal(got.status, own[0]);
        assert.match(got.reason ?? '', own[1]);
      }
    });
  }
  it('Rekor v2 hashedrekord over DSSE verifies, and not by the payload digest', () => {
    assert.deepEqual(outcome(request('rekor2-dsse-happy-path')), { status: 'verified' });
  });
});

describe('identity constraints and trust (on conformance bundles)', () => {
  const v3 = request('happy-path-v0.3');
  it('a different identity or issuer is refused', () => {
    const other = outcome({ ...v3, policy: { identity: DEFAULT_IDENTITY.replace('main', 'evil'), issuer: DEFAULT_ISSUER } });
    assert.equal(other.status, 'not-verified');
    assert.match(other.reason!, /identity|subject|Subject/i);
    assert.equal(outcome({ ...v3, policy: { identity: DEFAULT_IDENTITY, issuer: 'https://accounts.google.com' } }).status, 'not-verified');
  });
  it('regexp forms match unanchored with RE2 semantics, as cosign', () => {
    assert.equal(outcome({ ...v3, policy: { identityRegExp: 'sigstore-conformance/extremely-dangerous-public-oidc-beacon/', issuerRegExp: '^https://token\\.actions\\.githubusercontent\\.com$' } }).status, 'verified');
    const miss = outcome({ ...v3, policy: { identityRegExp: '^https://github\\.com/kubeguard/', issuer: DEFAULT_ISSUER } });
    assert.equal(miss.status, 'not-verified');
    assert.match(miss.reason!, /does not match/);
    assert.equal(outcome({ ...v3, policy: { identityRegExp: '(a)\\1', issuer: DEFAULT_ISSUER } }).status, 'usage'); // backreference: not RE2
  });
  it('a keyless bundle without identity or issuer is a usage error; both forms at once too', () => {
    assert.equal(outcome({ ...v3, policy: {} }).status, 'usage');
    assert.equal(outcome({ ...v3, policy: { identity: DEFAULT_IDENTITY } }).status, 'usage');
    assert.equal(outcome({ ...v3, policy: { identity: DEFAULT_IDENTITY, identityRegExp: '.', issuer: DEFAULT_ISSUER } }).status, 'usage');
  });
  it('a certificate bundle checked with --key is not verified', () => {
    const key = request('managed-key-happy-path').key!;
    assert.equal(outcome({ ...v3, policy: {}, key }).status, 'not-verified');
  });
  it('trust that cannot be established is "could not evaluate", never "verified"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-trust-'));
    try {
      writeFileSync(join(dir, 'empty.json'), JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' }));
      writeFileSync(join(dir, 'bad.json'), '{');
      writeFileSync(join(dir, 'other.json'), '{"mediaType":"application/json"}');
      for (const f of ['empty.json', 'bad.json', 'other.json', 'missing.json']) {
        assert.equal(outcome({ ...v3, trustedRoot: join(dir, f) }).status, 'not-evaluated', f);
      }
      assert.equal(outcome({ ...v3, file: join(dir, 'missing-artifact') }).status, 'not-evaluated');
      assert.equal(outcome({ ...v3, bundle: join(dir, 'missing-bundle') }).status, 'not-evaluated');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a DSSE bundle verifies only for its subject', () => {
    const dsse = request('happy-path-intoto-in-dsse-v3');
    const dir = mkdtempSync(join(tmpdir(), 'kg-subj-'));
    try {
      writeFileSync(join(dir, 'other'), 'not the subject\n');
      const got = outcome({ ...dsse, file: join(dir, 'other') });
      assert.equal(got.status, 'not-verified');
      assert.match(got.reason!, /is not a subject of the attestation/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
