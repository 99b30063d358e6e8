import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defineRule } from '../core/rule.js';
import { ConfigError } from '../core/errors.js';
import { schemaErrorsText } from '../core/schema-errors.js';
import { RULES } from './catalog.js';
import { resolveRules } from './resolve-rules.js';

describe('rule options are validated against each rule schema', () => {
  it('a catalogue rule (validator compiled ahead of time) rejects a wrong option, naming the field', () => {
    assert.throws(
      () => resolveRules(RULES, { rules: { 'image-registry-not-allowed': { options: { allowedRegistries: 'docker.io' } } } }),
      (e: unknown) => e instanceof ConfigError && /rule "image-registry-not-allowed" options: options\/allowedRegistries must be array/.test(e.message),
    );
    assert.throws(() => resolveRules(RULES, { rules: { 'pss-privileged': { options: { version: 'v2.0' } } } }), /options\/version must match pattern/);
    const ok = resolveRules(RULES, { rules: { 'image-registry-not-allowed': { options: { allowedRegistries: ['registry.example.com/*'] } } } });
    assert.deepEqual(ok.find((r) => r.rule.id === 'image-registry-not-allowed')?.options, { allowedRegistries: ['registry.example.com/*'] });
  });

  it('a rule from outside the catalogue has its schema compiled when it is resolved', () => {
    const own = defineRule({
      id: 'own-rule',
      title: 'Own rule',
      description: 'a caller-defined rule with options',
      category: 'workload',
      severity: 'low',
      kinds: ['Pod'],
      messages: { m: 'm' },
      remediation: 'none',
      optionsSchema: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } }, additionalProperties: false },
      check() {},
    });
    assert.throws(() => resolveRules([own], { rules: { 'own-rule': { options: { limit: 0 } } } }), /rule "own-rule" options: options\/limit must be >= 1/);
    assert.throws(() => resolveRules([own], { rules: { 'own-rule': { options: { other: 1 } } } }), /options must NOT have additional properties/);
    assert.equal(resolveRules([own], { rules: { 'own-rule': { options: { limit: 3 } } } }).length, 1);
    // A caller's rule that reuses a catalogue id with a schema of its own is judged by its own schema.
    const sameId = { ...own, id: 'image-registry-not-allowed' };
    assert.equal(resolveRules([sameId], { rules: { 'image-registry-not-allowed': { options: { limit: 2 } } } }).length, 1);
    assert.throws(() => resolveRules([sameId], { rules: { 'image-registry-not-allowed': { options: { allowedRegistries: ['x'] } } } }), /must NOT have additional properties/);
  });
});

describe('schemaErrorsText', () => {
  it('names each field with its message, the root as "/" when there is no prefix', () => {
    assert.equal(schemaErrorsText([{ instancePath: '', message: 'must be object' }, { instancePath: '/a/0', message: 'must be string' }]), '/ must be object; /a/0 must be string');
    assert.equal(schemaErrorsText([{ instancePath: '/budgetMs', message: 'must be <= 29000' }], 'admission'), 'admission/budgetMs must be <= 29000');
    assert.equal(schemaErrorsText(null), '');
    assert.equal(
      schemaErrorsText([
        { instancePath: '', message: 'must NOT have additional properties', keyword: 'additionalProperties', params: { additionalProperty: 'budgetMS' } },
        { instancePath: '/mode', message: 'must be equal to one of the allowed values', keyword: 'enum', params: { allowedValues: ['enforce', 'warn'] } },
      ], 'admission'),
      'admission must NOT have additional properties ("budgetMS"); admission/mode must be equal to one of the allowed values ("enforce", "warn")',
    );
  });
});
