/** Keeps the rule library honest: registered, tested, fixtured, unique, mapped to known frameworks, documented. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { RULES } from '../engine/catalog.js';
import { RULE_FOLDERS } from '../generated/rules-index.js';
import { expectedDocs, DOCS_DIR, FALCO_RULES_DIR } from '../engine/docs-files.js';
import { ruleExamples } from './test-support/examples.js';
import { readFalcoRules } from '../sources/events/falco-rules.js';
import { DETECTORS } from '../engine/detectors.js';
import { DETECTOR_FOLDERS } from '../generated/detectors-index.js';
import { EVENT_KINDS } from '../core/events/model.js';
import { REPO_ROOT } from '../test-support/conformance.js';
import { SEVERITIES } from '../core/model.js';

const RULES_DIR = join(REPO_ROOT, 'src', 'rules');

function ruleFolders(file = 'rule.ts'): { category: string; id: string; dir: string }[] {
  const out = [];
  for (const category of readdirSync(RULES_DIR)) {
    const catDir = join(RULES_DIR, category);
    if (!statSync(catDir).isDirectory()) continue;
    for (const id of readdirSync(catDir)) {
      const dir = join(catDir, id);
      if (statSync(dir).isDirectory() && existsSync(join(dir, file))) out.push({ category, id, dir });
    }
  }
  return out;
}

describe('rule library', () => {
  it('the generated index is up to date', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-rules-index.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('the generated version (from package.json) is up to date', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-version.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('the generated schema validators (config, admission section, rule options) are up to date', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'gen-validators.ts'), '--check'], { encoding: 'utf8', cwd: REPO_ROOT });
    assert.equal(r.status, 0, r.stderr);
  });

  it('every folder is registered under its own id, in its own category', () => {
    const folders = ruleFolders();
    assert.ok(folders.length > 0);
    for (const f of folders) {
      assert.equal(RULE_FOLDERS[f.id], `${f.category}/${f.id}`);
      const rule = RULES.find((r) => r.id === f.id);
      assert.ok(rule, `folder ${f.id} has no rule with that id`);
      assert.equal(rule.category, f.category, `${f.id} category`);
    }
  });

  it('every rule has at least one passing and one failing fixture (src/rules/fixtures.test.ts runs them)', () => {
    for (const f of ruleFolders()) {
      const fixtures = existsSync(join(f.dir, 'fixtures')) ? readdirSync(join(f.dir, 'fixtures')) : [];
      assert.ok(fixtures.some((n) => n.startsWith('pass')), `${f.id}: no pass fixture`);
      assert.ok(fixtures.some((n) => n.startsWith('fail')), `${f.id}: no fail fixture`);
    }
  });

  it('ids and aliases are unique kebab-case', () => {
    const seen = new Map<string, string>();
    for (const r of RULES) {
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, r.id);
      for (const name of [r.id, ...(r.aliases ?? [])]) {
        assert.ok(!seen.has(name), `${name} used by ${seen.get(name)} and ${r.id}`);
        seen.set(name, r.id);
      }
    }
  });

  it('metadata is complete and compliance references are well-formed', () => {
    for (const r of RULES) {
      assert.ok(r.title && r.description && r.remediation, `${r.id}: title, description and remediation are required`);
      assert.ok(SEVERITIES.includes(r.severity), `${r.id}: severity`);
      assert.ok((r.severityReason ?? '').length > 20, `${r.id}: severityReason says why the severity is what it is`);
      assert.ok(Object.keys(r.messages).length > 0, `${r.id}: no messages`);
      const c = r.compliance ?? {};
      for (const level of c.pss ?? []) assert.ok(['baseline', 'restricted'].includes(level), `${r.id}: pss ${level}`);
      for (const id of c.cis ?? []) assert.match(id, /^\d+(\.\d+)+$/, `${r.id}: CIS id ${id}`);
      for (const id of c.mitre ?? []) assert.match(id, /^T\d{4}(\.\d{3})?$/, `${r.id}: MITRE id ${id}`);
      for (const ref of r.references ?? []) assert.match(ref, /^https:\/\//, `${r.id}: reference ${ref}`);
    }
  });

  it('generated docs are up to date (run `npm run docs`)', () => {
    for (const [name, text] of expectedDocs(readFalcoRules(FALCO_RULES_DIR), ruleExamples)) {
      const path = join(DOCS_DIR, name);
      assert.ok(existsSync(path), `docs/rules/${name} missing`);
      assert.equal(readFileSync(path, 'utf8'), text, `docs/rules/${name} is stale`);
    }
  });
});

describe('runtime detector library', () => {
  it('every detector folder is registered under its own id, in its own category, with a test and pass/fail event fixtures', () => {
    const folders = ruleFolders('detector.ts');
    assert.ok(folders.length > 0);
    for (const f of folders) {
      assert.equal(DETECTOR_FOLDERS[f.id], `${f.category}/${f.id}`);
      const d = DETECTORS.find((x) => x.id === f.id);
      assert.ok(d, `folder ${f.id} has no detector with that id`);
      assert.equal(d.category, f.category, `${f.id} category`);
      assert.ok(existsSync(join(f.dir, 'detector.test.ts')), `${f.id}: no detector.test.ts`);
      const fixtures = existsSync(join(f.dir, 'fixtures')) ? readdirSync(join(f.dir, 'fixtures')) : [];
      assert.ok(fixtures.some((n) => n.startsWith('pass') && n.endsWith('.jsonl')), `${f.id}: no pass-*.jsonl fixture`);
      assert.ok(fixtures.some((n) => n.startsWith('fail') && n.endsWith('.jsonl')), `${f.id}: no fail-*.jsonl fixture`);
      assert.match(readFileSync(join(f.dir, 'detector.test.ts'), 'utf8'), /testDetectorFixtures/, `${f.id}: test does not run fixtures`);
    }
  });

  it('ids are unique across rules and detectors; metadata is complete', () => {
    const ids = new Set(RULES.flatMap((r) => [r.id, ...(r.aliases ?? [])]));
    for (const d of DETECTORS) {
      assert.match(d.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, d.id);
      assert.ok(!ids.has(d.id), `${d.id} is also a rule id`);
      ids.add(d.id);
      assert.ok(d.title && d.description && d.remediation, `${d.id}: title, description and remediation are required`);
      assert.ok(SEVERITIES.includes(d.severity), `${d.id}: severity`);
      assert.ok(Object.keys(d.messages).length > 0, `${d.id}: no messages`);
      assert.ok(d.events.length > 0 && d.events.every((k) => (EVENT_KINDS as readonly string[]).includes(k)), `${d.id}: events`);
      for (const id of d.compliance?.mitre ?? []) assert.match(id, /^T\d{4}(\.\d{3})?$/, `${d.id}: MITRE id ${id}`);
      for (const ref of d.references ?? []) assert.match(ref, /^https:\/\//, `${d.id}: reference ${ref}`);
    }
  });

  it('every Falco rule a detector claims to cover exists in the Falco rule files', () => {
    const names = new Set(readFalcoRules(FALCO_RULES_DIR).map((r) => r.rule));
    assert.ok(names.size > 100);
    for (const d of DETECTORS) for (const r of d.covers?.falco ?? []) assert.ok(names.has(r), `${d.id} claims to cover unknown Falco rule "${r}"`);
  });
});
