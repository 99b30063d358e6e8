/**
 * Every rule of the catalogue against its fixtures, at RuleTester level (src/rules/test-support/rule-tester.ts):
 * each fail fixture states the message id and JSON pointer of every report it expects, in the document the report
 * is on; pass fixtures expect none; every fix is applied and must leave the rule quiet on that problem. A rule
 * folder with more to test keeps a rule.test.ts for those cases only.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../engine/catalog.js';
import { RULE_FOLDERS } from '../generated/rules-index.js';
import { fixturesIn, testRuleFixtures } from './test-support/rule-tester.js';

const RULES_DIR = dirname(fileURLToPath(import.meta.url));

for (const rule of RULES) testRuleFixtures(rule, fixturesIn(join(RULES_DIR, RULE_FOLDERS[rule.id], 'fixtures')));
