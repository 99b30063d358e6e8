/** admission.images.allowedRegistries / requireDigest as settings of the rules that decide them, for scan and the webhook alike. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from './catalog.js';
import { resolveRules } from './resolve-rules.js';
import type { KubeguardConfig } from './config.js';

const resolved = (config: KubeguardConfig, id: string) => resolveRules(RULES, config).find((r) => r.rule.id === id);

describe('image policy from the admission section', () => {
  it('turns the rules on with the allowlist, in the images mode (enforce by default)', () => {
    const config = { admission: { images: { allowedRegistries: ['r.example.com'], requireDigest: true } } };
    assert.deepEqual(resolved(config, 'image-registry-not-allowed')?.options, { allowedRegistries: ['r.example.com'] });
    assert.equal(resolved(config, 'image-registry-not-allowed')?.mode, 'enforce');
    assert.equal(resolved(config, 'image-not-pinned-by-digest')?.mode, 'enforce');
    assert.equal(resolved({ admission: { images: { requireDigest: true, mode: 'warn' } } }, 'image-not-pinned-by-digest')?.mode, 'warn');
  });

  it("keeps the rule's own mode and severity, by id or alias", () => {
    const r = resolved({ rules: { 'require-image-checksum': { severity: 'high', mode: 'audit' } }, admission: { images: { requireDigest: true } } }, 'image-not-pinned-by-digest');
    assert.equal(r?.severity, 'high');
    assert.equal(r?.mode, 'audit');
  });

  it('refuses an allowlist given twice, or a rule turned off that the section needs', () => {
    assert.throws(() => resolveRules(RULES, { rules: { 'image-registry-not-allowed': { options: { allowedRegistries: ['a'] } } }, admission: { images: { allowedRegistries: ['b'] } } }), /set twice/);
    assert.throws(() => resolveRules(RULES, { rules: { 'image-not-pinned-by-digest': 'off' }, admission: { images: { requireDigest: true } } }), /turns off/);
  });

  it('changes nothing without image settings', () => {
    assert.equal(resolved({}, 'image-registry-not-allowed')?.options.allowedRegistries, undefined);
  });
});
