/**
 * runAsNonRoot (restricted). Upstream: policy/check_runAsNonRoot.go.
 * runAsNonRoot must be true at pod level, or at the level of every container; no level may set it to false.
 * v1.35+: skipped for pods in a user namespace (spec.hostUsers=false, KEP-127).
 */
import { join } from '../../../core/pointer.js';
import {
  containerName, containerSecurityContext, containersPhrase, inUserNamespace, isSet, podSecurityContext,
} from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

function runAsNonRoot_1_0(pod: PodInput): CheckFailure | undefined {
  const setters: string[] = [];
  const fields: PssField[] = [];
  let podRunAsNonRoot = false;
  const podSc = podSecurityContext(pod);
  if (isSet(podSc, 'runAsNonRoot')) {
    if (podSc?.runAsNonRoot === true) podRunAsNonRoot = true;
    else {
      setters.push('pod');
      fields.push({ path: join(pod.specPath, 'securityContext', 'runAsNonRoot'), message: 'pod sets securityContext.runAsNonRoot=false' });
    }
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  const implicitFields: PssField[] = [];
  for (const c of pod.containers) {
    const sc = containerSecurityContext(c);
    const name = containerName(c);
    if (isSet(sc, 'runAsNonRoot')) {
      if (sc?.runAsNonRoot === true) continue;
      explicitlyBad.push(name);
      fields.push({ path: join(c.path, 'securityContext', 'runAsNonRoot'), message: `container "${name}" sets securityContext.runAsNonRoot=false` });
    } else if (!podRunAsNonRoot) {
      implicitlyBad.push(name);
      implicitFields.push({
        path: join(c.path, 'securityContext', 'runAsNonRoot'),
        message: `pod or container "${name}" must set securityContext.runAsNonRoot=true`,
      });
    }
  }
  if (explicitlyBad.length > 0) setters.push(containersPhrase(explicitlyBad));
  if (setters.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`,
      fields: [...fields, ...implicitFields],
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
      fields: implicitFields,
    };
  }
  return undefined;
}

function runAsNonRoot_1_35(pod: PodInput): CheckFailure | undefined {
  if (inUserNamespace(pod)) return undefined;
  return runAsNonRoot_1_0(pod);
}

export const runAsNonRoot: CheckDefinition = {
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { minimumVersion: 0, check: runAsNonRoot_1_0 },
    { minimumVersion: 35, check: runAsNonRoot_1_35 },
  ],
};
