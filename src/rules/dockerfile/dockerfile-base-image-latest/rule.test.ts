import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import rule from './rule.js';
import { fixturesOf, runRule } from '../../test-support/rule-tester.js';


describe('dockerfile-base-image-latest with an unresolvable variable', () => {
  it('says it could not evaluate instead of passing', () => {
    const run = runRule(rule, [join(fixturesOf(import.meta.url).dir, 'not-evaluated-unset-arg.Dockerfile')]);
    assert.deepEqual(run.findings, []);
    assert.equal(run.notEvaluated.length, 1);
    assert.equal(run.notEvaluated[0].ruleId, rule.id);
    assert.match(run.notEvaluated[0].reason, /line 2/);
  });
});
