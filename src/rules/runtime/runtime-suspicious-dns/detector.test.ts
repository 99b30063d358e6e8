import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';

testDetectorFixtures(detector, import.meta.url);

it('is quiet on the 330 real DNS flows (Istio search-path expansions answered NXDOMAIN included)', () => {
  const text = readTestdata('hubble-flows', 'hubble-otel_basic-sample-330-dns-flows.jsonl');
  assert.ok((text.match(/"rcode":3/g) ?? []).length > 50, 'the sample does hold many NXDOMAIN answers');
  assert.deepEqual(runDetector(detector, text).incidents.map((i) => i.message), []);
});
