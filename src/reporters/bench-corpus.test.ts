/**
 * The streamed reports on the bench corpus (bench/scan/corpus.ts, as bench/cli scans it): the JSON report is, byte for
 * byte, JSON.stringify of the whole report; SARIF holds one result per finding saying what the finding says (#25).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { syntheticObjects } from '../../bench/scan/corpus.js';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { scan } from '../engine/scan.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { RULES } from '../engine/catalog.js';
import { forDisplay } from '../engine/display.js';
import { findingFingerprint } from '../core/fingerprint.js';
import { formatRef } from '../core/ref.js';
import { REPORTERS, renderedToString } from './index.js';

const text = syntheticObjects(1500).map((o) => yaml.dump(o)).join('---\n');
const scanned = scan(parseManifestText(text, 'corpus.yaml').resources, { rules: resolveRules(RULES, {}), now: new Date('2026-12-06') });
const category = (id: string) => RULES.find((r) => r.id === id)?.category;
const shown = forDisplay(scanned, {}, category);
const ctx = { color: false, rules: RULES };

describe('streamed reports on the bench corpus', () => {
  it('has findings of many rules, merged ones among them', () => {
    assert.ok(shown.findings.length > 5000 && new Set(shown.findings.map((f) => f.ruleId)).size > 15);
    assert.ok(shown.findings.some((f) => f.related?.length));
  });

  it('JSON: exactly JSON.stringify of the whole report', () => {
    assert.equal(renderedToString(REPORTERS.json(shown, ctx)), JSON.stringify(shown, null, 2) + '\n');
  });

  it('SARIF: printed as JSON.stringify prints it, one result per finding with its rule, line, message and fingerprint', () => {
    const sarif = renderedToString(REPORTERS.sarif(shown, ctx));
    const doc = JSON.parse(sarif);
    assert.equal(sarif, JSON.stringify(doc) + '\n');
    const { results, tool } = doc.runs[0];
    assert.equal(results.length, shown.findings.length);
    shown.findings.forEach((f, i) => {
      const r = results[i];
      // the members, in the order the SARIF of earlier versions printed them
      assert.deepEqual(Object.keys(r), ['ruleId', 'ruleIndex', 'level', 'message', 'locations', ...(f.related?.length ? ['relatedLocations'] : []), 'partialFingerprints', 'properties']);
      assert.deepEqual(Object.keys(r.locations[0]), ['physicalLocation', 'logicalLocations']);
      assert.equal(r.ruleId, f.ruleId);
      assert.equal(tool.driver.rules[r.ruleIndex].id, f.ruleId);
      assert.equal(r.message.text, `${f.message} (${formatRef(f.resource)} ${f.path})`);
      assert.deepEqual(r.locations[0].physicalLocation, { artifactLocation: { uri: 'corpus.yaml' }, region: { startLine: f.location!.line } });
      assert.equal(r.partialFingerprints['kubeguard/v1'], findingFingerprint(f.ruleId, f.resource, f.path));
      assert.equal(r.relatedLocations?.length, f.related?.length);
    });
  });
});
