/**
 * Trivy Operator's own reports, as the operator writes them: testdata/trivy-operator holds its envtest expectations
 * and the samples of its CRD documentation (SOURCE.md). Expectations follow the CRD semantics: a check with
 * `success: false` is a failed check, every listed vulnerability affects the report's workload.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readTestdata, testdataPath } from '../../test-support/testdata.js';
import { GENERATED_RULES } from '../../generated/rules-index.js';
import { readVulnerabilityMessage } from '../../analysis/vulns/findings.js';
import { eachStore } from '../store/test-support/stores.js';
import { listFindings } from '../store/findings.js';
import { advisoryGroups } from '../store/vulnerabilities.js';
import { finding, uploadBody, uploadText } from '../upload/test-support/uploads.js';
import { ingestUpload } from '../../usecases/history/ingest.js';
import { importDocuments, importResults } from './read.js';
import { EQUIVALENT_RULES } from './rule-map.js';

const FILES = readdirSync(testdataPath('trivy-operator')).filter((f) => f.endsWith('.yaml'));
const all = () => importResults(FILES.flatMap((f) => importDocuments(readTestdata('trivy-operator', f), f)));
const bySource = (source: string) => all().results.find((r) => r.source === source)!;

describe('Trivy Operator reports', () => {
  it('one upload per report kind, so importing one kind never fixes another', () => {
    const { results, skipped } = all();
    assert.deepEqual(results.map((r) => [r.source, r.scope, r.findings.length]), [
      ['trivy-operator-infra-assessment', 'cluster', 9],
      ['trivy-operator-exposed-secret', 'cluster', 1],
      ['trivy-operator-config-audit', 'cluster', 13],
      ['trivy-operator-rbac-assessment', 'cluster', 1],
      ['trivy-operator-vulnerability', 'cluster', 3],
    ]);
    assert.deepEqual([...skipped], []);
  });

  it('failed checks on the report’s object, under our rule id where one of ours judges the same field', () => {
    const config = bySource('trivy-operator-config-audit').findings;
    assert.deepEqual(new Set(config.map((f) => `${f.resource.apiVersion} ${f.resource.kind} ${f.resource.namespace}/${f.resource.name}`)), new Set(['v1 Pod default/my-pod']));
    assert.deepEqual(config.map((f) => `${f.ruleId} ${f.severity}`).sort(), [
      'cpu-limit-missing low',
      'memory-limit-missing low',
      'pss-allow-privilege-escalation medium',
      'pss-capabilities-restricted low',
      'pss-capabilities-restricted low',
      'pss-run-as-non-root medium',
      'pss-seccomp-profile-baseline medium',
      'pss-seccomp-profile-restricted low',
      'read-only-root-filesystem high',
      'resource-requests-missing low',
      'resource-requests-missing low',
      'trivy-operator/KSV020 low',
      'trivy-operator/KSV021 low',
    ]);
    const escalation = config.find((f) => f.ruleId === 'pss-allow-privilege-escalation')!;
    assert.match(escalation.message, /^KSV001 Can elevate its own privileges: Container 'app' of Pod 'my-pod' should set 'securityContext.allowPrivilegeEscalation' to false$/);
    assert.match(escalation.remediation ?? '', /allowPrivilegeEscalation/);

    const [rbac] = bySource('trivy-operator-rbac-assessment').findings;
    assert.deepEqual([rbac.ruleId, rbac.severity, rbac.resource], ['rbac-read-secrets', 'medium', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespace: 'default', name: 'proxy' }]);
    const infra = bySource('trivy-operator-infra-assessment').findings;
    assert.ok(infra.every((f) => f.ruleId.startsWith('trivy-operator/KCV') && f.resource.kind === 'Pod' && f.resource.name === 'my-pod-kube-apiserver'));
  });

  it('every rule the map names is one of ours', () => {
    const ours = new Set(GENERATED_RULES.map((r) => r.id));
    for (const [tool, map] of Object.entries(EQUIVALENT_RULES)) for (const [theirs, rule] of Object.entries(map)) assert.ok(ours.has(rule), `${tool} ${theirs} → ${rule}`);
  });

  it('vulnerabilities as the scanner writes them: advisory id, the workload (a Deployment’s ReplicaSet is the Deployment), image and fix', () => {
    const vulns = bySource('trivy-operator-vulnerability').findings;
    assert.deepEqual(vulns.map((f) => [f.ruleId, f.severity, f.resource.kind, f.resource.namespace, f.resource.name, readVulnerabilityMessage(f.message)]), [
      ['CVE-2019-20367', 'critical', 'Deployment', 'default', 'nginx', { fixedIn: '0.9.1-2+deb10u1', image: 'index.docker.io/library/nginx:1.16', container: 'nginx' }],
      ['CVE-2018-25009', 'critical', 'Deployment', 'default', 'nginx', { image: 'index.docker.io/library/nginx:1.16', container: 'nginx' }],
      ['CVE-2021-3121', 'high', 'Deployment', 'kube-system', 'coredns', { fixedIn: '1.3.2', image: 'k8s.gcr.io/coredns/coredns:v1.8.0', container: 'coredns' }],
    ]);
    assert.match(vulns[1].message, /^libwebp6 0\.6\.1-2 is affected by CVE-2018-25009: libwebp: out-of-bounds read in WebPMuxCreateInternal; no fix published — image /);
  });

  it('exposed secrets: one finding per rule and file, never the matched text', () => {
    const secrets = bySource('trivy-operator-exposed-secret').findings;
    assert.deepEqual(secrets.map((f) => [f.ruleId, f.severity, f.resource.kind, f.resource.name, f.path]), [['trivy-operator/stripe-access-token', 'high', 'Deployment', 'app', '/containers/app/image/files/~1app~1config~1secret.yaml']]);
    assert.doesNotMatch(JSON.stringify(secrets), /publishable_key|secret_key|\*\*\*/);
  });

  it('counts what it cannot use and goes on', () => {
    const text = `
apiVersion: aquasecurity.github.io/v1alpha1
kind: SbomReport
metadata: {name: x, namespace: default}
---
apiVersion: aquasecurity.github.io/v1alpha1
kind: VulnerabilityReport
metadata: {name: orphan, namespace: default}
report: {vulnerabilities: [{vulnerabilityID: CVE-2024-1}]}
---
apiVersion: aquasecurity.github.io/v1alpha1
kind: ConfigAuditReport
metadata: {name: pod-p, namespace: default, labels: {trivy-operator.resource.kind: Pod, trivy-operator.resource.name: p}}
report: {checks: [{checkID: KSV-0017, severity: HIGH, success: false}, {severity: LOW, success: false}, {checkID: KSV999, success: true}]}
`;
    const { results, skipped } = importResults(importDocuments(text, 'mixed.yaml'));
    assert.deepEqual([...skipped], [['SbomReport (aquasecurity.github.io/v1alpha1)', 1], ['VulnerabilityReport without owner or trivy-operator.resource labels', 1], ['check without checkID', 1]]);
    assert.deepEqual(results.map((r) => r.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`)), [['pss-privileged Pod/p']]);
  });
});

eachStore('Trivy Operator imports on the server', (open) => {
  it('sit beside ours as vulnerability records, one finding per problem', async () => {
    const store = await open();
    const now = new Date('2026-06-01T12:00:00Z');
    const coredns = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'coredns' };
    const myPod = { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'my-pod' };
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-01T10:00:00.000Z', findings: [finding('CVE-2021-3121', coredns, 'high', '/spec/template/spec/containers/0/image'), finding('pss-run-as-non-root', myPod, 'medium', '/spec/containers/0/securityContext/runAsNonRoot')] }), { now });

    const outcomes = [];
    for (const r of all().results) outcomes.push(await ingestUpload(store, uploadBody(uploadText({ source: r.source, scannedAt: '2026-06-01T11:00:00.000Z', findings: r.findings })), { now }));
    assert.deepEqual(outcomes.map((o) => [o.source, o.received, o.duplicates, o.new]), [
      ['trivy-operator-infra-assessment', 9, 0, 9],
      ['trivy-operator-exposed-secret', 1, 0, 1],
      ['trivy-operator-config-audit', 13, 1, 10],
      ['trivy-operator-rbac-assessment', 1, 0, 1],
      ['trivy-operator-vulnerability', 3, 1, 2],
    ]);
    const groups = await advisoryGroups(store, {}, 10);
    assert.deepEqual(groups.map((g) => [g.id, g.findings, g.fixable]), [
      ['CVE-2018-25009', 1, 0],
      ['CVE-2019-20367', 1, 1],
      ['CVE-2021-3121', 1, 0],
    ]);

    // a later vulnerability import without CVE-2019-20367: fixed there; the config-audit findings keep their state
    const vulns = all().results.find((r) => r.source === 'trivy-operator-vulnerability')!;
    const later = await ingestUpload(store, uploadBody(uploadText({ source: vulns.source, scannedAt: '2026-06-02T11:00:00.000Z', findings: vulns.findings.filter((f) => f.ruleId !== 'CVE-2019-20367') })), { now });
    assert.deepEqual([later.fixed, later.new], [1, 0]);
    const open_ = (await listFindings(store, { statuses: ['open'] }, 100)).rows;
    assert.equal(open_.filter((r) => r.source === 'trivy-operator-config-audit').length, 10);
  });
});
