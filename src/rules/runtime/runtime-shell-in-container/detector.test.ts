import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';

testDetectorFixtures(detector, import.meta.url);

it('fires on the three "Terminal shell in container" alerts of the Falco docs (pod alpine twice, months apart: two incidents)', () => {
  const r = runDetector(detector, readTestdata('falco-events', 'docs-examples.jsonl'));
  assert.deepEqual(r.incidents.map((i) => `${i.workload.namespace}/${i.workload.pod} ${i.firstSeen}`).sort(), ['default/alpine 2021-04-10T19:27:21.002873265Z', 'default/alpine 2021-07-21T10:36:32.750441241Z', 'default/kubecon 2023-05-25T13:44:05.478445995Z']);
  assert.ok(r.incidents.every((i) => i.severity === 'high'));
});

it('is quiet on every process of the Tetragon samples (no shell is started interactively there)', () => {
  for (const f of ['tetragon-testdata_events.jsonl', 'tetragon-docs_examples.jsonl', 'tetragon-book_security-observability-with-ebpf.jsonl']) {
    assert.deepEqual(runDetector(detector, readTestdata('tetragon-events', f)).incidents, [], f);
  }
});
