/**
 * hostProbesAndHostLifecycle (baseline, v1.34+). Upstream: policy/check_hostProbesAndhostLifecycle.go.
 * livenessProbe / readinessProbe / startupProbe and lifecycle.postStart / preStop must not set
 * httpGet.host or tcpSocket.host to a non-empty value.
 */
import { join } from '../../../core/pointer.js';
import { containerName, containersPhrase, joinQuote, mapAt, pluralize, sortedUnique, stringAt } from '../fields.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

function hostProbesAndHostLifecycle_1_34(pod: PodInput): CheckFailure | undefined {
  const bad = new Set<string>();
  const hosts: string[] = [];
  const fields: PssField[] = [];
  for (const c of pod.containers) {
    const name = containerName(c);
    const visit = (handler: unknown, tokens: string[]): void => {
      for (const h of HANDLERS) {
        const host = stringAt(mapAt(handler, h), 'host');
        if (host === undefined || host === '') continue;
        bad.add(name);
        hosts.push(host);
        fields.push({ path: join(c.path, ...tokens, h, 'host'), message: `container "${name}" ${tokens.join('.')}.${h}.host is set to "${host}"` });
      }
    };
    for (const p of PROBES) visit(mapAt(c.container, p), [p]);
    const lifecycle = mapAt(c.container, 'lifecycle');
    for (const hook of HOOKS) visit(mapAt(lifecycle, hook), ['lifecycle', hook]);
  }
  if (bad.size === 0) return undefined;
  const names = [...bad].sort();
  const forbidden = sortedUnique(hosts);
  return {
    reason: 'probe or lifecycle host',
    detail: `${containersPhrase(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', forbidden.length)} ${joinQuote(forbidden)}`,
    fields,
  };
}

export const hostProbesAndHostLifecycle: CheckDefinition = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [{ minimumVersion: 34, check: hostProbesAndHostLifecycle_1_34 }],
};
