/**
 * hostProbesAndHostLifecycle (baseline, v1.34+). Upstream: policy/check_hostProbesAndhostLifecycle.go.
 * livenessProbe / readinessProbe / startupProbe and lifecycle.postStart / preStop must not set
 * httpGet.host or tcpSocket.host to a non-empty value.
 */
import { join } from '../../../core/pointer.js';
import { containerName, containersPhrase, joinQuote, mapAt, pluralize, sortedUnique, stringAt } from '../fields.js';
import type { ContainerRef, JsonMap } from '../../../core/podspec.js';
import type { CheckDefinition, CheckFailure, PodInput, PssField } from '../types.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

interface Found {
  bad: Set<string>;
  hosts: string[];
  fields: PssField[];
}

/** Records the httpGet/tcpSocket hosts set in one probe or hook handler (`where`: "livenessProbe", "lifecycle.preStop"). */
function visitHandler(found: Found, c: ContainerRef, name: string, handler: unknown, tokens: readonly string[], where: string): void {
  if (handler === undefined) return;
  for (const h of HANDLERS) {
    const host = stringAt(mapAt(handler, h), 'host');
    if (host === undefined || host === '') continue;
    found.bad.add(name);
    found.hosts.push(host);
    found.fields.push({ path: join(c.path, ...tokens, h, 'host'), message: `container "${name}" ${where}.${h}.host is set to "${host}"` });
  }
}

const PROBE_TOKENS = PROBES.map((p) => [p] as const);
const HOOK_TOKENS = HOOKS.map((h) => ['lifecycle', h] as const);

function hostProbesAndHostLifecycle_1_34(pod: PodInput): CheckFailure | undefined {
  // Built only when a host is found: most pods set none.
  let found: Found | undefined;
  for (const c of pod.containers) {
    for (let i = 0; i < PROBES.length; i++) {
      const handler = mapAt(c.container, PROBES[i]);
      if (handler && hasHost(handler)) visitHandler((found ??= { bad: new Set(), hosts: [], fields: [] }), c, containerName(c), handler, PROBE_TOKENS[i], PROBES[i]);
    }
    const lifecycle = mapAt(c.container, 'lifecycle');
    if (!lifecycle) continue;
    for (let i = 0; i < HOOKS.length; i++) {
      const handler = mapAt(lifecycle, HOOKS[i]);
      if (handler && hasHost(handler)) visitHandler((found ??= { bad: new Set(), hosts: [], fields: [] }), c, containerName(c), handler, HOOK_TOKENS[i], `lifecycle.${HOOKS[i]}`);
    }
  }
  if (!found) return undefined;
  const { bad, hosts, fields } = found;
  const names = [...bad].sort();
  const forbidden = sortedUnique(hosts);
  return {
    reason: 'probe or lifecycle host',
    detail: `${containersPhrase(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', forbidden.length)} ${joinQuote(forbidden)}`,
    fields,
  };
}

function hasHost(handler: JsonMap): boolean {
  for (const h of HANDLERS) {
    const host = stringAt(mapAt(handler, h), 'host');
    if (host !== undefined && host !== '') return true;
  }
  return false;
}

export const hostProbesAndHostLifecycle: CheckDefinition = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [{ minimumVersion: 34, check: hostProbesAndHostLifecycle_1_34 }],
};
