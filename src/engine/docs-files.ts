/** The expected content of docs/rules/: one page per rule plus the catalogue (pure; the script writes). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from './catalog.js';
import { renderRuleDoc } from './rule-docs.js';

export const DOCS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'rules');

export function expectedDocs(): Map<string, string> {
  const docs = new Map<string, string>();
  const sorted = [...RULES].sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
  for (const r of sorted) docs.set(`${r.id}.md`, renderRuleDoc(r));
  const index = ['# Rules', '', 'Generated from rule metadata by `npm run docs`. Do not edit.', '', '| Rule | Category | Severity | Title |', '|---|---|---|---|'];
  for (const r of sorted) index.push(`| [\`${r.id}\`](${r.id}.md) | ${r.category} | ${r.severity} | ${r.title.replace(/\|/g, '\\|')} |`);
  docs.set('README.md', index.join('\n') + '\n');
  return docs;
}
