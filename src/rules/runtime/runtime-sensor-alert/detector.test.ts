import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import shell from '../runtime-shell-in-container/detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';
import { readEventsText } from '../../../sources/events/reader.js';
import { RuntimeEngine } from '../../../analysis/runtime/engine.js';
import type { Incident } from '../../../analysis/runtime/incidents.js';

testDetectorFixtures(detector, import.meta.url);

it('collapses the 8 alerts of Falco\'s regression output into one incident with their count and the priority mapped', () => {
  const r = runDetector(detector, readTestdata('falco-events', 'falco-test-expected-output_single_rule_with_cat_write.jsonl'));
  assert.equal(r.incidents.length, 1);
  assert.deepEqual([r.incidents[0].count, r.incidents[0].severity, r.incidents[0].message], [8, 'medium', 'Falco: open_from_cat in the cluster']);
});

it('an alert a kubeguard detector reported on is not reported again', () => {
  const { events } = readEventsText(readTestdata('falco-events', 'docs-examples.jsonl'));
  const incidents: Incident[] = [];
  const engine = new RuntimeEngine({ detectors: [detector, shell], onClose: (i) => incidents.push(i) });
  for (const e of events) engine.process(e);
  engine.finish();
  const byRule = (id: string) => incidents.filter((i) => i.ruleId === id).reduce((n, i) => n + i.count, 0);
  assert.equal(byRule('runtime-shell-in-container'), 3);
  assert.equal(byRule('runtime-sensor-alert'), 3, 'the two API server contacts and the binary-dir write, not the three shells');
});
