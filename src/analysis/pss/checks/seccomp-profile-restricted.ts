/**
 * seccompProfile_restricted (restricted, v1.19+, Windows pods exempt from v1.25).
 * Upstream: policy/check_seccompProfile_restricted.go.
 * seccompProfile.type must be RuntimeDefault or Localhost; a container may leave it unset only when the pod-level
 * profile is set to an allowed value. Replaces seccompProfile_baseline.
 */
import { join } from '../../../core/pointer.js';
import {
  containerName, containerSecurityContext, containersPhrase, isWindowsPod, joinQuote, mapAt,
  podSecurityContext, sortedUnique, stringAt,
} from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';
import { CHECK_SECCOMP_BASELINE, validSeccompType } from './seccomp-profile-baseline.js';

function seccompProfileRestricted_1_19(pod: PodInput): CheckFailure | undefined {
  const setters: string[] = [];
  const badValues: string[] = [];
  const fields: PssField[] = [];
  let podSeccompSet = false;
  const podProfile = mapAt(podSecurityContext(pod), 'seccompProfile');
  if (podProfile) {
    const t = stringAt(podProfile, 'type') ?? '';
    if (validSeccompType(t)) podSeccompSet = true;
    else {
      setters.push('pod');
      badValues.push(t);
      fields.push({ path: join(pod.specPath, 'securityContext', 'seccompProfile', 'type'), message: `pod sets seccompProfile.type "${t}"` });
    }
  }
  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  const implicitFields: PssField[] = [];
  for (const c of pod.containers) {
    const name = containerName(c);
    const profile = mapAt(containerSecurityContext(c), 'seccompProfile');
    if (profile) {
      const t = stringAt(profile, 'type') ?? '';
      if (validSeccompType(t)) continue;
      explicitlyBad.push(name);
      badValues.push(t);
      fields.push({ path: join(c.path, 'securityContext', 'seccompProfile', 'type'), message: `container "${name}" sets seccompProfile.type "${t}"` });
    } else if (!podSeccompSet) {
      implicitlyBad.push(name);
      implicitFields.push({
        path: join(c.path, 'securityContext', 'seccompProfile', 'type'),
        message: `pod or container "${name}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      });
    }
  }
  if (explicitlyBad.length > 0) setters.push(containersPhrase(explicitlyBad));
  if (setters.length > 0) {
    // Upstream reports the explicit bad values first and alone.
    return {
      reason: 'seccompProfile',
      detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`,
      fields: [...fields, ...implicitFields],
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      fields: implicitFields,
    };
  }
  return undefined;
}

function seccompProfileRestricted_1_25(pod: PodInput): CheckFailure | undefined {
  if (isWindowsPod(pod)) return undefined;
  return seccompProfileRestricted_1_19(pod);
}

export const seccompProfileRestricted: CheckDefinition = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 19, check: seccompProfileRestricted_1_19, overrides: [CHECK_SECCOMP_BASELINE] },
    { minimumVersion: 25, check: seccompProfileRestricted_1_25, overrides: [CHECK_SECCOMP_BASELINE] },
  ],
};
