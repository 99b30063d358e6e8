/**
 * The expected content of docs/rules/: one page per rule (with its fixtures as examples) and per runtime detector, the catalogue, and the Falco
 * coverage page (pure; the script writes, and reads the Falco rule files it is given).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from './catalog.js';
import { DETECTORS } from './detectors.js';
import { renderRuleDoc, type RuleExample } from './rule-docs.js';
import type { AnyRule } from '../core/rule.js';
import { renderDetectorDoc, renderFalcoCoverage, type FalcoRuleEntry } from './detector-docs.js';

export const DOCS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'rules');

/** Where the Falco rule files the coverage page compares against are kept. */
export const FALCO_RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'testdata', 'falco-rules');

/** `examplesOf` gives a rule's fixtures as examples (the caller reads them: src/rules/test-support/examples.ts). */
export function expectedDocs(falcoRules: readonly FalcoRuleEntry[], examplesOf: (rule: AnyRule) => RuleExample[] = () => []): Map<string, string> {
  const docs = new Map<string, string>();
  const entries = [
    ...RULES.map((r) => ({ id: r.id, category: r.category as string, severity: r.severity, title: r.title, doc: () => renderRuleDoc(r, examplesOf(r)) })),
    ...DETECTORS.map((d) => ({ id: d.id, category: d.category as string, severity: d.severity, title: d.title, doc: () => renderDetectorDoc(d) })),
  ].sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
  for (const r of entries) docs.set(`${r.id}.md`, r.doc());
  const index = ['# Rules', '', 'Generated from rule metadata by `npm run docs`. Do not edit.', '', '| Rule | Category | Severity | Title |', '|---|---|---|---|'];
  for (const r of entries) index.push(`| [\`${r.id}\`](${r.id}.md) | ${r.category} | ${r.severity} | ${r.title.replace(/\|/g, '\\|')} |`);
  index.push('', 'Runtime detectors against the Falco rules: [runtime-coverage.md](runtime-coverage.md).');
  docs.set('README.md', index.join('\n') + '\n');
  docs.set('runtime-coverage.md', renderFalcoCoverage(falcoRules, DETECTORS));
  return docs;
}
