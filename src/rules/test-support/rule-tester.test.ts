/** The rule tester catches what it promises to catch: a toy rule and fixtures written for each mistake. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonPatchOp } from '../../core/model.js';
import { defineRule } from '../../core/rule.js';
import { failFixtureProblems, fixCount, fixProblems, passFixtureProblems } from './rule-tester.js';

/** Reports a Pod labelled bad=yes at that label, with the given fix (default: remove the label). */
function toyRule(fix: (path: string) => JsonPatchOp[] = (path) => [{ op: 'remove', path }]) {
  return defineRule({
    id: 'toy-bad-label',
    title: 'Toy',
    description: 'Toy',
    category: 'workload',
    severity: 'low',
    kinds: ['Pod'],
    messages: { bad: 'Pod {{name}} is labelled bad', noisy: 'Pod {{name}} is noisy' },
    remediation: 'None.',
    check(ctx, resource) {
      const labels = resource.object.metadata?.labels ?? {};
      const path = '/metadata/labels/bad';
      if (labels.bad === 'yes') ctx.report({ messageId: 'bad', path, data: { name: resource.ref.name }, fix: fix(path) });
      if (labels.noisy === 'yes') ctx.report({ messageId: 'noisy', path: '/metadata/labels/noisy', data: { name: resource.ref.name } });
    },
  });
}

const dir = mkdtempSync(join(tmpdir(), 'kubeguard-rule-tester-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pod = (name: string, labels: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: {${labels}}\nspec:\n  containers: [{name: app, image: app}]\n`;

function fixture(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('rule tester', () => {
  const rule = toyRule();

  it('accepts a fail fixture whose expectations are exactly the reports, document by document', () => {
    const expect = '# expect: bad /metadata/labels/bad\n';
    const file = fixture('fail-ok.yaml', `${expect}${pod('a', 'bad: "yes"')}---\n${expect}${pod('b', 'bad: "yes"')}`);
    assert.deepEqual(failFixtureProblems(rule, file), []);
    assert.deepEqual(fixProblems(rule, file), []);
    assert.equal(fixCount(rule, file), 2);
  });

  it('names a report the fixture does not state, and an expectation nothing reports', () => {
    const file = fixture('fail-missing.yaml', `# expect: noisy /metadata/labels/noisy\n${pod('a', 'bad: "yes"')}`);
    assert.deepEqual(failFixtureProblems(rule, file), ['expected, not reported: noisy /metadata/labels/noisy', 'reported, not expected: bad /metadata/labels/bad']);
  });

  it('counts each report: one expectation for two identical reports is not enough', () => {
    const twice = defineRule({ ...toyRule(), check: (ctx) => [1, 2].forEach(() => ctx.report({ messageId: 'bad', path: '/metadata' })) });
    const file = fixture('fail-twice.yaml', `# expect: bad /metadata\n${pod('a', '')}`);
    assert.deepEqual(failFixtureProblems(twice, file), ['reported, not expected: bad /metadata']);
  });

  it('requires the expectation in the document of the object reported on', () => {
    const file = fixture('fail-wrong-document.yaml', `# expect: bad /metadata/labels/bad\n${pod('a', '')}---\n${pod('b', 'bad: "yes"')}`);
    assert.deepEqual(failFixtureProblems(rule, file), ['expected, not reported: bad /metadata/labels/bad (document 1)', 'reported, not expected: bad /metadata/labels/bad (document 2)']);
  });

  it('refuses a fail fixture without expectations, an unknown message id and a malformed line', () => {
    assert.deepEqual(failFixtureProblems(rule, fixture('fail-silent.yaml', pod('a', 'bad: "yes"'))), ['a fail fixture states what it expects: # expect: <messageId> <JSON pointer>']);
    assert.deepEqual(failFixtureProblems(rule, fixture('fail-unknown.yaml', `# expect: bda /metadata/labels/bad\n${pod('a', '')}`)), [
      'unknown messageId bda',
      'expected, not reported: bda /metadata/labels/bad',
    ]);
    assert.throws(() => failFixtureProblems(rule, fixture('fail-malformed.yaml', `# expect bad\n${pod('a', '')}`)), /malformed line 1/);
  });

  it('reports findings on a pass fixture, and an expectation written in one', () => {
    assert.deepEqual(passFixtureProblems(rule, fixture('pass-bad.yaml', pod('a', 'bad: "yes"'))), ['reported: /metadata/labels/bad: Pod a is labelled bad']);
    assert.deepEqual(passFixtureProblems(rule, fixture('pass-expects.yaml', `# expect: bad /metadata\n${pod('a', '')}`)), ['a pass fixture expects nothing']);
    assert.deepEqual(passFixtureProblems(rule, fixture('pass-ok.yaml', pod('a', 'good: "yes"'))), []);
  });

  it('applies each fix: one that leaves the problem, one that does not apply, one that brings a new report', () => {
    const file = fixture('fail-fixes.yaml', `# expect: bad /metadata/labels/bad\n${pod('a', 'bad: "yes"')}`);
    assert.deepEqual(fixProblems(toyRule((path) => [{ op: 'replace', path, value: 'yes' }]), file), ['the fix of bad /metadata/labels/bad leaves it reported']);
    assert.match(fixProblems(toyRule(() => [{ op: 'remove', path: '/metadata/labels/absent' }]), file)[0], /^the fix of bad \/metadata\/labels\/bad does not apply: /);
    assert.deepEqual(fixProblems(toyRule((path) => [{ op: 'remove', path }, { op: 'add', path: '/metadata/labels/noisy', value: 'yes' }]), file), [
      'the fix of bad /metadata/labels/bad brings new reports: noisy /metadata/labels/noisy',
    ]);
  });

  it('reads options from the fixture', () => {
    const optioned = defineRule({
      ...toyRule(),
      check(ctx, resource, options: { label?: string }) {
        if (resource.object.metadata?.labels?.[options.label ?? 'bad'] === 'yes') ctx.report({ messageId: 'bad', path: '/metadata/labels' });
      },
    });
    const file = fixture('fail-options.yaml', `# options: {"label": "odd"}\n# expect: bad /metadata/labels\n${pod('a', 'odd: "yes"')}`);
    assert.deepEqual(failFixtureProblems(optioned, file), []);
  });
});
