import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetectorOnEvents, testDetectorFixtures } from '../test-support.js';
import { pantherCases } from '../panther-test-helpers.js';

testDetectorFixtures(detector, import.meta.url);

it('meets every Panther Kubernetes.Pod.Privileged.Created expectation', () => {
  const cases = pantherCases('Kubernetes.Pod.Privileged.Created');
  assert.equal(cases.length, 8);
  for (const c of cases) assert.equal(runDetectorOnEvents(detector, c.events).incidents.length > 0, c.expected, `${c.name} (${c.format})`);
});
