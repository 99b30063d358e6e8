// One finding per problem: rules judging one field merge; one problem seen from several objects merges.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, ResourceRef } from '../core/model.js';
import { mergeFindings, ruleIdsOf } from './merge-findings.js';
import { RULES, ruleById } from './catalog.js';
import { resolveRules } from './resolve-rules.js';
import { scan } from './scan.js';
import { refOf } from '../core/ref.js';

const ds: ResourceRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter' };
const at = (ruleId: string, severity: Finding['severity'], path: string, extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  severity,
  message: `${ruleId} says so`,
  resource: ds,
  path,
  location: { file: 'ds.yaml', line: 10 },
  ...extra,
});
const category = (id: string) => ruleById(id)?.category;

describe('mergeFindings', () => {
  it('rules judging one field become one finding: the highest severity, every standard, the rest kept as related', () => {
    const vol = '/spec/template/spec/volumes/1/hostPath';
    const out = mergeFindings(
      [
        at('pss-host-path-volumes', 'high', vol, { compliance: { pss: ['baseline', 'restricted'], pssChecks: ['hostPathVolumes'], cis: ['5.2.12'] } }),
        at('pss-restricted-volumes', 'medium', vol, { compliance: { pss: ['restricted'], pssChecks: ['restrictedVolumes'] } }),
        at('sensitive-host-path-mount', 'high', vol, { compliance: { cis: ['5.2.12'], mitre: ['T1611'] } }),
        at('memory-limit-missing', 'medium', '/spec/template/spec/containers/0/resources/limits/memory'),
      ],
      category,
    );
    assert.equal(out.length, 2);
    const [hostPath, memory] = out;
    // same severity: the specific rule's words head it, not the standard's generic ones
    assert.equal(hostPath.ruleId, 'sensitive-host-path-mount');
    assert.equal(hostPath.severity, 'high');
    assert.deepEqual(hostPath.compliance, { cis: ['5.2.12'], mitre: ['T1611'], pss: ['baseline', 'restricted'], pssChecks: ['hostPathVolumes', 'restrictedVolumes'] });
    assert.deepEqual(Object.keys(hostPath.compliance!), ['pss', 'pssChecks', 'cis', 'mitre'], 'the order the JSON report prints');
    assert.deepEqual(ruleIdsOf(hostPath).sort(), ['pss-host-path-volumes', 'pss-restricted-volumes', 'sensitive-host-path-mount']);
    assert.equal(memory.ruleId, 'memory-limit-missing');
    assert.equal(memory.related, undefined);
  });

  it('leaves the findings it merges as the rules reported them', () => {
    const vol = '/spec/template/spec/volumes/1/hostPath';
    const input = [at('pss-restricted-volumes', 'medium', vol, { problems: ['p'] }), at('sensitive-host-path-mount', 'high', vol), at('pss-host-path-volumes', 'critical', vol, { problems: ['q'] })];
    const before = structuredClone(input);
    const [merged] = mergeFindings(input, category);
    assert.equal(merged.severity, 'critical');
    assert.deepEqual([...(merged.problems ?? [])].sort(), ['p', 'q']);
    assert.deepEqual(input, before);
  });

  it('one problem seen from several objects merges; the lead heads it whatever the order', () => {
    const sa: ResourceRef = { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'argocd', name: 'c' };
    const crb: ResourceRef = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'c' };
    const problems = ['cluster-admin:sa:argocd/c'];
    const out = mergeFindings([
      at('service-account-cluster-admin', 'critical', '/metadata/name', { resource: sa, problems }),
      at('rbac-cluster-admin-binding', 'critical', '/roleRef', { resource: crb, problems, lead: true }),
      at('rbac-kube-system-workload-write', 'high', '/roleRef', { resource: crb }),
      at('rbac-workload-token-cluster-admin', 'critical', '/spec/template/spec/serviceAccountName', { problems }),
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0].ruleId, 'rbac-cluster-admin-binding');
    assert.equal(out[0].lead, undefined, 'lead only orders the merge');
    assert.deepEqual(out[0].related?.map((r) => r.ruleId), ['rbac-workload-token-cluster-admin', 'service-account-cluster-admin', 'rbac-kube-system-workload-write']);
  });

  it('keeps unrelated findings apart and in order', () => {
    const out = mergeFindings([at('a', 'low', '/x'), at('b', 'low', '/y'), at('a', 'low', '/x', { resource: { ...ds, name: 'other' } })]);
    assert.deepEqual(out.map((f) => `${f.ruleId} ${f.resource.name}`), ['a node-exporter', 'b node-exporter', 'a other']);
  });

  it('on a real hostPath volume, an exception for one rule leaves the others standing as one finding', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'n' },
      spec: { containers: [{ name: 'c', image: 'x:1' }], volumes: [{ name: 'root', hostPath: { path: '/' } }] },
    };
    const rules = resolveRules(RULES, { preset: 'strict' });
    const hostPathRules = (r: { findings: Finding[] }) => mergeFindings(r.findings, category).filter((f) => f.path === '/spec/volumes/0/hostPath');
    const all = hostPathRules(scan([{ ref: refOf(obj), object: obj }], { rules, now: new Date(0) }));
    assert.equal(all.length, 1);
    assert.deepEqual(ruleIdsOf(all[0]).sort(), ['pss-host-path-volumes', 'pss-restricted-volumes', 'sensitive-host-path-mount']);
    const excepted = hostPathRules(
      scan([{ ref: refOf(obj), object: obj }], { rules, now: new Date(0), exceptions: [{ rules: ['sensitive-host-path-mount'], reason: 'test' }] }),
    );
    assert.equal(excepted.length, 1);
    assert.deepEqual(ruleIdsOf(excepted[0]).sort(), ['pss-host-path-volumes', 'pss-restricted-volumes']);
  });
});
