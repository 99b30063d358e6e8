/**
 * Objects of the API groups built into Kubernetes (core/ref.ts) and of kubeguard's own synthetic kinds are "known"
 * even when no rule looks at their kind; objects of other groups (CRDs) without a pod template are reported as not
 * evaluated.
 */
import { apiGroupOf, isBuiltinApiGroup } from '../core/ref.js';

export function isBuiltinApiVersion(apiVersion: string): boolean {
  const group = apiGroupOf(apiVersion);
  return group === 'kubeguard.io' || isBuiltinApiGroup(group);
}
