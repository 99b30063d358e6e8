import { createHash } from 'node:crypto';
import type { ResourceRef } from './model.js';
import { formatRef } from './ref.js';

/**
 * A finding's identity, stable across line moves and re-scans: the rule, the object (apiVersion, kind, namespace,
 * name) and the field (JSON pointer) — never the line or the message. SARIF's partial fingerprints and the
 * server's finding history both key on it.
 */
export function findingFingerprint(ruleId: string, resource: ResourceRef, path: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${resource.apiVersion}\u0000${formatRef(resource)}\u0000${path}`).digest('hex').slice(0, 32);
}
