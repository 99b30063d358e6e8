import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';

testDetectorFixtures(detector, import.meta.url);

const falcoDocs = readTestdata('falco-events', 'docs-examples.jsonl');

it('the two "Contact K8S API Server From Container" alerts of the Falco docs: low severity when posture is unknown', () => {
  const r = runDetector(detector, falcoDocs);
  assert.deepEqual(r.incidents.map((i) => [i.workload.namespace, i.workload.name, i.severity]).sort(), [
    ['fission-function', 'poolmgr-go-default-516098', 'low'],
    ['openfaas-fn', 'falco-pod-delete', 'low'],
  ].sort());
});

it('posture decides: quiet when the service account may use the API, medium when it may not, high without a token', () => {
  const expected = (facts: object) => runDetector(detector, falcoDocs, { environment: { facts: () => facts } }).incidents.map((i) => i.severity);
  assert.deepEqual(expected({ apiPermissions: true, tokenMounted: true }), []);
  assert.deepEqual(expected({ apiPermissions: false, tokenMounted: true }), ['medium', 'medium']);
  assert.deepEqual(expected({ tokenMounted: false }), ['high', 'high']);
});

it('the API server address comes from the cluster too (the kubernetes Service of a snapshot)', () => {
  const line = JSON.stringify({ v: 1, kind: 'network.connect', time: '2024-05-02T10:00:00Z', workload: { namespace: 'shop', pod: 'web-0', container: 'web' }, network: { protocol: 'TCP', src: { ip: '10.244.1.7', port: 40000 }, dst: { ip: '10.32.0.1', port: 443 }, direction: 'egress' } });
  assert.equal(runDetector(detector, line).incidents.length, 0);
  assert.equal(runDetector(detector, line, { environment: { apiServers: ['10.32.0.1'] } }).incidents.length, 1);
});
