import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, testDetectorFixtures } from '../test-support.js';
import { readFileSync } from 'node:fs';

testDetectorFixtures(detector, import.meta.url);

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

it('download then execute: both events are the evidence, reported once', () => {
  const r = runDetector(detector, fixture('fail-download-then-exec.jsonl'));
  assert.equal(r.incidents.length, 1);
  assert.deepEqual(r.incidents[0].evidence.map((e) => e.kind), ['file.access', 'process.exec']);
  assert.match(r.incidents[0].message, /written by curl and then executed/);
});

it('a file written longer ago than the window is not tied to its execution', () => {
  const r = runDetector(detector, fixture('fail-download-then-exec.jsonl'), { options: { windowMs: 1000 } });
  assert.deepEqual(r.incidents, []);
});
