import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, runDetectorOnEvents, testDetectorFixtures } from '../test-support.js';
import { pantherCases } from '../panther-test-helpers.js';
import { readTestdata } from '../../../test-support/testdata.js';

testDetectorFixtures(detector, import.meta.url);

it('meets every Panther Kubernetes.ClusterRoleBinding.Privileged expectation', () => {
  const cases = pantherCases('Kubernetes.ClusterRoleBinding.Privileged');
  assert.equal(cases.length, 9);
  for (const c of cases) assert.equal(runDetectorOnEvents(detector, c.events).incidents.length > 0, c.expected, `${c.name} (${c.format})`);
});

it('names the subjects (Falco trace attach_cluster_admin_role.json)', () => {
  const r = runDetector(detector, readTestdata('k8s-audit', 'falco-trace-files', 'attach_cluster_admin_role.json'));
  assert.equal(r.incidents[0].message, 'minikube-user bound cluster-admin to User minikube (ClusterRoleBinding some-reader-binding)');
});
