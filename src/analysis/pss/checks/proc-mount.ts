/**
 * procMount (baseline) and procMount_restricted (restricted, v1.35+).
 * Upstream: policy/check_procMount_baseline.go, policy/check_procMount_restricted.go.
 * securityContext.procMount must be unset or "Default". From v1.35 the baseline check allows any value for pods in
 * a user namespace (spec.hostUsers=false); procMount_restricted keeps the unconditional rule and replaces procMount
 * at the restricted level.
 */
import { join } from '../../../core/pointer.js';
import { containerName, containerSecurityContext, containersPhrase, inUserNamespace, joinQuote, sortedUnique, stringAt } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

export const CHECK_PROC_MOUNT = 'procMount';

function procMount_1_0(pod: PodInput): CheckFailure | undefined {
  const bad: string[] = [];
  const types: string[] = [];
  const fields: PssField[] = [];
  for (const c of pod.containers) {
    const v = stringAt(containerSecurityContext(c), 'procMount');
    if (v === undefined || v === 'Default') continue;
    bad.push(containerName(c));
    types.push(v);
    fields.push({ path: join(c.path, 'securityContext', 'procMount'), message: `container "${containerName(c)}" sets securityContext.procMount "${v}"` });
  }
  if (bad.length === 0) return undefined;
  return { reason: 'procMount', detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`, fields };
}

function procMount_1_35_baseline(pod: PodInput): CheckFailure | undefined {
  if (inUserNamespace(pod)) return undefined;
  return procMount_1_0(pod);
}

export const procMount: CheckDefinition = {
  id: CHECK_PROC_MOUNT,
  level: 'baseline',
  versions: [
    { minimumVersion: 0, check: procMount_1_0 },
    { minimumVersion: 35, check: procMount_1_35_baseline },
  ],
};

export const procMountRestricted: CheckDefinition = {
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [{ minimumVersion: 35, check: procMount_1_0, overrides: [CHECK_PROC_MOUNT] }],
};
