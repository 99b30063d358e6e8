import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { scan } from '../engine/scan.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { RULES } from '../engine/catalog.js';
import { REPORTERS, renderedToString } from './index.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: "web<&>"
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx:latest
      securityContext:
        privileged: true
`;

function report() {
  const parsed = parseManifestText(POD, 'deploy/pod.yaml');
  return scan(parsed.resources, { rules: resolveRules(RULES, { preset: 'strict' }), now: new Date('2026-01-01'), errors: [{ kind: 'parse', file: 'deploy/bad.yaml', line: 3, message: 'bad indentation' }] });
}
const ctx = { color: false, rules: RULES };

describe('reporters', () => {
  it('SARIF 2.1.0: rules with help, results with startLine and stable fingerprints', () => {
    const r = report();
    const doc = JSON.parse(renderedToString(REPORTERS.sarif(r, ctx)));
    assert.equal(doc.version, '2.1.0');
    const run = doc.runs[0];
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    const privileged = run.results.find((x: { ruleId: string }) => x.ruleId === 'pss-privileged');
    assert.ok(privileged, 'privileged result present');
    assert.equal(ids[privileged.ruleIndex], 'pss-privileged');
    assert.equal(privileged.level, 'error');
    assert.deepEqual(privileged.locations[0].physicalLocation, { artifactLocation: { uri: 'deploy/pod.yaml' }, region: { startLine: 11 } });
    assert.ok(run.tool.driver.rules[privileged.ruleIndex].help.text.length > 20);
    const again = JSON.parse(renderedToString(REPORTERS.sarif(report(), ctx)));
    assert.deepEqual(again.runs[0].results.map((x: { partialFingerprints: object }) => x.partialFingerprints), run.results.map((x: { partialFingerprints: object }) => x.partialFingerprints));
    assert.equal(run.invocations[0].executionSuccessful, false);
    assert.equal(run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.region.startLine, 3);
  });

  it('JUnit: one failure per finding, errors as errors, escaped XML', () => {
    const r = report();
    const xml = renderedToString(REPORTERS.junit(r, ctx));
    assert.equal((xml.match(/<failure /g) ?? []).length, r.findings.length);
    assert.equal((xml.match(/<error /g) ?? []).length, 1);
    assert.ok(xml.includes('web&lt;&amp;&gt;'));
    assert.ok(!xml.includes('web<&>'));
  });

  it('HTML: self-contained (no external resources), escaped, with filters', () => {
    const html = renderedToString(REPORTERS.html(report(), ctx));
    assert.ok(!/\b(src|href)=["']?https?:/i.test(html), 'no external resources');
    assert.ok(html.includes('id="sev"') && html.includes('id="rule"'));
    assert.ok(!html.includes('web<&>'));
  });

  it('markdown and table carry every finding', () => {
    const r = report();
    const md = renderedToString(REPORTERS.markdown(r, ctx));
    const table = renderedToString(REPORTERS.table(r, ctx));
    for (const f of r.findings) {
      assert.ok(md.includes(`\`${f.ruleId}\``));
      assert.ok(table.includes(f.ruleId));
    }
    assert.ok(!table.includes('\u001b['), 'no colour when not asked');
  });
});

describe('json reporter', () => {
  it('streams exactly what JSON.stringify(report, null, 2) would print', () => {
    const r = report();
    assert.ok(r.findings.length > 1);
    assert.equal(renderedToString(REPORTERS.json(r, ctx)), JSON.stringify(r, null, 2) + '\n');
    const empty = { ...r, findings: [] };
    assert.equal(renderedToString(REPORTERS.json(empty, ctx)), JSON.stringify(empty, null, 2) + '\n');
  });
});

describe('SARIF streaming', () => {
  it('writes results one by one, exactly as JSON.stringify of the whole document would, without indentation (with and without results)', () => {
    const r = report();
    for (const rep of [r, { ...r, findings: [] }]) {
      const text = renderedToString(REPORTERS.sarif(rep, ctx));
      assert.equal(text, JSON.stringify(JSON.parse(text)) + '\n');
      assert.equal(JSON.parse(text).runs[0].results.length, rep.findings.length);
    }
    assert.equal(typeof REPORTERS.sarif(r, ctx), 'object', 'chunks, not one string');
  });
});
