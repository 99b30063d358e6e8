/**
 * seccompProfile_baseline (baseline). Upstream: policy/check_seccompProfile_baseline.go.
 * v1.0–v1.18: the alpha annotations seccomp.security.alpha.kubernetes.io/pod and
 *   container.seccomp.security.alpha.kubernetes.io/<container> may only be runtime/default, docker/default or localhost/*.
 * v1.19+: securityContext.seccompProfile.type (pod and containers), when set, may only be RuntimeDefault or Localhost.
 */
import { join } from '../../../core/pointer.js';
import {
  containerName, containerSecurityContext, containersPhrase, isMap, joinQuote, mapAt, pluralize, podSecurityContext,
  sortedUnique, stringAt,
} from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

export const CHECK_SECCOMP_BASELINE = 'seccompProfile_baseline';

const ANNOTATION_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const ANNOTATION_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export function validSeccompType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

function validAnnotationValue(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

function seccompProfileBaseline_1_0(pod: PodInput): CheckFailure | undefined {
  const annotations = isMap(pod.metadata.annotations) ? pod.metadata.annotations : {};
  const forbidden: string[] = [];
  const fields: PssField[] = [];
  const judge = (key: string): void => {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) return;
    const raw = annotations[key];
    const v = raw === null || raw === undefined ? '' : String(raw);
    if (validAnnotationValue(v)) return;
    forbidden.push(`${key}=${JSON.stringify(v)}`);
    fields.push({ path: join(pod.metadataPath, 'annotations', key), message: `annotation ${key} sets seccomp profile "${v}"` });
  };
  judge(ANNOTATION_POD);
  for (const c of pod.containers) judge(ANNOTATION_CONTAINER_PREFIX + containerName(c));
  if (forbidden.length === 0) return undefined;
  const list = sortedUnique(forbidden);
  return { reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}`, fields };
}

function seccompProfileBaseline_1_19(pod: PodInput): CheckFailure | undefined {
  const setters: string[] = [];
  const badValues: string[] = [];
  const fields: PssField[] = [];
  const podProfile = mapAt(podSecurityContext(pod), 'seccompProfile');
  if (podProfile) {
    const t = stringAt(podProfile, 'type') ?? '';
    if (!validSeccompType(t)) {
      setters.push('pod');
      badValues.push(t);
      fields.push({ path: join(pod.specPath, 'securityContext', 'seccompProfile', 'type'), message: `pod sets seccompProfile.type "${t}"` });
    }
  }
  const bad: string[] = [];
  for (const c of pod.containers) {
    const profile = mapAt(containerSecurityContext(c), 'seccompProfile');
    if (!profile) continue;
    const t = stringAt(profile, 'type') ?? '';
    if (validSeccompType(t)) continue;
    bad.push(containerName(c));
    badValues.push(t);
    fields.push({
      path: join(c.path, 'securityContext', 'seccompProfile', 'type'),
      message: `container "${containerName(c)}" sets seccompProfile.type "${t}"`,
    });
  }
  if (bad.length > 0) setters.push(containersPhrase(bad));
  if (setters.length === 0) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`,
    fields,
  };
}

export const seccompProfileBaseline: CheckDefinition = {
  id: CHECK_SECCOMP_BASELINE,
  level: 'baseline',
  versions: [
    { minimumVersion: 0, check: seccompProfileBaseline_1_0 },
    { minimumVersion: 19, check: seccompProfileBaseline_1_19 },
  ],
};
