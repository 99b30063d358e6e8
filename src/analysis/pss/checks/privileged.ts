/**
 * privileged (baseline, v1.0+). Upstream: policy/check_privileged.go.
 * Containers (init, regular, ephemeral) must not set securityContext.privileged=true.
 */
import { join } from '../../../core/pointer.js';
import { containerName, containerSecurityContext, containersPhrase } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

function privileged_1_0(pod: PodInput): CheckFailure | undefined {
  const bad: string[] = [];
  const fields: PssField[] = [];
  for (const c of pod.containers) {
    if (containerSecurityContext(c)?.privileged === true) {
      bad.push(containerName(c));
      fields.push({
        path: join(c.path, 'securityContext', 'privileged'),
        message: `container "${containerName(c)}" sets securityContext.privileged=true`,
      });
    }
  }
  if (bad.length === 0) return undefined;
  return { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true`, fields };
}

export const privileged: CheckDefinition = {
  id: 'privileged',
  level: 'baseline',
  versions: [{ minimumVersion: 0, check: privileged_1_0 }],
};
