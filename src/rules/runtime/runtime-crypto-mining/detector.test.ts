import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';

testDetectorFixtures(detector, import.meta.url);

it('is quiet on the real Hubble and Tetragon samples', () => {
  for (const f of ['hubble-otel_basic-sample-400-tcp-flows.jsonl', 'hubble-otel_basic-sample-348-http-flows.jsonl']) assert.deepEqual(runDetector(detector, readTestdata('hubble-flows', f)).incidents, [], f);
  assert.deepEqual(runDetector(detector, readTestdata('tetragon-events', 'tetragon-docs_examples.jsonl')).incidents, []);
});
