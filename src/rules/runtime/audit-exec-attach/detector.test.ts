import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';

testDetectorFixtures(detector, import.meta.url);

it('names the user and the command of the exec (Falco trace exec_pod.json)', () => {
  const r = runDetector(detector, readTestdata('k8s-audit', 'falco-trace-files', 'exec_pod.json'));
  assert.equal(r.incidents.length, 1);
  assert.equal(r.incidents[0].message, 'minikube-user ran bash in pod default/nginx-deployment-7998647bdf-phvq7');
  assert.deepEqual(r.incidents[0].workload, { namespace: 'default', name: 'nginx-deployment', pod: 'nginx-deployment-7998647bdf-phvq7' });
});
