import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { BaselineIndex, type Baseline } from '../../../analysis/runtime/baseline.js';

/** The baseline the fixtures are judged against: web talks to api.stripe.com and one partner range. */
const baseline: Baseline = {
  apiVersion: 'kubeguard.io/v1',
  kind: 'RuntimeBaseline',
  locked: true,
  learned: { events: 10 },
  workloads: [{ namespace: 'shop', workload: 'web', containers: { nginx: { processes: [], egress: ['api.stripe.com:443/TCP', '198.51.100.0/24:443/TCP', 'kube-system/coredns:53/UDP'], ingress: [], dns: [], http: [] } } }],
};
const index = new BaselineIndex(baseline);
const environment = { baseline: (w: Parameters<BaselineIndex['view']>[0]) => index.view(w) };

testDetectorFixtures(detector, import.meta.url, () => ({ environment }));

it('without a locked baseline the detector has nothing to compare with and stays quiet', () => {
  const text = readFileSync(new URL('./fixtures/fail-new-destination.jsonl', import.meta.url), 'utf8');
  assert.equal(runDetector(detector, text).incidents.length, 0);
  const unlocked = new BaselineIndex({ ...baseline, locked: false });
  assert.equal(runDetector(detector, text, { environment: { baseline: (w) => unlocked.view(w) } }).incidents.length, 0);
  assert.equal(runDetector(detector, text, { environment }).incidents.length, 1);
});
