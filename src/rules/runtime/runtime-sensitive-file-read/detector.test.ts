import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';

testDetectorFixtures(detector, import.meta.url);

it('is quiet on the Tetragon write of /etc/passwd (a write, and not a secret file) and on the Falco samples', () => {
  assert.deepEqual(runDetector(detector, readTestdata('tetragon-events', 'tetragon-book_security-observability-with-ebpf.jsonl')).incidents, []);
  assert.deepEqual(runDetector(detector, readTestdata('falco-events', 'docs-examples.jsonl')).incidents, []);
});
