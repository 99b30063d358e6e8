/**
 * The network view of a resource set: namespaces (with their labels), pod representatives (one per Pod, or one
 * per workload for pods that come from a template or share an owner), NetworkPolicies, and the objects that expose
 * pods (Services, Ingresses, Gateway API HTTPRoutes).
 */
import type { KubeObject, ResourceRef } from '../../core/model.js';
import { podTemplateOf, allContainers, POD_BEARING_KINDS } from '../../core/podspec.js';
import { refOf } from '../../core/ref.js';
import { isProtocol, type Protocol } from './conns.js';
import { parseIp, type IpFamily } from './ip.js';
import { parseNetworkPolicy, PolicyParseError, type NetPolicy } from './policy.js';
import type { Labels } from './selector.js';
import { isJsonMap as isRecord } from '../../core/json.js';

/** Every namespace carries this label, set by the control plane (docs: "Targeting a Namespace by its name"). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The kinds buildCluster reads: when one could not be read, answers over the cluster cannot be trusted complete. */
export const NETWORK_INPUT_KINDS: readonly string[] = [
  'Namespace', 'NetworkPolicy', 'Service', 'Ingress', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', ...POD_BEARING_KINDS,
];

export interface NetNamespace {
  name: string;
  labels: Labels;
  /** False when the namespace was only referenced, not given as an object. */
  declared: boolean;
}

export interface NamedPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface NetPod {
  /** "namespace/name" of the pod or workload. */
  key: string;
  namespace: string;
  name: string;
  /** Pod, or the workload kind (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, …). */
  kind: string;
  labels: Labels;
  /** Container ports (all containers, for named-port resolution). */
  ports: NamedPort[];
  /** Known pod IPs (status.podIP / status.podIPs), for ipBlock peers that match pods. */
  ips: { family: IpFamily; value: bigint; text: string }[];
  /** hostNetwork pods use the node's network namespace: NetworkPolicy does not reliably apply to them. */
  hostNetwork: boolean;
  /** Number of Pod objects collapsed into this representative (0 for a bare template). */
  members: number;
  ref?: ResourceRef;
}

export interface NetCluster {
  namespaces: Map<string, NetNamespace>;
  pods: NetPod[];
  policies: NetPolicy[];
  services: KubeObject[];
  ingresses: KubeObject[];
  /** Gateway API routes (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute): their backendRefs reach pods. */
  routes: KubeObject[];
  /** Problems that did not stop the analysis (unparseable policies are listed here and ignored). */
  warnings: string[];
}

/** Expands `kind: List` / `*List` documents (kubectl get -o yaml output) into their items. */
export function flattenLists(objects: readonly KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  // a stack, not recursion: lists nest as deep as the input says
  const stack: KubeObject[] = [];
  for (let i = objects.length - 1; i >= 0; i--) stack.push(objects[i]);
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      const itemKind = o.kind === 'List' ? undefined : o.kind.slice(0, -4);
      const items = o.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) {
        const it = items[i];
        if (!isRecord(it)) continue;
        const item = it as KubeObject;
        stack.push(item.kind || !itemKind ? item : { ...item, kind: itemKind });
      }
    } else out.push(o);
  }
  return out;
}

function labelsOf(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = String(val);
  return out;
}

function nsOf(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return typeof ns === 'string' && ns ? ns : 'default';
}

interface OwnerRef {
  kind: string;
  name: string;
}

function controllerOf(o: KubeObject): OwnerRef | undefined {
  const refs = o.metadata?.ownerReferences;
  if (!Array.isArray(refs) || refs.length === 0) return undefined;
  const list = refs.filter(isRecord);
  const ctl = list.find((r) => r.controller === true) ?? list[0];
  if (!ctl || typeof ctl.name !== 'string') return undefined;
  return { kind: typeof ctl.kind === 'string' && ctl.kind ? ctl.kind : 'Pod', name: ctl.name };
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

function portsOf(obj: KubeObject): { ports: NamedPort[]; hostNetwork: boolean; labels: Record<string, string> } | undefined {
  const t = podTemplateOf(obj);
  if (!t) return undefined;
  const ports: NamedPort[] = [];
  for (const c of allContainers(t.spec, t.specPath)) {
    if (c.kind === 'ephemeralContainers') continue; // ephemeral containers may not declare ports
    for (const p of c.container.ports ?? []) {
      const port = Number(p.containerPort);
      if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
      const protocol = p.protocol === undefined ? 'TCP' : p.protocol;
      if (!isProtocol(protocol)) continue;
      ports.push({ port, protocol, ...(typeof p.name === 'string' && p.name ? { name: p.name } : {}) });
    }
  }
  return { ports, hostNetwork: t.spec.hostNetwork === true, labels: labelsOf(t.metadata.labels) };
}

function ipsOf(o: KubeObject): NetPod['ips'] {
  const status = isRecord(o.status) ? o.status : {};
  const texts = new Set<string>();
  if (typeof status.podIP === 'string' && status.podIP) texts.add(status.podIP);
  if (Array.isArray(status.podIPs)) for (const p of status.podIPs) if (isRecord(p) && typeof p.ip === 'string') texts.add(p.ip);
  const out: NetPod['ips'] = [];
  for (const text of texts) {
    try {
      out.push({ ...parseIp(text), text });
    } catch {
      /* ignore an unparsable status IP */
    }
  }
  return out;
}

/** Builds the network model. Objects may include `*List` documents. */
export function buildCluster(input: readonly KubeObject[]): NetCluster {
  const objects = flattenLists(input);
  const warnings: string[] = [];
  const namespaces = new Map<string, NetNamespace>();
  const ensureNs = (name: string): void => {
    if (!namespaces.has(name)) namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false });
  };
  for (const o of objects) {
    if (o.kind !== 'Namespace' || !o.metadata?.name) continue;
    const name = o.metadata.name;
    namespaces.set(name, { name, labels: { ...labelsOf(o.metadata.labels), [NAMESPACE_NAME_LABEL]: name }, declared: true });
  }

  // Owner chains among workload objects (ReplicaSet → Deployment, Job → CronJob).
  const workloadOwner = new Map<string, OwnerRef>();
  const workloadKeys = new Set<string>();
  for (const o of objects) {
    if (!WORKLOAD_KINDS.has(o.kind ?? '') || !o.metadata?.name) continue;
    const k = `${nsOf(o)}/${o.kind}/${o.metadata.name}`;
    workloadKeys.add(k);
    const owner = controllerOf(o);
    if (owner) workloadOwner.set(k, owner);
  }
  const topOwner = (ns: string, owner: OwnerRef): OwnerRef => {
    let cur = owner;
    for (let i = 0; i < 5; i++) {
      const next = workloadOwner.get(`${ns}/${cur.kind}/${cur.name}`);
      if (!next) break;
      cur = next;
    }
    return cur;
  };

  const pods = new Map<string, NetPod>();
  const add = (o: KubeObject, key: string, kind: string, name: string, ns: string, info: NonNullable<ReturnType<typeof portsOf>>, isPod: boolean): void => {
    const existing = pods.get(key);
    const ips = isPod ? ipsOf(o) : [];
    if (existing) {
      existing.members += isPod ? 1 : 0;
      for (const ip of ips) if (!existing.ips.some((x) => x.text === ip.text)) existing.ips.push(ip);
      if (JSON.stringify(existing.labels) !== JSON.stringify(info.labels) && isPod) {
        warnings.push(`pods of ${kind} ${key} carry different labels; the first one represents the workload`);
      }
      return;
    }
    ensureNs(ns);
    pods.set(key, { key, namespace: ns, name, kind, labels: info.labels, ports: info.ports, ips, hostNetwork: info.hostNetwork, members: isPod ? 1 : 0, ref: refOf(o) });
  };

  for (const o of objects) {
    const kind = o.kind ?? '';
    if (kind === 'Namespace' || kind === 'PodTemplate') continue;
    const info = portsOf(o);
    if (!info || !o.metadata?.name) continue;
    const ns = nsOf(o);
    if (kind === 'Pod') {
      const owner = controllerOf(o);
      // Static (mirror) pods are owned by their Node: they are pods of their own, not a workload.
      if (owner && owner.kind !== 'Node') {
        const top = topOwner(ns, owner);
        add(o, `${ns}/${top.name}`, top.kind, top.name, ns, info, true);
      } else add(o, `${ns}/${o.metadata.name}`, 'Pod', o.metadata.name, ns, info, true);
      continue;
    }
    const selfKey = `${ns}/${kind}/${o.metadata.name}`;
    // A ReplicaSet owned by a Deployment in the set is represented by that Deployment.
    const owner = workloadOwner.get(selfKey);
    if (owner && workloadKeys.has(`${ns}/${owner.kind}/${owner.name}`)) continue;
    add(o, `${ns}/${o.metadata.name}`, kind, o.metadata.name, ns, info, false);
  }

  const policies: NetPolicy[] = [];
  for (const o of objects) {
    if (o.kind !== 'NetworkPolicy' || (o.apiVersion && !o.apiVersion.startsWith('networking.k8s.io/'))) continue;
    const ns = nsOf(o);
    try {
      policies.push(parseNetworkPolicy(o, ns));
      ensureNs(ns);
    } catch (e) {
      if (e instanceof PolicyParseError) warnings.push(e.message);
      else throw e;
    }
  }
  const hostNet = [...pods.values()].filter((p) => p.hostNetwork);
  for (const p of hostNet) warnings.push(`${p.kind} ${p.key} uses hostNetwork: NetworkPolicy does not reliably apply to it (outside policy control)`);

  return {
    namespaces,
    pods: [...pods.values()],
    policies,
    services: objects.filter((o) => o.kind === 'Service'),
    ingresses: objects.filter((o) => o.kind === 'Ingress'),
    routes: objects.filter((o) => typeof o.kind === 'string' && o.kind.endsWith('Route') && (o.apiVersion ?? '').startsWith('gateway.networking.k8s.io/')),
    warnings,
  };
}
