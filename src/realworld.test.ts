// Findings people can trust on real manifests: for each real input under testdata/realworld, the reviewed list of
// every high and critical finding (testdata/realworld/expectations/<input>.yaml, each with the reason it is right).
// A finding that appears or disappears fails here, with the difference.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { REPO_ROOT } from './test-support/conformance.js';
import { loadPaths } from './sources/files/load.js';
import { resolveNamespaces } from './core/namespaces.js';
import { formatRef } from './core/ref.js';
import { DEFAULT_CONFIG } from './engine/config.js';
import { RULES, ruleById } from './engine/catalog.js';
import { resolveRules } from './engine/resolve-rules.js';
import { scan } from './engine/scan.js';
import { forDisplay } from './engine/display.js';

interface Expected {
  severity: string;
  rule: string;
  resource: string;
  path: string;
  reason: string;
}

const BASE = join(REPO_ROOT, 'testdata', 'realworld');
const key = (e: { severity: string; rule: string; resource: string; path: string }) => `${e.severity} ${e.rule} ${e.resource} ${e.path}`;

describe('real-world inputs: every high and critical finding is reviewed', () => {
  const files = readdirSync(join(BASE, 'expectations')).filter((f) => f.endsWith('.yaml'));
  it('has an expectation file per input', () => assert.ok(files.length >= 3));
  for (const file of files) {
    const input = file.replace(/\.yaml$/, '');
    it(input, () => {
      const expected = (yaml.load(readFileSync(join(BASE, 'expectations', file), 'utf8')) ?? []) as Expected[];
      for (const e of expected) assert.ok(e.reason?.length > 20 && ruleById(e.rule), `${input}: ${key(e)} needs a known rule and a reason`);
      const loaded = loadPaths([join(BASE, input)]);
      assert.deepEqual(loaded.errors, []);
      const report = scan(resolveNamespaces(loaded.resources).resources, { rules: resolveRules(RULES, DEFAULT_CONFIG), now: new Date('2026-06-01') });
      const shown = forDisplay(report, { severity: 'high' }, (id) => ruleById(id)?.category);
      const actual = shown.findings.map((f) => key({ severity: f.severity, rule: f.ruleId, resource: formatRef(f.resource), path: f.path }));
      const want = expected.map(key);
      assert.deepEqual(
        { appeared: actual.filter((a) => !want.includes(a)).sort(), disappeared: want.filter((w) => !actual.includes(w)).sort() },
        { appeared: [], disappeared: [] },
      );
    });
  }
});
