import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Resource } from '../../core/model.js';
import { refOf } from '../../core/ref.js';
import { pssReport, pssSummary } from './index.js';

function res(object: KubeObject, line: number): Resource {
  return { ref: refOf(object), object, source: { file: 'm.yaml', line } };
}

const deployment: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
  spec: { template: { metadata: {}, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'i' }] } } },
};
const cronJob: KubeObject = {
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' },
  spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: 'i', securityContext: { capabilities: { add: ['NET_RAW'] } } }], containers: [{ name: 'c' }] } } } } },
};
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok' }, spec: { containers: [{ name: 'c' }] } };
const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: {} };

describe('pssReport', () => {
  const rows = pssReport([res(deployment, 1), res(cronJob, 20), res(pod, 40), res(configMap, 50)], 'baseline', 'latest');

  it('has one row per pod-bearing object, in input order', () => {
    assert.deepEqual(rows.map((r) => [r.kind, r.name, r.namespace, r.line, r.allowed]), [
      ['Deployment', 'web', 'shop', 1, false],
      ['CronJob', 'nightly', undefined, 20, false],
      ['Pod', 'ok', undefined, 40, true],
    ]);
  });

  it('reports violations with pointers into the workload', () => {
    assert.deepEqual(rows[0].violations.map((v) => [v.check, v.paths]), [['hostNamespaces', ['/spec/template/spec/hostNetwork']]]);
    assert.deepEqual(rows[1].violations.map((v) => [v.check, v.paths]), [
      ['capabilities_baseline', ['/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/capabilities/add/0']],
    ]);
  });

  it('summarises', () => {
    assert.deepEqual(pssSummary(rows), { objects: 3, allowed: 1, denied: 2, byCheck: { hostNamespaces: 1, capabilities_baseline: 1 } });
  });
});
