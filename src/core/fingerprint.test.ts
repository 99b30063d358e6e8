import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findingFingerprint } from './fingerprint.js';

describe('findingFingerprint', () => {
  it('keeps the values of earlier versions (code-scanning alerts and the server history key on them)', () => {
    // written by kubeguard before the digest moved to crypto.hash: a change here reopens every user's alerts
    assert.equal(findingFingerprint('pss-privileged', { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' }, '/spec/containers/0/securityContext/privileged'), '45c4bac5c0f1af06a5f0e32432ee72a1');
    assert.equal(findingFingerprint('rbac-wildcard', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'admin-ish' }, ''), 'e92d51be25ea88542b28633110528d2e');
  });

  it('depends on rule, object and field, not on anything else', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' };
    const base = findingFingerprint('pss-privileged', pod, '/spec');
    assert.equal(findingFingerprint('pss-privileged', { ...pod }, '/spec'), base);
    assert.notEqual(findingFingerprint('pss-host-pid', pod, '/spec'), base);
    assert.notEqual(findingFingerprint('pss-privileged', { ...pod, name: 'api' }, '/spec'), base);
    assert.notEqual(findingFingerprint('pss-privileged', pod, '/metadata'), base);
  });
});
