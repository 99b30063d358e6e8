import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { KubeObject } from '../../../core/model.js';
import { conformanceDir } from '../../../test-support/conformance.js';
import { runOn } from '../../test-support/rule-tester.js';
import rule from './rule.js';


const VERSION = 'v1.37';

function pods(level: string, verdict: 'pass' | 'fail'): { file: string; pod: KubeObject }[] {
  const dir = join(conformanceDir('pod-security'), level, VERSION, verdict);
  return readdirSync(dir).sort().map((file) => ({ file: `${level}/${VERSION}/${verdict}/${file}`, pod: load(readFileSync(join(dir, file), 'utf8')) as KubeObject }));
}

/** The level the rule says the namespace could enforce, with a namespace holding exactly one upstream fixture pod. */
function achievable(pod: KubeObject): string {
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { 'pod-security.kubernetes.io/enforce-version': VERSION } } };
  const { findings } = runOn(rule, [ns, { ...pod, metadata: { ...pod.metadata, namespace: 'team' } }]);
  assert.equal(findings.length, 1);
  const m = /would all pass "(\w+)"|(no level can be enforced)/.exec(findings[0].message);
  assert.ok(m, findings[0].message);
  return m[1] ?? 'privileged';
}

describe('namespace-pod-security-level: achievable level against the upstream Pod Security fixtures', () => {
  it('restricted/pass pods allow "restricted"', () => {
    for (const { file, pod } of pods('restricted', 'pass')) assert.equal(achievable(pod), 'restricted', file);
  });
  it('baseline/pass pods allow at least "baseline"', () => {
    for (const { file, pod } of pods('baseline', 'pass')) assert.notEqual(achievable(pod), 'privileged', file);
  });
  it('restricted/fail pods do not allow "restricted"', () => {
    for (const { file, pod } of pods('restricted', 'fail')) assert.notEqual(achievable(pod), 'restricted', file);
  });
  it('baseline/fail pods allow no level', () => {
    for (const { file, pod } of pods('baseline', 'fail')) assert.equal(achievable(pod), 'privileged', file);
  });
});

describe('namespace-pod-security-level', () => {
  it('names the workloads that block a stricter level and proposes the achievable one as a fix', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: {} } };
    const web: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } } };
    const { findings } = runOn(rule, [ns, web]);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /would all pass "baseline" today \(Deployment\/shop\/web block "restricted"\)/);
    assert.deepEqual(findings[0].fix, [{ op: 'add', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: 'baseline' }]);
  });

  it('counts controllers, not the ReplicaSets and Pods they own', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const owned: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-abc', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d', uid: 'u', controller: true }] },
      spec: { hostNetwork: true, containers: [{ name: 'web', image: 'nginx' }] },
    };
    // the pod alone (a `kubectl get pods` dump) counts by itself
    assert.match(runOn(rule, [ns, owned]).findings[0].message, /no level can be enforced without rejecting Pod\/shop\/web-abc/);
    // with its ReplicaSet in the scan, the ReplicaSet's template stands for it
    const rs: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d', namespace: 'shop', uid: 'u' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } } };
    assert.match(runOn(rule, [ns, owned, rs]).findings[0].message, /its 1 workload\(s\) would all pass "baseline"/);
  });
});
