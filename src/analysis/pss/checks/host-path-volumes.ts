/**
 * hostPathVolumes (baseline, v1.0+). Upstream: policy/check_hostPathVolumes.go.
 * No volume may use hostPath. (The restricted level replaces this check with restrictedVolumes.)
 */
import { join } from '../../../core/pointer.js';
import { isSet, joinQuote, listAt, pluralize, stringAt } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

export const CHECK_HOST_PATH_VOLUMES = 'hostPathVolumes';

function hostPathVolumes_1_0(pod: PodInput): CheckFailure | undefined {
  const bad: string[] = [];
  const fields: PssField[] = [];
  listAt(pod.spec, 'volumes').forEach((v, i) => {
    if (!isSet(v, 'hostPath')) return;
    const name = stringAt(v, 'name') ?? '';
    bad.push(name);
    fields.push({ path: join(pod.specPath, 'volumes', i, 'hostPath'), message: `volume "${name}" uses hostPath` });
  });
  if (bad.length === 0) return undefined;
  return { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`, fields };
}

export const hostPathVolumes: CheckDefinition = {
  id: CHECK_HOST_PATH_VOLUMES,
  level: 'baseline',
  versions: [{ minimumVersion: 0, check: hostPathVolumes_1_0 }],
};
