/**
 * hostPorts (baseline, v1.0+). Upstream: policy/check_hostPorts.go.
 * containers[*].ports[*].hostPort must be unset or 0 (init and ephemeral containers included).
 */
import { join } from '../../../core/pointer.js';
import { containerName, containersPhrase, isMap, listAt, pluralize, sortedUnique } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

function hostPorts_1_0(pod: PodInput): CheckFailure | undefined {
  const bad: string[] = [];
  const ports: string[] = [];
  const fields: PssField[] = [];
  for (const c of pod.containers) {
    let valid = true;
    listAt(c.container, 'ports').forEach((p, j) => {
      if (!isMap(p)) return;
      const hp = p.hostPort;
      if (hp === undefined || hp === null || hp === 0) return;
      valid = false;
      ports.push(String(hp));
      fields.push({ path: join(c.path, 'ports', j, 'hostPort'), message: `container "${containerName(c)}" uses hostPort ${String(hp)}` });
    });
    if (!valid) bad.push(containerName(c));
  }
  if (bad.length === 0) return undefined;
  // Upstream collects the ports in a string set: unique, sorted as strings.
  const portList = sortedUnique(ports);
  return {
    reason: 'hostPort',
    detail: `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', portList.length)} ${portList.join(', ')}`,
    fields,
  };
}

export const hostPorts: CheckDefinition = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [{ minimumVersion: 0, check: hostPorts_1_0 }],
};
