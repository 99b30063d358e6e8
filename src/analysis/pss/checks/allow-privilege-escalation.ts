/**
 * allowPrivilegeEscalation (restricted, v1.8+, Windows pods exempt from v1.25).
 * Upstream: policy/check_allowPrivilegeEscalation.go.
 * Every container must set securityContext.allowPrivilegeEscalation=false explicitly.
 */
import { containerName, containerSecurityContext, containersPhrase, isWindowsPod } from '../fields.js';
import { join } from '../../../core/pointer.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

function allowPrivilegeEscalation_1_8(pod: PodInput): CheckFailure | undefined {
  const bad: string[] = [];
  const fields: PssField[] = [];
  for (const c of pod.containers) {
    const value = containerSecurityContext(c)?.allowPrivilegeEscalation;
    // Go: nil or true is a violation; only an explicit false passes.
    if (value === false) continue;
    bad.push(containerName(c));
    fields.push({
      path: join(c.path, 'securityContext', 'allowPrivilegeEscalation'),
      message: `container "${containerName(c)}" must set securityContext.allowPrivilegeEscalation=false`,
    });
  }
  if (bad.length === 0) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    fields,
  };
}

function allowPrivilegeEscalation_1_25(pod: PodInput): CheckFailure | undefined {
  if (isWindowsPod(pod)) return undefined;
  return allowPrivilegeEscalation_1_8(pod);
}

export const allowPrivilegeEscalation: CheckDefinition = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    { minimumVersion: 8, check: allowPrivilegeEscalation_1_8 },
    { minimumVersion: 25, check: allowPrivilegeEscalation_1_25 },
  ],
};
