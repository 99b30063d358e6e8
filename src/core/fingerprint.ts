import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { ResourceRef } from './model.js';
import { formatRef } from './ref.js';

let sha256Hex: ((text: string) => string) | undefined;

/** node:crypto loads on the first fingerprint: most scans print none (start-up, #25). */
function digest(text: string): string {
  if (sha256Hex === undefined) {
    const crypto = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
    // crypto.hash (Node ≥ 20.12): a one-shot digest, a third of createHash's cost for the ~50,000 of a large SARIF report
    sha256Hex = typeof crypto.hash === 'function' ? (t) => crypto.hash('sha256', t) : (t) => crypto.createHash('sha256').update(t).digest('hex');
  }
  return sha256Hex(text);
}

/**
 * A finding's identity, stable across line moves and re-scans: the rule, the object (apiVersion, kind, namespace,
 * name) and the field (JSON pointer) — never the line or the message. SARIF's partial fingerprints and the
 * server's finding history both key on it.
 */
export function findingFingerprint(ruleId: string, resource: ResourceRef, path: string): string {
  return digest(`${ruleId}\u0000${resource.apiVersion}\u0000${formatRef(resource)}\u0000${path}`).slice(0, 32);
}
