/**
 * hostNamespaces (baseline, v1.0+). Upstream: policy/check_hostNamespaces.go.
 * spec.hostNetwork, spec.hostPID and spec.hostIPC must be unset or false.
 */
import { join } from '../../../core/pointer.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

function hostNamespaces_1_0(pod: PodInput): CheckFailure | undefined {
  const set: string[] = [];
  const fields: PssField[] = [];
  for (const f of FIELDS) {
    if (pod.spec[f] === true) {
      set.push(`${f}=true`);
      fields.push({ path: join(pod.specPath, f), message: `pod sets ${f}=true` });
    }
  }
  if (set.length === 0) return undefined;
  return { reason: 'host namespaces', detail: set.join(', '), fields };
}

export const hostNamespaces: CheckDefinition = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [{ minimumVersion: 0, check: hostNamespaces_1_0 }],
};
