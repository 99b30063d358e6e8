import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';
import { readFileSync } from 'node:fs';

testDetectorFixtures(detector, import.meta.url);

it('a credentials path is high severity; the request and its connection are one incident', () => {
  const r = runDetector(detector, readFileSync(new URL('./fixtures/fail-hubble-imds-credentials.jsonl', import.meta.url), 'utf8'));
  assert.equal(r.incidents.length, 1);
  assert.equal(r.incidents[0].severity, 'high');
  assert.equal(r.incidents[0].count, 2);
});

it('is quiet on the real Hubble HTTP and DNS samples', () => {
  for (const f of ['hubble-otel_basic-sample-348-http-flows.jsonl', 'hubble-otel_basic-sample-330-dns-flows.jsonl']) assert.deepEqual(runDetector(detector, readTestdata('hubble-flows', f)).incidents, [], f);
});
