/**
 * capabilities_baseline (baseline, v1.0+). Upstream: policy/check_capabilities_baseline.go.
 * capabilities.add may only hold capabilities of the container runtime's default set.
 * (No user-namespace relaxation: the gated one was dropped in 1.35 together with its feature gate.)
 */
import { join } from '../../../core/pointer.js';
import { containerName, containerSecurityContext, containersPhrase, joinQuote, listAt, mapAt, sortedUnique } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

export const CHECK_CAPABILITIES_BASELINE = 'capabilities_baseline';

export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

function capabilitiesBaseline_1_0(pod: PodInput): CheckFailure | undefined {
  const bad: string[] = [];
  const caps: string[] = [];
  const fields: PssField[] = [];
  for (const c of pod.containers) {
    const capabilities = mapAt(containerSecurityContext(c), 'capabilities');
    if (!capabilities) continue;
    let valid = true;
    listAt(capabilities, 'add').forEach((cap, k) => {
      const name = String(cap);
      if (BASELINE_ALLOWED_CAPABILITIES.has(name)) return;
      valid = false;
      caps.push(name);
      fields.push({
        path: join(c.path, 'securityContext', 'capabilities', 'add', k),
        message: `container "${containerName(c)}" adds capability ${name}`,
      });
    });
    if (!valid) bad.push(containerName(c));
  }
  if (bad.length === 0) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`,
    fields,
  };
}

export const capabilitiesBaseline: CheckDefinition = {
  id: CHECK_CAPABILITIES_BASELINE,
  level: 'baseline',
  versions: [{ minimumVersion: 0, check: capabilitiesBaseline_1_0 }],
};
