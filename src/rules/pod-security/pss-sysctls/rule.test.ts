import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixturesOf, runRule } from '../../test-support/rule-tester.js';
import rule from './rule.js';


describe('pss-sysctls version option', () => {
  const safe = fixturesOf(import.meta.url).pass.find((f) => f.endsWith('pass-safe-sysctls.yaml'));
  it('pinning v1.28 judges with the v1.28 list (tcp_keepalive_time became safe in v1.29)', () => {
    assert.ok(safe);
    const run = runRule(rule, [safe], { version: 'v1.28' });
    assert.deepEqual(run.findings.map((f) => f.path), ['/spec/securityContext/sysctls/0/name']);
  });
});
