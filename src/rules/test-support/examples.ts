/**
 * A rule's fixtures as documentation examples (test-only code, read by scripts/gen-docs.ts and the meta-test): each
 * fixture without the tester's lines, and for a failing one what the rule reports on it, from the real engine.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyRule } from '../../core/rule.js';
import type { RuleExample } from '../../engine/rule-docs.js';
import { RULE_FOLDERS } from '../../generated/rules-index.js';
import { fixtureHeader, fixturesIn, runRule, withoutTesterLines } from './rule-tester.js';

const RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

const languageOf = (name: string) => (/Dockerfile$/i.test(name) ? 'dockerfile' : 'yaml');

function example(rule: AnyRule, file: string, failing: boolean): RuleExample {
  const name = basename(file);
  const raw = readFileSync(file, 'utf8');
  const header = fixtureHeader(raw, languageOf(name) === 'dockerfile');
  const run = failing ? runRule(rule, [file], header.options) : undefined;
  const findings = run?.findings ?? [];
  const several = new Set(findings.map((f) => `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`)).size > 1;
  // each finding's message id: the report made at its pointer on its object
  const unmatched = [...(run?.reports ?? [])];
  const messageIdOf = (f: (typeof findings)[number]): string => {
    const i = unmatched.findIndex((r) => r.report.path === f.path && r.resource.ref.kind === f.resource.kind && r.resource.ref.name === f.resource.name);
    return i < 0 ? '?' : unmatched.splice(i, 1)[0].report.messageId;
  };
  return {
    name,
    language: languageOf(name),
    text: withoutTesterLines(raw),
    reports: findings.map((f) => ({ messageId: messageIdOf(f), path: f.path, message: f.message, ...(several && { object: `${f.resource.kind}/${f.resource.name}` }) })),
    ...(header.options && { options: header.options }),
  };
}

/** Every fixture of the rule: the failing ones first. */
export function ruleExamples(rule: AnyRule): RuleExample[] {
  const fixtures = fixturesIn(join(RULES_DIR, RULE_FOLDERS[rule.id], 'fixtures'));
  return [...fixtures.fail.map((f) => example(rule, f, true)), ...fixtures.pass.map((f) => example(rule, f, false))];
}
