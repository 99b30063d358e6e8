/**
 * appArmorProfile (baseline, v1.0+). Upstream: policy/check_appArmorProfile.go.
 * The securityContext.appArmorProfile.type fields (pod and containers) may only be RuntimeDefault or Localhost;
 * the deprecated container.apparmor.security.beta.kubernetes.io/* annotations may only be empty, runtime/default
 * or localhost/*. Upstream patched the field check into its single 1.0 variant, so it applies at every version.
 */
import { join } from '../../../core/pointer.js';
import {
  containerName, containerSecurityContext, containersPhrase, isMap, joinQuote, mapAt, pluralize, podSecurityContext,
  sortedUnique, stringAt,
} from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

function allowedProfileType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function appArmorProfile_1_0(pod: PodInput): CheckFailure | undefined {
  const setters: string[] = [];
  const badValues: string[] = [];
  const fields: PssField[] = [];

  const podProfile = mapAt(podSecurityContext(pod), 'appArmorProfile');
  if (podProfile) {
    const t = stringAt(podProfile, 'type') ?? '';
    if (!allowedProfileType(t)) {
      setters.push('pod');
      badValues.push(t);
      fields.push({ path: join(pod.specPath, 'securityContext', 'appArmorProfile', 'type'), message: `pod sets AppArmor profile type "${t}"` });
    }
  }

  const bad: string[] = [];
  for (const c of pod.containers) {
    const profile = mapAt(containerSecurityContext(c), 'appArmorProfile');
    if (!profile) continue;
    const t = stringAt(profile, 'type') ?? '';
    if (allowedProfileType(t)) continue;
    bad.push(containerName(c));
    badValues.push(t);
    fields.push({
      path: join(c.path, 'securityContext', 'appArmorProfile', 'type'),
      message: `container "${containerName(c)}" sets AppArmor profile type "${t}"`,
    });
  }
  if (bad.length > 0) setters.push(containersPhrase(bad));

  const values = sortedUnique(badValues);
  const annotations = pod.metadata.annotations;
  const forbiddenAnnotations: string[] = [];
  if (isMap(annotations)) {
    for (const [k, raw] of Object.entries(annotations)) {
      const v = raw === null || raw === undefined ? '' : String(raw);
      if (!k.startsWith(ANNOTATION_PREFIX) || allowedAnnotationValue(v)) continue;
      forbiddenAnnotations.push(`${k}=${JSON.stringify(v)}`);
      fields.push({ path: join(pod.metadataPath, 'annotations', k), message: `annotation ${k} sets AppArmor profile "${v}"` });
    }
  }
  if (forbiddenAnnotations.length > 0) {
    forbiddenAnnotations.sort();
    values.push(...forbiddenAnnotations);
    setters.push(pluralize('annotation', 'annotations', forbiddenAnnotations.length));
  }

  if (setters.length === 0) return undefined;
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
    detail: `${setters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
    fields,
  };
}

export const appArmorProfile: CheckDefinition = {
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [{ minimumVersion: 0, check: appArmorProfile_1_0 }],
};
