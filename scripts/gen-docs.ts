/**
 * Writes docs/rules/<id>.md from rule metadata (with the rule's fixtures as examples) and docs/rules/README.md (the catalogue).
 * `--check` exits 1 when docs on disk are stale (the meta-test runs the same comparison).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedDocs, DOCS_DIR, FALCO_RULES_DIR } from '../src/engine/docs-files.js';
import { readFalcoRules } from '../src/sources/events/falco-rules.js';
import { ruleExamples } from '../src/rules/test-support/examples.js';

const check = process.argv.includes('--check');
const expected = expectedDocs(readFalcoRules(FALCO_RULES_DIR), ruleExamples);
let stale = 0;
mkdirSync(DOCS_DIR, { recursive: true });
for (const [name, text] of expected) {
  const path = join(DOCS_DIR, name);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) continue;
  stale++;
  if (!check) writeFileSync(path, text);
}
for (const name of readdirSync(DOCS_DIR)) {
  if (!expected.has(name)) {
    stale++;
    if (!check) unlinkSync(join(DOCS_DIR, name));
  }
}
if (check && stale) {
  console.error(`${stale} rule docs are stale: run \`npm run docs\``);
  process.exit(1);
}
console.log(check ? 'rule docs up to date' : `wrote ${stale} rule docs`);
