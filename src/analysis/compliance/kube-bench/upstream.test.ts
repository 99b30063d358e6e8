/**
 * kube-bench's own unit tests, replayed on our evaluator: the case tables of check/test_test.go (vendored verbatim in
 * testdata/kube-bench/test_test.go.txt) are read from the Go source, and each case's check comes from check/data
 * (testdata/kube-bench/check-data.yaml) as kube-bench's test loads it (`$user` replaced). The expected results are
 * kube-bench's; nothing here is restated by hand.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readTestdata } from '../../../test-support/testdata.js';
import { compareOp, runTests } from './compare.js';
import { parseControls } from './definitions.js';

const GO = readTestdata('kube-bench', 'test_test.go.txt');
const CONTROLS = parseControls(readTestdata('kube-bench', 'check-data.yaml').replaceAll('$user', 'root'));
const CHECKS = CONTROLS.groups[0].checks;

type GoValue = string | boolean | number;

/** A Go string literal ("…" with escapes, or `raw`) as its value. */
function goString(lit: string): string {
  return lit.startsWith('`') ? lit.slice(1, -1) : (JSON.parse(lit) as string);
}

/** The keyed case literals of one test function's table: [{key: value}], a case starting at each `first` key. */
function goCases(func: string, first: string): Record<string, GoValue>[] {
  const start = GO.indexOf(`func ${func}(`);
  assert.ok(start >= 0, func);
  const body = GO.slice(start, GO.indexOf('\n\tfor ', start));
  const re = /(\w+):\s*("(?:[^"\\\n]|\\.)*"|`[^`]*`|true|false|controls\.Groups\[0\]\.Checks\[(\d+)\])/g;
  const cases: Record<string, GoValue>[] = [];
  for (const m of body.matchAll(re)) {
    if (m[1] === first) cases.push({});
    const value: GoValue = m[3] !== undefined ? Number(m[3]) : m[2] === 'true' ? true : m[2] === 'false' ? false : goString(m[2]);
    cases[cases.length - 1][m[1]] = value;
  }
  return cases;
}

/** Positional case literals `{ Checks[N], "…" }` (TestTestExecuteExceptions). */
function goPositional(func: string): { check: number; str: string }[] {
  const start = GO.indexOf(`func ${func}(`);
  const body = GO.slice(start, GO.indexOf('\n\tfor ', start));
  return [...body.matchAll(/controls\.Groups\[0\]\.Checks\[(\d+)\],\s*("(?:[^"\\\n]|\\.)*")/g)].map((m) => ({ check: Number(m[1]), str: goString(m[2]) }));
}

describe('kube-bench check/test_test.go on our evaluator', () => {
  it('TestTestExecute: every case passes with kube-bench’s expected-result text', () => {
    const cases = goCases('TestTestExecute', 'check');
    assert.equal(cases.length, 37, "the cases of TestTestExecute");
    for (const c of cases) {
      const check = CHECKS[c.check as number];
      const r = runTests(check, { command: (c.str as string) ?? '', config: (c.strConfig as string) ?? '', env: () => (c.strEnv as string) ?? '' });
      assert.equal(r.error, undefined, `check ${check.id}`);
      assert.equal(r.pass, true, `check ${check.id} "${check.text}" on ${JSON.stringify(c.str || c.strConfig)}`);
      assert.equal(r.expected, c.expectedTestResult, `check ${check.id}`);
    }
  });

  it('TestTestExecuteExceptions: broken or non-matching configuration never passes', () => {
    const cases = goPositional('TestTestExecuteExceptions');
    assert.equal(cases.length, 5);
    for (const c of cases) {
      const r = runTests(CHECKS[c.check], { command: '', config: c.str, env: () => '' });
      assert.equal(r.pass, false, `check ${c.check} on ${JSON.stringify(c.str)}`);
    }
  });

  it('TestCompareOp: the expected-result text and the outcome of every operator case', () => {
    const cases = goCases('TestCompareOp', 'label');
    assert.equal(cases.length, 70, "the cases of TestCompareOp");
    for (const c of cases) {
      const r = compareOp(c.op as string, c.flagVal as string, c.compareValue as string, c.flagName as string);
      assert.equal(r.pass, c.testResult, c.label as string);
      assert.equal(r.expected, c.expectedResultPattern, c.label as string);
    }
  });
});
