import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetectorOnEvents, testDetectorFixtures } from '../test-support.js';
import { pantherCases } from '../panther-test-helpers.js';

testDetectorFixtures(detector, import.meta.url);

it('meets every Panther Kubernetes.Pod.StealServiceAccountToken expectation (fires on the true cases, not on the false ones)', () => {
  const cases = pantherCases('Kubernetes.Pod.StealServiceAccountToken');
  assert.equal(cases.length, 12);
  for (const c of cases) {
    const fired = runDetectorOnEvents(detector, c.events).incidents.length > 0;
    assert.equal(fired, c.expected, `${c.name} (${c.format})`);
  }
});
