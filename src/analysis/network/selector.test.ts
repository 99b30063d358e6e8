import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileSelector, formatSelector, parseSelectorSpec, selectorFrom, SelectorError } from './selector.js';

// Expected answers from https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
describe('label selector', () => {
  it('empty selector matches everything, including objects without labels', () => {
    const s = selectorFrom({});
    assert.equal(s.matchesAll, true);
    assert.equal(s.matches({}), true);
    assert.equal(s.matches({ a: 'b' }), true);
    assert.equal(selectorFrom(undefined).matchesAll, true);
  });

  it('matchLabels is equality on every key (AND)', () => {
    const s = selectorFrom({ matchLabels: { app: 'web', tier: 'fe' } });
    assert.equal(s.matches({ app: 'web', tier: 'fe', x: 'y' }), true);
    assert.equal(s.matches({ app: 'web' }), false);
    assert.equal(s.matches({ app: 'web', tier: 'be' }), false);
  });

  it('In / NotIn / Exists / DoesNotExist', () => {
    // docs: "environment in (production, qa)"; "tier notin (frontend, backend)" also selects resources without "tier"
    const inSel = selectorFrom({ matchExpressions: [{ key: 'environment', operator: 'In', values: ['production', 'qa'] }] });
    assert.equal(inSel.matches({ environment: 'qa' }), true);
    assert.equal(inSel.matches({ environment: 'dev' }), false);
    assert.equal(inSel.matches({}), false);
    const notIn = selectorFrom({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend', 'backend'] }] });
    assert.equal(notIn.matches({ tier: 'frontend' }), false);
    assert.equal(notIn.matches({ tier: 'cache' }), true);
    assert.equal(notIn.matches({}), true);
    const exists = selectorFrom({ matchExpressions: [{ key: 'partition', operator: 'Exists' }] });
    assert.equal(exists.matches({ partition: '' }), true);
    assert.equal(exists.matches({}), false);
    const dne = selectorFrom({ matchExpressions: [{ key: 'partition', operator: 'DoesNotExist' }] });
    assert.equal(dne.matches({ partition: 'x' }), false);
    assert.equal(dne.matches({}), true);
  });

  it('matchLabels and matchExpressions are ANDed', () => {
    const s = selectorFrom({
      matchLabels: { component: 'redis' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['cache'] }, { key: 'environment', operator: 'NotIn', values: ['dev'] }],
    });
    assert.equal(s.matches({ component: 'redis', tier: 'cache', environment: 'prod' }), true);
    assert.equal(s.matches({ component: 'redis', tier: 'cache', environment: 'dev' }), false);
    assert.equal(s.matches({ component: 'redis', tier: 'db' }), false);
  });

  it('rejects invalid requirements as the API server does', () => {
    assert.throws(() => selectorFrom({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), SelectorError);
    assert.throws(() => selectorFrom({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), SelectorError);
    assert.throws(() => selectorFrom({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), SelectorError);
    assert.throws(() => parseSelectorSpec('app=web'), SelectorError);
  });

  it('canonical key is order independent', () => {
    const a = compileSelector({ matchLabels: { a: '1', b: '2' } });
    const b = compileSelector({ matchExpressions: [{ key: 'b', operator: 'In', values: ['2'] }], matchLabels: { a: '1' } });
    assert.equal(a.key, b.key);
  });

  it('formats like kubectl', () => {
    assert.equal(formatSelector({}), '<all>');
    assert.equal(
      formatSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }),
      'app=web,!x',
    );
  });
});
