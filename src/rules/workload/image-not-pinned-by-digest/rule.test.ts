import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import rule from './rule.js';
import { fixturesOf, runRule } from '../../test-support/rule-tester.js';
import { isValidDigest } from '../../../core/image-ref.js';


describe('image-not-pinned-by-digest', () => {
  it('skips exempt repositories', () => {
    const file = join(fixturesOf(import.meta.url).dir, 'fail-tag-only.yaml');
    assert.equal(runRule(rule, [file], { exemptRepositories: ['registry.example.com/ops'] }).findings.length, 0);
    assert.equal(runRule(rule, [file], { exemptRepositories: ['registry.example.com/other'] }).findings.length, 1);
  });
  it('validates digests by the OCI grammar and registered algorithms', () => {
    // https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
    assert.equal(isValidDigest('sha256:' + 'a'.repeat(64)), true);
    assert.equal(isValidDigest('sha256:' + 'a'.repeat(63)), false);
    assert.equal(isValidDigest('sha256:' + 'A'.repeat(64)), false);
    assert.equal(isValidDigest('sha512:' + 'a'.repeat(128)), true);
    assert.equal(isValidDigest('sha512:' + 'a'.repeat(32)), false);
    assert.equal(isValidDigest('blake3:' + 'a'.repeat(64)), true);
    assert.equal(isValidDigest('multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8'), true);
    assert.equal(isValidDigest('custom-algorithm:a'), true);
    assert.equal(isValidDigest('sha256'), false);
    assert.equal(isValidDigest('Sha256:abc'), false);
  });
});
