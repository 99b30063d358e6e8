import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import detector from './detector.js';
import egress from '../runtime-external-egress/detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { BaselineIndex, BaselineLearner } from '../../../analysis/runtime/baseline.js';
import { readEventsText } from '../../../sources/events/reader.js';
import { RuntimeEngine } from '../../../analysis/runtime/engine.js';
import type { Incident } from '../../../analysis/runtime/incidents.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The fixtures' baseline is learnt from the pass fixture's first half (the workload's normal week), then locked. */
function learnt() {
  const learner = new BaselineLearner();
  for (const e of readEventsText(fixture('learn-normal.jsonl')).events) learner.learn(e);
  return new BaselineIndex(learner.finish(true));
}
const index = learnt();
const environment = { baseline: (w: Parameters<BaselineIndex['view']>[0]) => index.view(w) };

testDetectorFixtures(detector, import.meta.url, () => ({ environment }));

it('one incident per workload gathers its deviations; an external destination is left to runtime-external-egress', () => {
  const { events } = readEventsText(fixture('fail-new-behaviour.jsonl'));
  const incidents: Incident[] = [];
  const engine = new RuntimeEngine({ detectors: [detector, egress], environment, onClose: (i) => incidents.push(i) });
  for (const e of events) engine.process(e);
  engine.finish();
  assert.deepEqual(incidents.map((i) => [i.ruleId, i.count]).sort(), [['runtime-baseline-deviation', 4], ['runtime-external-egress', 1]]);
});

it('without a locked baseline nothing is a deviation', () => {
  assert.equal(runDetector(detector, fixture('fail-new-behaviour.jsonl')).incidents.length, 0);
});
