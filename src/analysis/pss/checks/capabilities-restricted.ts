/**
 * capabilities_restricted (restricted, v1.22+, Windows pods exempt from v1.25).
 * Upstream: policy/check_capabilities_restricted.go.
 * Every container must drop "ALL" and may only add NET_BIND_SERVICE. Replaces capabilities_baseline.
 */
import { join } from '../../../core/pointer.js';
import {
  containerName, containerSecurityContext, containersPhrase, isWindowsPod, joinQuote, listAt, mapAt,
  sortedUnique,
} from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';
import { CHECK_CAPABILITIES_BASELINE } from './capabilities-baseline.js';

const CAPABILITY_ALL = 'ALL';
const CAPABILITY_NET_BIND_SERVICE = 'NET_BIND_SERVICE';

function capabilitiesRestricted_1_22(pod: PodInput): CheckFailure | undefined {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbiddenCaps: string[] = [];
  const fields: PssField[] = [];
  for (const c of pod.containers) {
    const name = containerName(c);
    const capabilities = mapAt(containerSecurityContext(c), 'capabilities');
    if (!capabilities || !listAt(capabilities, 'drop').some((x) => String(x) === CAPABILITY_ALL)) {
      missingDropAll.push(name);
      fields.push({
        path: join(c.path, 'securityContext', 'capabilities', 'drop'),
        message: `container "${name}" must set securityContext.capabilities.drop=["ALL"]`,
      });
    }
    let addedForbidden = false;
    listAt(capabilities, 'add').forEach((cap, k) => {
      const capName = String(cap);
      if (capName === CAPABILITY_NET_BIND_SERVICE) return;
      addedForbidden = true;
      forbiddenCaps.push(capName);
      fields.push({ path: join(c.path, 'securityContext', 'capabilities', 'add', k), message: `container "${name}" adds capability ${capName}` });
    });
    if (addedForbidden) addingForbidden.push(name);
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length > 0) {
    details.push(`${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedUnique(forbiddenCaps))} in securityContext.capabilities.add`);
  }
  if (details.length === 0) return undefined;
  return { reason: 'unrestricted capabilities', detail: details.join('; '), fields };
}

function capabilitiesRestricted_1_25(pod: PodInput): CheckFailure | undefined {
  // Linux-only control: pods declaring spec.os.name=windows are exempt from 1.25 on.
  if (isWindowsPod(pod)) return undefined;
  return capabilitiesRestricted_1_22(pod);
}

export const capabilitiesRestricted: CheckDefinition = {
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { minimumVersion: 22, check: capabilitiesRestricted_1_22, overrides: [CHECK_CAPABILITIES_BASELINE] },
    { minimumVersion: 25, check: capabilitiesRestricted_1_25, overrides: [CHECK_CAPABILITIES_BASELINE] },
  ],
};
