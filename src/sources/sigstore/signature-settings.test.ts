/** `admission.images.signature` checks at start-up: attestation conditions that cannot apply are configuration errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../core/errors.js';
import { resolveSignatureSettings } from './signature-settings.js';

const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';
const policy = (attestations: unknown[]) => ({ policies: [{ images: ['ghcr.io/acme'], identity: 'id', issuer: 'https://issuer', attestations }] }) as never;

test('vulnerability-scan conditions: only on the vuln predicate, positive maxAgeHours, a known severity', () => {
  assert.doesNotThrow(() => resolveSignatureSettings(policy([{ predicateType: VULN, maxAgeHours: 168, failOn: 'high', scanner: 'pkg:github/aquasecurity/trivy@*' }])));
  assert.throws(() => resolveSignatureSettings(policy([{ predicateType: 'https://slsa.dev/provenance/v1', maxAgeHours: 24 }])), (e: unknown) => e instanceof ConfigError && /apply to vulnerability-scan attestations/.test(e.message));
  assert.throws(() => resolveSignatureSettings(policy([{ predicateType: VULN, maxAgeHours: 0 }])), /maxAgeHours must be a positive number/);
  assert.throws(() => resolveSignatureSettings(policy([{ predicateType: VULN, failOn: 'severe' }])), /failOn must be one of/);
});
