/**
 * How serious it is that an identity reaches a capability — one grading for `scan` findings, `rbac paths` and
 * `rbac blast-radius`, so the commands agree:
 * - Kubernetes' own components (users and groups named system:*, other than the groups every account or request
 *   is in) hold these powers by design: info;
 * - cluster-admin held directly (one step) by a service account, or by a group every pod or every user is in:
 *   critical — any pod running as the account, or anyone able to get its token, owns the cluster;
 * - cluster-admin through several steps, or held by named users or groups, and all Secrets or root on a node: high.
 */
import type { Severity } from '../../../core/model.js';
import type { SubjectKind } from '../types.js';
import type { CapabilityId } from './model.js';

/** Groups whose members are every account or every caller: a grant to them is a grant to everyone. */
const EVERYONE_GROUPS = /^system:(authenticated|unauthenticated|serviceaccounts(:.*)?)$/;

export function isKubernetesComponent(s: { kind: SubjectKind; name: string }): boolean {
  return s.kind !== 'ServiceAccount' && s.name.startsWith('system:') && !EVERYONE_GROUPS.test(s.name) && s.name !== 'system:anonymous';
}

export function reachSeverity(from: { kind: SubjectKind; name: string }, to: CapabilityId, steps: number): Severity {
  if (isKubernetesComponent(from)) return 'info';
  if (to !== 'cluster-admin' || steps > 1) return 'high';
  return from.kind === 'ServiceAccount' || EVERYONE_GROUPS.test(from.name) || from.name === 'system:anonymous' ? 'critical' : 'high';
}
