// Every configuration snippet in the README and docs/ is loaded as a user would load it: parsed, validated
// against the schema, resolved against the rule catalogue (unknown ids fail), and — with an admission section —
// built into the webhook's policy. An object snippet with kubeguard.io/ignore must name known rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { REPO_ROOT } from './test-support/conformance.js';
import { parseConfig } from './sources/config/parse-config.js';
import { resolveRules, findRule } from './engine/resolve-rules.js';
import { RULES } from './engine/catalog.js';
import { celRules } from './engine/cel-rules.js';
import { buildPolicy } from './usecases/admission/policy.js';
import { IGNORE_ANNOTATION, parseIgnoreAnnotation } from './engine/exceptions.js';

const CONFIG_KEYS = new Set(['preset', 'failOn', 'rules', 'exceptions', 'annotationExceptions', 'admission', 'server', 'runtime', 'customRules', 'drift']);

function yamlBlocks(file: string): { file: string; line: number; text: string }[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: { file: string; line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue;
    const start = i + 1;
    while (++i < lines.length && !/^```\s*$/.test(lines[i]));
    out.push({ file, line: start, text: lines.slice(start, i).join('\n') });
  }
  return out;
}

const docs = [join(REPO_ROOT, 'README.md'), ...readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(REPO_ROOT, 'docs', f))];
const blocks = docs.flatMap(yamlBlocks);

describe('configuration snippets in the README and docs', () => {
  it('finds the snippets', () => assert.ok(blocks.filter((b) => Object.keys((yaml.load(b.text) as object) ?? {}).some((k) => CONFIG_KEYS.has(k))).length >= 3));
  for (const b of blocks) {
    const where = `${b.file.slice(REPO_ROOT.length + 1)}:${b.line}`;
    const value = yaml.load(b.text) as Record<string, unknown> | null;
    if (!value || typeof value !== 'object') continue;
    const keys = Object.keys(value);
    if (keys.some((k) => CONFIG_KEYS.has(k))) {
      it(`${where} loads as a kubeguard.yaml`, () => {
        assert.deepEqual(keys.filter((k) => !CONFIG_KEYS.has(k)), [], 'only config keys');
        const config = parseConfig(b.text, where);
        const catalog = [...RULES, ...celRules(config, [], new Set(RULES.map((r) => r.id)))];
        assert.ok(resolveRules(catalog, config).length > 0);
        // the policy is built, not run: gates that call out get functions that would fail if they were called
        const unused = () => Promise.reject(new Error('not called: the snippet is only loaded'));
        if (config.admission) buildPolicy({ catalog, config, providers: { verifySignature: unused, lookupScanResult: unused } });
      });
    }
    const ignore = (value.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[IGNORE_ANNOTATION];
    if (ignore !== undefined) {
      it(`${where}: the ${IGNORE_ANNOTATION} annotation names known rules and a reason`, () => {
        const parsed = parseIgnoreAnnotation(ignore);
        assert.equal(typeof parsed, 'object', String(parsed));
        for (const id of (parsed as { rules: string[] }).rules) assert.ok(findRule(RULES, id), id);
      });
    }
  }
});

describe('config spelling', () => {
  it('on/off, yes/no, true/false in any YAML spelling; severities and presets in any case', () => {
    const config = parseConfig(
      ['preset: Recommended', 'failOn: HIGH', 'rules:', '  liveness-probe-missing: off', '  readiness-probe-missing: No', '  cpu-limit-missing: YES', '  secret-in-env-var: "On"', '  image-tag-latest: Low', '  default-namespace: { enabled: no }', '  net-raw-not-dropped: { enabled: "TRUE", severity: High }'].join('\n'),
      'k.yaml',
    );
    const byId = new Map(resolveRules(RULES, config).map((r) => [r.rule.id, r]));
    assert.equal(byId.has('liveness-probe-missing'), false);
    assert.equal(byId.has('readiness-probe-missing'), false);
    assert.equal(byId.has('default-namespace'), false);
    assert.ok(byId.has('cpu-limit-missing') && byId.has('secret-in-env-var'));
    assert.equal(byId.get('image-tag-latest')?.severity, 'low');
    assert.equal(byId.get('net-raw-not-dropped')?.severity, 'high');
    assert.equal(config.failOn, 'high');
  });

  it('an unknown rule id is an error naming the nearest id', () => {
    assert.throws(() => resolveRules(RULES, parseConfig('rules:\n  workload-liveness-probe: off\n', 'k.yaml')), /rules: unknown rule "workload-liveness-probe" \(did you mean "liveness-probe-missing"\?/);
    assert.throws(() => resolveRules(RULES, parseConfig('exceptions:\n  - rules: [pss-privilegd]\n    reason: x\n', 'k.yaml')), /exceptions\[0\]\.rules: unknown rule "pss-privilegd" \(did you mean "pss-privileged"\?/);
    assert.doesNotThrow(() => resolveRules(RULES, parseConfig('exceptions:\n  - rules: ["*", CVE-2024-1234, privileged]\n    reason: x\n', 'k.yaml')));
  });
});
