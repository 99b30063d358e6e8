/** Every upstream PSS check has exactly one pss-* rule, wired to that check. */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CHECK_IDS, checkDefinition, PSS_RULE_IDS } from '../../analysis/pss/index.js';
import type { Rule } from '../../core/rule.js';

const HERE = dirname(fileURLToPath(import.meta.url));

describe('pss-* rules', () => {
  it('one rule folder per upstream check, and no other pss-* folder', () => {
    const folders = readdirSync(HERE).filter((n) => n.startsWith('pss-') && statSync(join(HERE, n)).isDirectory()).sort();
    assert.deepEqual(folders, ALL_CHECK_IDS.map((id) => PSS_RULE_IDS[id]).sort());
  });

  for (const checkId of ALL_CHECK_IDS) {
    const ruleId = PSS_RULE_IDS[checkId];
    it(`${ruleId} runs check ${checkId}`, async () => {
      const rule = (await import(`./${ruleId}/rule.js`)).default as Rule;
      const level = checkDefinition(checkId)?.level;
      assert.equal(rule.id, ruleId);
      assert.deepEqual(rule.aliases, [checkId]);
      assert.equal(rule.kinds, 'pod-bearing');
      assert.equal(rule.category, 'pod-security');
      assert.deepEqual(rule.compliance?.pss, level === 'baseline' ? ['baseline', 'restricted'] : ['restricted']);
      assert.ok(rule.compliance?.nsa?.includes('Pod security'));
    });
  }
});
