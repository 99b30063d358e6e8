import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eachStore } from '../store/test-support/stores.js';
import { finding, pod, uploadBody, uploadText } from '../upload/test-support/uploads.js';
import { listFindings } from '../store/findings.js';
import { ingestUpload } from '../../usecases/history/ingest.js';
import { importDocuments, importResults } from './read.js';

const reportResults = (text: string, file: string) => importResults(importDocuments(text, file)).results;

/** Shaped as Kyverno 1.1x writes its per-resource reports (wgpolicyk8s.io/v1alpha2, scope = the resource). */
const KYVERNO = `
apiVersion: v1
kind: List
items:
- apiVersion: wgpolicyk8s.io/v1alpha2
  kind: PolicyReport
  metadata: {name: 2f6a3c1e-0d7b-4b1e-9a55-7c1f0d2e9b11, namespace: default}
  scope: {apiVersion: v1, kind: Pod, name: a, namespace: default, uid: 2f6a3c1e-0d7b-4b1e-9a55-7c1f0d2e9b11}
  summary: {error: 0, fail: 2, pass: 1, skip: 1, warn: 0}
  results:
  - {policy: disallow-privileged-containers, rule: privileged-containers, result: fail, severity: medium, source: kyverno, scored: true, message: "validation error: Privileged mode is disallowed.", timestamp: {nanos: 0, seconds: 1717236000}, category: Pod Security Standards (Baseline)}
  - {policy: require-labels, rule: check-for-labels, result: fail, severity: low, source: kyverno, scored: true, message: "label 'app.kubernetes.io/name' is required", timestamp: {nanos: 0, seconds: 1717236000}}
  - {policy: disallow-host-path, rule: host-path, result: pass, source: kyverno, scored: true, timestamp: {nanos: 0, seconds: 1717236000}}
  - {policy: restrict-image-registries, rule: validate-registries, result: skip, source: kyverno, message: "excepted by PolicyException default/debug", timestamp: {nanos: 0, seconds: 1717236000}}
---
apiVersion: openreports.io/v1alpha1
kind: Report
metadata: {name: kubewarden-b, namespace: default}
source: kubewarden
results:
- {policy: no-privileged-pod, result: fail, severity: high, resources: [{apiVersion: v1, kind: Pod, name: b, namespace: default}], timestamp: {nanos: 0, seconds: 1717236000}}
- {policy: no-host-network, result: error, resources: [{apiVersion: v1, kind: Pod, name: b, namespace: default}], timestamp: {nanos: 0, seconds: 1717236000}}
`;

eachStore('imports of other tools’ reports', (open) => {
  it('sit beside ours, one finding per problem', async () => {
    const store = await open();
    const now = new Date('2026-06-01T12:00:00Z');
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-01T10:00:00.000Z', findings: [finding('pss-privileged', pod('a'), 'high', '/spec/containers/0/securityContext/privileged')] }), { now });

    const imported = reportResults(KYVERNO, 'reports.yaml');
    assert.deepEqual(imported.map((r) => [r.source, r.findings.map((f) => f.ruleId), r.held.length, r.suppressed.length]), [
      ['kyverno', ['pss-privileged', 'kyverno/require-labels'], 0, 1],
      ['kubewarden', ['kubewarden/no-privileged-pod'], 1, 0],
    ]);
    const outcomes = [];
    for (const r of imported) {
      const text = uploadText({ source: r.source, scannedAt: '2026-06-01T11:00:00.000Z', findings: r.findings, held: r.held, suppressed: r.suppressed });
      outcomes.push(await ingestUpload(store, uploadBody(text), { now }));
    }
    assert.deepEqual(outcomes.map((o) => [o.source, o.received, o.duplicates, o.new]), [
      ['kyverno', 3, 1, 2],
      ['kubewarden', 1, 0, 1],
    ]);
    const rows = (await listFindings(store, {}, 100)).rows.map((r) => `${r.source} ${r.rule_id} ${r.name} ${r.status}`).sort();
    assert.deepEqual(rows, [
      'kubeguard pss-privileged a open',
      'kubewarden kubewarden/no-privileged-pod b open',
      'kyverno kyverno/require-labels a open',
      'kyverno kyverno/restrict-image-registries a excepted',
    ]);

    // Kyverno reported c first; when kubeguard reports it too, ours stands for both
    const c = reportResults(KYVERNO.replaceAll('name: a,', 'name: c,'), 'c.yaml')[0];
    await ingestUpload(store, uploadBody(uploadText({ source: 'kyverno', scannedAt: '2026-06-02T11:00:00.000Z', findings: c.findings })), { now });
    assert.ok((await listFindings(store, { names: ['c'], ruleIds: ['pss-privileged'] }, 10)).rows.every((r) => r.source === 'kyverno'));
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-02T12:00:00.000Z', findings: [finding('pss-privileged', pod('a'), 'high', '/spec/containers/0/securityContext/privileged'), finding('pss-privileged', pod('c'), 'high', '/spec/containers/0/securityContext/privileged')] }), { now });
    const onC = (await listFindings(store, { names: ['c'], ruleIds: ['pss-privileged'] }, 10)).rows.map((r) => r.source);
    assert.deepEqual(onC, ['kubeguard']);
  });

  it('refuses what is not a report', () => {
    const pod = importResults(importDocuments('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n---\n[1]\n', 'pod.yaml'));
    assert.deepEqual([pod.results, [...pod.skipped]], [[], [['Pod (v1)', 1], ['not an object', 1]]]);
    assert.throws(() => importDocuments('a: [', 'bad.yaml'), /bad.yaml: not YAML or JSON/);
  });
});
