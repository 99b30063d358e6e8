/**
 * Test-only harness: runs kubeguard rules over upstream fixtures (Polaris check fixtures, Kyverno policy-library
 * CLI tests in testdata) and compares verdicts per resource. Expected verdicts come from upstream
 * (file names for Polaris, `results[]` of kyverno-test.yaml for Kyverno); see each folder's SOURCE.md.
 * Used by *.conformance.test.ts files; does I/O (reads the fixtures), so it must never be imported by a rule.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { Finding } from '../../../core/model.js';
import type { Rule } from '../../../core/rule.js';
import { conformanceDir } from '../../../test-support/conformance.js';
import { runRule } from '../../test-support/rule-tester.js';

export type Verdict = 'pass' | 'fail';

export interface RuleUse {
  rule: Rule;
  options?: Record<string, unknown>;
  /** Count only the findings this predicate keeps (e.g. the CPU half of a requests rule). */
  filter?: (f: Finding) => boolean;
}

export interface Comparison {
  /** Case id: "polaris/<check>/<file>" or "kyverno/<test dir>#<Kind>/<name>". */
  id: string;
  expected: Verdict;
  actual: Verdict | 'error';
  detail?: string;
}

/** How several rules combine into one verdict: "any" fails when one rule reports, "all" only when every one does. */
export type Combine = 'any' | 'all';

function findingsOf(uses: RuleUse[], files: string[]): Finding[][] {
  return uses.map((u) => runRule(u.rule, files, u.options).findings.filter(u.filter ?? (() => true)));
}

function combine(perRule: boolean[], mode: Combine): Verdict {
  const failed = mode === 'any' ? perRule.some(Boolean) : perRule.every(Boolean);
  return failed ? 'fail' : 'pass';
}

/** Polaris: checks/<check>/failure*.yaml must fail, other *.yaml (not mutated*, not check.yaml) must pass. */
export function comparePolaris(check: string, uses: RuleUse[], mode: Combine = 'any'): Comparison[] {
  const dir = conformanceDir('polaris', 'checks', check);
  const out: Comparison[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.yaml') || name.startsWith('mutated') || name === 'check.yaml') continue;
    const expected: Verdict = name.includes('failure') ? 'fail' : 'pass';
    const id = `polaris/${check}/${name}`;
    try {
      const found = findingsOf(uses, [join(dir, name)]);
      out.push({ id, expected, actual: combine(found.map((f) => f.length > 0), mode), detail: found.flat().map((f) => f.message).join('; ') });
    } catch (e) {
      out.push({ id, expected, actual: 'error', detail: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

interface KyvernoResult {
  policy?: string;
  rule?: string;
  kind?: string;
  resources?: string[];
  resource?: string;
  result?: string;
}

/**
 * Kyverno: `<testDir>/.kyverno-test/kyverno-test.yaml`; for every resource named in a result of one of `kyvernoRules`
 * (autogen-* variants included), the expected verdict is fail when any of those results is fail, pass when all are
 * pass; skip results are ignored. Our verdict: whether the rules report on that resource.
 */
export function compareKyverno(testDir: string, kyvernoRules: string[], uses: RuleUse[], mode: Combine = 'any'): Comparison[] {
  const dir = conformanceDir('kyverno-policies', testDir, '.kyverno-test');
  const test = load(readFileSync(join(dir, 'kyverno-test.yaml'), 'utf8')) as { resources?: string[]; results?: KyvernoResult[] };
  const ruleNames = new Set(kyvernoRules.flatMap((r) => [r, `autogen-${r}`, `autogen-cronjob-${r}`]));
  const expected = new Map<string, Verdict>();
  for (const r of test.results ?? []) {
    if (!r.rule || !ruleNames.has(r.rule) || (r.result !== 'pass' && r.result !== 'fail')) continue;
    for (const res of r.resources ?? (r.resource ? [r.resource] : [])) {
      const key = `${r.kind ?? ''}/${res}`;
      if (r.result === 'fail' || !expected.has(key)) expected.set(key, r.result);
    }
  }
  const files = (test.resources ?? []).map((f) => join(dir, f));
  const found = findingsOf(uses, files);
  const out: Comparison[] = [];
  for (const [key, exp] of [...expected].sort()) {
    const [kind, ...rest] = key.split('/');
    const nameRef = rest.join('/');
    const [ns, name] = nameRef.includes('/') ? nameRef.split('/') : [undefined, nameRef];
    const hit = (f: Finding) => f.resource.kind === kind && f.resource.name === name && (ns === undefined || (f.resource.namespace ?? 'default') === ns);
    const perRule = found.map((fs) => fs.some(hit));
    out.push({ id: `kyverno/${testDir}#${key}`, expected: exp, actual: combine(perRule, mode), detail: found.flat().filter(hit).map((f) => f.message).join('; ') });
  }
  return out;
}

/**
 * Kubescape regolibrary: rules/<rule>/test/<case>/input(/…) with the alerted objects from index.tsv (`Kind/name`,
 * deduplicated). Our verdict: the set of objects the rules report on; a case agrees when both sets are equal.
 * `optionsFor` maps a case's data.json (rule configuration) to rule options where an equivalent exists.
 */
export function compareKubescape(
  ruleName: string,
  uses: RuleUse[],
  optionsFor?: (data: unknown) => Record<string, unknown> | undefined,
): Comparison[] {
  const base = conformanceDir('kubescape-regolibrary');
  const rows = readFileSync(join(base, 'index.tsv'), 'utf8').split('\n').map((l) => l.split('\t')).filter((r) => r[0] === ruleName);
  const out: Comparison[] = [];
  for (const [, testCase, , , alerted] of rows) {
    const dir = join(base, 'rules', ruleName, 'test', testCase);
    const inputDir = join(dir, 'input');
    const files = existsSync(inputDir) && statSync(inputDir).isDirectory()
      ? readdirSync(inputDir).sort().map((f) => join(inputDir, f))
      : readdirSync(dir).filter((f) => f.startsWith('input')).map((f) => join(dir, f));
    const expectedObjects = [...new Set((alerted ?? '').split(';').filter(Boolean))].sort();
    const dataFile = join(dir, 'data.json');
    const options = optionsFor && existsSync(dataFile) ? optionsFor(JSON.parse(readFileSync(dataFile, 'utf8'))) : undefined;
    const id = `kubescape/${ruleName}/${testCase}`;
    try {
      const found = findingsOf(uses.map((u) => (options ? { ...u, options: { ...u.options, ...options } } : u)), files).flat();
      const objects = [...new Set(found.map((f) => `${f.resource.kind}/${f.resource.name}`))].sort();
      const same = objects.join(';') === expectedObjects.join(';');
      out.push({
        id,
        expected: expectedObjects.length > 0 ? 'fail' : 'pass',
        actual: same ? (expectedObjects.length > 0 ? 'fail' : 'pass') : expectedObjects.length > 0 ? 'pass' : 'fail',
        detail: `expected [${expectedObjects.join(', ')}], got [${objects.join(', ')}] ${found.map((f) => f.message).join('; ')}`,
      });
    } catch (e) {
      out.push({ id, expected: expectedObjects.length > 0 ? 'fail' : 'pass', actual: 'error', detail: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

export function disagreements(cases: Comparison[]): string[] {
  return cases.filter((c) => c.actual !== c.expected).map((c) => c.id).sort();
}

export function agreementLine(label: string, cases: Comparison[]): string {
  const agree = cases.filter((c) => c.actual === c.expected).length;
  return `${label}: ${agree}/${cases.length} verdicts agree`;
}

