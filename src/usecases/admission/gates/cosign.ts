/**
 * The signature gate's provider: `requirementVerifier` of the image module (src/sources/images/cosign.ts, on
 * sigstore-js) — the same verification `scan --images` uses.
 */
import { requirementVerifier } from '../../../sources/images/cosign.js';
import type { RegistryClient } from '../../../sources/images/registry/client.js';
import type { VerifySignature } from './signature.js';

export function cosignVerifier(options: { client?: RegistryClient; trustedRoot?: string } = {}): VerifySignature {
  return requirementVerifier(options);
}
