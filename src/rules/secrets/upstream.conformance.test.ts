/** Secrets rules against upstream Polaris and Kubescape fixtures (testdata/polaris): verdicts must agree. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agreementLine, compareKubescape, comparePolaris, disagreements } from '../workload/test-support/upstream-conformance.js';
import configmapSecret from './configmap-secret-like-value/rule.js';

describe('secrets rules vs upstream Polaris and Kubescape fixtures', () => {
  it('kubescape rule-credentials-configmap', (t) => {
    const cases = compareKubescape('rule-credentials-configmap', [{ rule: configmapSecret }]);
    assert.equal(cases.length, 4);
    t.diagnostic(agreementLine('kubescape rule-credentials-configmap', cases));
    assert.deepEqual(disagreements(cases), []);
  });
  it('polaris sensitiveConfigmapContent', (t) => {
    const cases = comparePolaris('sensitiveConfigmapContent', [{ rule: configmapSecret }]);
    assert.equal(cases.length, 7);
    t.diagnostic(agreementLine('polaris sensitiveConfigmapContent', cases));
    assert.deepEqual(disagreements(cases), []);
  });
});
