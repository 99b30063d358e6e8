/**
 * The rule tester (test-only, not in dist): a rule's fixtures run through the real loader and engine.
 *
 * - `fixtures/pass-*`: the rule reports nothing.
 * - `fixtures/fail-*`: the rule reports exactly what the fixture states, one comment line per report, written in
 *   the YAML document (or Dockerfile) the report is on:
 *       # expect: <messageId> <JSON pointer>
 *   A missing report, an extra one, or one in another document fails; so does a finding without a line, or with a
 *   line outside its document.
 * - `# options: {…}` (JSON, anywhere in the fixture): the rule's options for that fixture.
 * - Every report with a fix: the JSON patch is applied to its object (fast-json-patch, operations validated) and
 *   the rule, run again with the other objects unchanged, must no longer report that problem (its message id at its
 *   pointer) nor anything it did not report before on that object.
 *
 * docs/CONTRIBUTING-rules.md describes the format; scripts/gen-docs.ts shows the fixtures as examples.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Finding, KubeObject, NotEvaluated, Resource } from '../../core/model.js';
import type { AnyRule, ReportDescriptor, RuleContext } from '../../core/rule.js';
import { refOf } from '../../core/ref.js';
import { scan } from '../../engine/scan.js';
import { loadPaths } from '../../sources/files/load.js';

/** What one rule made of a set of objects: the engine's findings, and each report with the object it is on. */
export interface RuleRun {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  reports: { resource: Resource; report: ReportDescriptor }[];
}

const NOW = new Date('2026-01-01T00:00:00Z');

/** The rule with its reports recorded as they are made (the engine still turns them into findings). */
function recording(rule: AnyRule, reports: RuleRun['reports']): AnyRule {
  return {
    ...rule,
    check(ctx: RuleContext, resource: Resource, options: Record<string, unknown>) {
      const recorder: RuleContext = {
        resources: ctx.resources,
        report: (d) => {
          reports.push({ resource, report: d });
          ctx.report(d);
        },
        couldNotEvaluate: (reason) => ctx.couldNotEvaluate(reason),
        notVisible: (reason) => ctx.notVisible(reason),
      };
      rule.check(recorder, resource, options);
    },
  };
}

function judge(rule: AnyRule, resources: Resource[], options?: Record<string, unknown>): RuleRun {
  const reports: RuleRun['reports'] = [];
  const report = scan(resources, {
    rules: [{ rule: recording(rule, reports), severity: rule.severity, options: { ...(rule.defaultOptions ?? {}), ...(options ?? {}) } }],
    now: NOW,
  });
  if (report.errors.length) throw new Error(report.errors.map((e) => e.message).join('; '));
  return { findings: report.findings, notEvaluated: report.notEvaluated, reports };
}

function load(files: string[]): Resource[] {
  const loaded = loadPaths(files);
  if (loaded.errors.length) throw new Error(`fixture errors: ${loaded.errors.map((e) => `${e.file}:${e.line ?? ''} ${e.message}`).join('; ')}`);
  return loaded.resources;
}

/** Runs one rule (with options) over files through the loader and the engine; other rules are off. */
export function runRule(rule: AnyRule, files: string[], options?: Record<string, unknown>): RuleRun {
  return judge(rule, load(files), options);
}

/** Runs one rule over in-memory objects through the engine; not-evaluated entries are the rule's own. */
export function runOn(rule: AnyRule, objects: KubeObject[], options?: Record<string, unknown>): RuleRun {
  const run = judge(rule, objects.map((object) => ({ ref: refOf(object), object, source: { file: 'test' } })), options);
  return { ...run, notEvaluated: run.notEvaluated.filter((n) => n.ruleId === rule.id) };
}

export interface Fixtures {
  dir: string;
  pass: string[];
  fail: string[];
}

export function fixturesIn(dir: string): Fixtures {
  const names = readdirSync(dir).sort();
  return {
    dir,
    pass: names.filter((n) => n.startsWith('pass')).map((n) => join(dir, n)),
    fail: names.filter((n) => n.startsWith('fail')).map((n) => join(dir, n)),
  };
}

/** The fixtures beside a rule's test file (for the cases a rule folder tests beyond its fixtures). */
export function fixturesOf(testFileUrl: string): Fixtures {
  return fixturesIn(join(dirname(fileURLToPath(testFileUrl)), 'fixtures'));
}

/** "severity message" of each finding of one rule on one fixture of its folder, for grading tests. */
export function gradesOf(rule: AnyRule, testFileUrl: string, fixture: string, options?: Record<string, unknown>): string[] {
  return runRule(rule, [join(fixturesOf(testFileUrl).dir, fixture)], options).findings.map((f) => `${f.severity} ${f.message}`);
}

export interface Expectation {
  messageId: string;
  path: string;
  /** 0-based index of the document (between `---` lines) the expectation is written in. */
  document: number;
}

export interface FixtureHeader {
  expect: Expectation[];
  options?: Record<string, unknown>;
  /** First and last line (1-based) of each document. */
  documents: { first: number; last: number }[];
}

const EXPECT = /^#\s*expect:\s*(\S+)\s+(\S*)\s*$/;
const OPTIONS = /^#\s*options:\s*(\{.*\})\s*$/;
const isTesterLine = (line: string) => /^#\s*(expect|options):/.test(line);

/** The `# expect:` and `# options:` lines of a fixture, and where its documents are. */
export function fixtureHeader(text: string, dockerfile = false): FixtureHeader {
  const out: FixtureHeader = { expect: [], documents: [{ first: 1, last: 1 }] };
  text.split('\n').forEach((line, i) => {
    const doc = out.documents[out.documents.length - 1];
    if (!dockerfile && /^---(\s|$)/.test(line) && i > 0) out.documents.push({ first: i + 1, last: i + 1 });
    else doc.last = i + 1;
    const expect = EXPECT.exec(line);
    if (expect) out.expect.push({ messageId: expect[1], path: expect[2] === '""' ? '' : expect[2], document: out.documents.length - 1 });
    else if (line.startsWith('# expect')) throw new Error(`malformed line ${i + 1}: ${line} (# expect: <messageId> <JSON pointer>)`);
    const options = OPTIONS.exec(line);
    if (options) out.options = JSON.parse(options[1]) as Record<string, unknown>;
  });
  return out;
}

/** A fixture as shown in the docs: without the tester's lines. */
export function withoutTesterLines(text: string): string {
  return text
    .split('\n')
    .filter((l) => !isTesterLine(l))
    .join('\n');
}

const isDockerfile = (file: string) => /Dockerfile$/i.test(basename(file));

function documentOf(header: FixtureHeader, line: number | undefined): number {
  if (line === undefined) return 0;
  return header.documents.findIndex((d) => line >= d.first && line <= d.last);
}

const describeExpectation = (e: Expectation, several: boolean) => `${e.messageId} ${e.path === '' ? '""' : e.path}${several ? ` (document ${e.document + 1})` : ''}`;

/** The fixture's reports as expectations: which document each report's object was written in. */
function reported(run: RuleRun, header: FixtureHeader): Expectation[] {
  return run.reports.map(({ resource, report }) => ({ messageId: report.messageId, path: report.path, document: documentOf(header, resource.source?.line) }));
}

function headerOf(file: string): FixtureHeader {
  return fixtureHeader(readFileSync(file, 'utf8'), isDockerfile(file));
}

/** What is wrong with a fail fixture: reports missing or unexpected (document by document), findings without a line
 * in their object's document. Empty when the rule reports exactly what the fixture states. */
export function failFixtureProblems(rule: AnyRule, file: string): string[] {
  const header = headerOf(file);
  if (header.expect.length === 0) return ['a fail fixture states what it expects: # expect: <messageId> <JSON pointer>'];
  const problems = header.expect.filter((e) => !Object.hasOwn(rule.messages, e.messageId)).map((e) => `unknown messageId ${e.messageId}`);
  const run = runRule(rule, [file], header.options);
  const several = header.documents.length > 1;
  const expected = header.expect.map((e) => describeExpectation(e, several));
  const got = reported(run, header).map((e) => describeExpectation(e, several));
  for (const e of expected) {
    const i = got.indexOf(e);
    if (i < 0) problems.push(`expected, not reported: ${e}`);
    else got.splice(i, 1);
  }
  problems.push(...got.map((e) => `reported, not expected: ${e}`));
  if (run.findings.length !== run.reports.length) problems.push(`${run.reports.length} report(s) but ${run.findings.length} finding(s)`);
  const documentOfObject = new Map(run.reports.map(({ resource }) => [`${resource.ref.kind}/${resource.ref.namespace ?? ''}/${resource.ref.name}`, documentOf(header, resource.source?.line)]));
  for (const f of run.findings) {
    const line = f.location?.file === file ? f.location.line : undefined;
    const own = documentOfObject.get(`${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`);
    if (line === undefined || (isDockerfile(file) ? false : documentOf(header, line) !== own)) problems.push(`finding at ${f.path} has no line in its document (line ${line ?? 'none'})`);
  }
  return problems;
}

/** What is wrong with a pass fixture: any finding, or an expectation. */
export function passFixtureProblems(rule: AnyRule, file: string): string[] {
  const header = headerOf(file);
  const run = runRule(rule, [file], header.options);
  return [...(header.expect.length ? ['a pass fixture expects nothing'] : []), ...run.findings.map((f) => `reported: ${f.path}: ${f.message}`)];
}

/** How many of the fixture's reports carry a fix. */
export function fixCount(rule: AnyRule, file: string): number {
  return runRule(rule, [file], headerOf(file).options).reports.filter((r) => r.report.fix).length;
}

/**
 * What is wrong with the fixes of a fixture's reports. Each fix is applied to its object (fast-json-patch, operations
 * validated against the document), the fixture's other objects unchanged so cross-object rules see the same context,
 * and the rule is run again: the fixed problem (message id at pointer) must be gone, and nothing new reported on it.
 */
export function fixProblems(rule: AnyRule, file: string): string[] {
  const { options } = headerOf(file);
  const resources = load([file]);
  const before = judge(rule, resources, options).reports;
  const problems: string[] = [];
  for (const { resource, report } of before.filter((r) => r.report.fix)) {
    const key = `${report.messageId} ${report.path}`;
    let object: KubeObject;
    try {
      object = jsonpatch.applyPatch(structuredClone(resource.object), report.fix as Operation[], true, false).newDocument as KubeObject;
    } catch (e) {
      problems.push(`the fix of ${key} does not apply: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      continue;
    }
    const patched: Resource = { ...resource, ref: refOf(object), object };
    const others = before.filter((r) => r.resource === resource && r.report !== report).map((r) => `${r.report.messageId} ${r.report.path}`);
    const again = judge(rule, resources.map((r) => (r === resource ? patched : r)), options)
      .reports.filter((r) => r.resource === patched)
      .map((r) => `${r.report.messageId} ${r.report.path}`);
    if (again.includes(key)) problems.push(`the fix of ${key} leaves it reported`);
    const added = again.filter((k) => k !== key && !others.includes(k));
    if (added.length) problems.push(`the fix of ${key} brings new reports: ${added.join(', ')}`);
  }
  return problems;
}

/** Every fixture of a rule tested as the comment at the top of this file says. */
export function testRuleFixtures(rule: AnyRule, fixtures: Fixtures): void {
  describe(`${rule.id} fixtures`, () => {
    it('has at least one passing and one failing fixture', () => {
      assert.ok(fixtures.pass.length > 0, 'no pass-* fixture');
      assert.ok(fixtures.fail.length > 0, 'no fail-* fixture');
    });
    for (const file of fixtures.fail) {
      const name = basename(file);
      it(`reports on ${name} exactly what it expects`, () => {
        assert.deepEqual(failFixtureProblems(rule, file), []);
      });
      const fixes = fixCount(rule, file);
      if (fixes > 0) {
        it(`is quiet on ${name} once each of its ${fixes} fix(es) is applied`, () => {
          assert.deepEqual(fixProblems(rule, file), []);
        });
      }
    }
    for (const file of fixtures.pass) {
      it(`is quiet on ${basename(file)}`, () => {
        assert.deepEqual(passFixtureProblems(rule, file), []);
      });
    }
  });
}
