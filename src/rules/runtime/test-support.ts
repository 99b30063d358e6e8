/**
 * Harness for detector tests: every detector folder has fixtures/fail-*.jsonl (events it must report on) and
 * fixtures/pass-*.jsonl (events it must stay quiet on), in any producer's format; they go through the real
 * adapters and the real engine, with only the detector under test enabled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Detector } from '../../core/detector.js';
import type { RuntimeEvent } from '../../core/events/model.js';
import { readEventsText } from '../../sources/events/reader.js';
import { RuntimeEngine, type RuntimeEnvironment, type DetectorSetting } from '../../analysis/runtime/engine.js';
import type { Incident } from '../../analysis/runtime/incidents.js';

export interface DetectorRun {
  incidents: Incident[];
  events: RuntimeEvent[];
  engine: RuntimeEngine;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDetector = Detector<any>;

export interface RunOptions {
  options?: Record<string, unknown>;
  environment?: RuntimeEnvironment;
  severity?: DetectorSetting['severity'];
}

export function runDetectorOnEvents(detector: AnyDetector, events: readonly RuntimeEvent[], run: RunOptions = {}): DetectorRun {
  const incidents: Incident[] = [];
  const engine = new RuntimeEngine({
    detectors: [detector],
    settings: { [detector.id]: { options: run.options, severity: run.severity } },
    environment: run.environment,
    onClose: (i) => incidents.push(i),
  });
  for (const e of events) engine.process(e);
  engine.finish();
  assert.deepEqual(engine.stats.failures, {}, 'the detector threw');
  return { incidents, events: [...events], engine };
}

export function runDetector(detector: AnyDetector, text: string, run: RunOptions = {}): DetectorRun {
  const { events, stats } = readEventsText(text);
  assert.equal(stats.skipped, 0, `fixture lines skipped: ${JSON.stringify(stats.reasons)}`);
  return runDetectorOnEvents(detector, events, run);
}

export function fixtureFiles(testFileUrl: string): { pass: string[]; fail: string[] } {
  const dir = join(dirname(fileURLToPath(testFileUrl)), 'fixtures');
  const names = readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort();
  return { pass: names.filter((n) => n.startsWith('pass')).map((n) => join(dir, n)), fail: names.filter((n) => n.startsWith('fail')).map((n) => join(dir, n)) };
}

/** The standard fixture test: each fail fixture opens an incident of this detector, each pass fixture none. */
export function testDetectorFixtures(detector: AnyDetector, testFileUrl: string, run: (file: string) => RunOptions = () => ({})): void {
  const { pass, fail } = fixtureFiles(testFileUrl);
  describe(`${detector.id} fixtures`, () => {
    it('has at least one passing and one failing fixture', () => {
      assert.ok(pass.length > 0, 'no pass-* fixture');
      assert.ok(fail.length > 0, 'no fail-* fixture');
    });
    for (const f of fail) {
      it(`reports on ${f.split('/').pop()}`, () => {
        const r = runDetector(detector, readFileSync(f, 'utf8'), run(f));
        assert.ok(r.incidents.length > 0, `expected an incident from ${detector.id}`);
        for (const i of r.incidents) {
          assert.equal(i.ruleId, detector.id);
          assert.ok(i.evidence.length > 0);
          assert.ok(!i.message.includes('{{'), `message has an unfilled placeholder: ${i.message}`);
        }
      });
    }
    for (const f of pass) {
      it(`is quiet on ${f.split('/').pop()}`, () => {
        const r = runDetector(detector, readFileSync(f, 'utf8'), run(f));
        assert.deepEqual(r.incidents.map((i) => i.message), []);
      });
    }
  });
}
