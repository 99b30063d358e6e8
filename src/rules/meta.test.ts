/** Keeps the rule library honest: registered, tested, fixtured, unique, mapped to known frameworks, documented. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { RULES } from '../engine/catalog.js';
import { RULE_FOLDERS } from '../generated/rules-index.js';
import { expectedDocs, DOCS_DIR } from '../engine/docs-files.js';
import { REPO_ROOT } from '../test-support/conformance.js';
import { SEVERITIES } from '../core/model.js';

const RULES_DIR = join(REPO_ROOT, 'src', 'rules');

function ruleFolders(): { category: string; id: string; dir: string }[] {
  const out = [];
  for (const category of readdirSync(RULES_DIR)) {
    const catDir = join(RULES_DIR, category);
    if (!statSync(catDir).isDirectory()) continue;
    for (const id of readdirSync(catDir)) {
      const dir = join(catDir, id);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'rule.ts'))) out.push({ category, id, dir });
    }
  }
  return out;
}

describe('rule library', () => {
  it('the generated index is up to date', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-rules-index.mjs'), '--check'], { encoding: 'utf8' });
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

  it('every rule has a test and at least one passing and one failing fixture', () => {
    for (const f of ruleFolders()) {
      assert.ok(existsSync(join(f.dir, 'rule.test.ts')), `${f.id}: no rule.test.ts`);
      const fixtures = existsSync(join(f.dir, 'fixtures')) ? readdirSync(join(f.dir, 'fixtures')) : [];
      assert.ok(fixtures.some((n) => n.startsWith('pass')), `${f.id}: no pass fixture`);
      assert.ok(fixtures.some((n) => n.startsWith('fail')), `${f.id}: no fail fixture`);
      assert.match(readFileSync(join(f.dir, 'rule.test.ts'), 'utf8'), /testRuleFixtures|runRule|checkFiles/, `${f.id}: test does not run fixtures`);
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
    for (const [name, text] of expectedDocs()) {
      const path = join(DOCS_DIR, name);
      assert.ok(existsSync(path), `docs/rules/${name} missing`);
      assert.equal(readFileSync(path, 'utf8'), text, `docs/rules/${name} is stale`);
    }
  });
});
