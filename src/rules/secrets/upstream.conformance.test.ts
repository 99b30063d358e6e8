/** Secrets rules against upstream Polaris fixtures (../shared/conformance/polaris): verdicts must agree. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agreementLine, comparePolaris, disagreements } from '../workload/upstream-conformance.js';
import configmapSecret from './configmap-secret-like-value/rule.js';

describe('secrets rules vs upstream Polaris fixtures', () => {
  it('polaris sensitiveConfigmapContent', (t) => {
    const cases = comparePolaris('sensitiveConfigmapContent', [{ rule: configmapSecret }]);
    assert.equal(cases.length, 7);
    t.diagnostic(agreementLine('polaris sensitiveConfigmapContent', cases));
    assert.deepEqual(disagreements(cases), []);
  });
});
