/**
 * Shared harness for rule tests: every rule folder has fixtures/pass-*.yaml (no report expected on any object)
 * and fixtures/fail-*.yaml (at least one report expected). Fixtures are run through the real engine.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Rule } from '../core/rule.js';
import type { Finding, NotEvaluated } from '../core/model.js';
import { checkFiles } from '../test-support/check-files.js';

export interface RuleRun {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
}

/** Runs one rule (with options) over fixture files through the engine; other rules are off. */
export function runRule(rule: Rule, files: string[], options?: Record<string, unknown>): RuleRun {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return checkFiles(rule as Rule<any>, files, options);
}

export function fixturesOf(testFileUrl: string): { pass: string[]; fail: string[]; dir: string } {
  const dir = join(dirname(fileURLToPath(testFileUrl)), 'fixtures');
  const names = readdirSync(dir).sort();
  return {
    dir,
    pass: names.filter((n) => n.startsWith('pass')).map((n) => join(dir, n)),
    fail: names.filter((n) => n.startsWith('fail')).map((n) => join(dir, n)),
  };
}

/** The standard fixture test: each fail fixture reports, each pass fixture does not. */
export function testRuleFixtures(rule: Rule, testFileUrl: string, options?: Record<string, unknown>): void {
  const { pass, fail } = fixturesOf(testFileUrl);
  describe(`${rule.id} fixtures`, () => {
    it('has at least one passing and one failing fixture', () => {
      assert.ok(pass.length > 0, 'no pass-* fixture');
      assert.ok(fail.length > 0, 'no fail-* fixture');
    });
    for (const f of fail) {
      it(`reports on ${f.split('/').pop()}`, () => {
        const run = runRule(rule, [f], options);
        assert.ok(run.findings.length > 0, `expected a finding from ${rule.id}`);
        for (const finding of run.findings) {
          assert.equal(finding.ruleId, rule.id);
          assert.ok(finding.location?.line, `finding without a line: ${finding.path}`);
        }
      });
    }
    for (const f of pass) {
      it(`is quiet on ${f.split('/').pop()}`, () => {
        const run = runRule(rule, [f], options);
        assert.deepEqual(run.findings.map((x) => `${x.path}: ${x.message}`), []);
      });
    }
  });
}

/** "severity message" of each finding of one rule on one fixture of its folder, for grading tests. */
export function gradesOf(rule: Rule, testFileUrl: string, fixture: string, options?: Record<string, unknown>): string[] {
  return runRule(rule, [join(fixturesOf(testFileUrl).dir, fixture)], options).findings.map((f) => `${f.severity} ${f.message}`);
}
