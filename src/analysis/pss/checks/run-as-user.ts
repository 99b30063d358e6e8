/**
 * runAsUser (restricted, v1.23+). Upstream: policy/check_runAsUser.go.
 * Neither the pod nor any container may set runAsUser=0 (unset is allowed).
 * v1.35+: skipped for pods in a user namespace (spec.hostUsers=false, KEP-127).
 */
import { join } from '../../../core/pointer.js';
import { containerName, containerSecurityContext, containersPhrase, inUserNamespace, podSecurityContext } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

function runAsUser_1_23(pod: PodInput): CheckFailure | undefined {
  const setters: string[] = [];
  const fields: PssField[] = [];
  if (podSecurityContext(pod)?.runAsUser === 0) {
    setters.push('pod');
    fields.push({ path: join(pod.specPath, 'securityContext', 'runAsUser'), message: 'pod sets securityContext.runAsUser=0' });
  }
  const bad: string[] = [];
  for (const c of pod.containers) {
    if (containerSecurityContext(c)?.runAsUser !== 0) continue;
    bad.push(containerName(c));
    fields.push({ path: join(c.path, 'securityContext', 'runAsUser'), message: `container "${containerName(c)}" sets securityContext.runAsUser=0` });
  }
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0`, fields };
}

function runAsUser_1_35(pod: PodInput): CheckFailure | undefined {
  if (inUserNamespace(pod)) return undefined;
  return runAsUser_1_23(pod);
}

export const runAsUser: CheckDefinition = {
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { minimumVersion: 23, check: runAsUser_1_23 },
    { minimumVersion: 35, check: runAsUser_1_35 },
  ],
};
