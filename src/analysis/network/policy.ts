/**
 * networking.k8s.io/v1 NetworkPolicy, parsed into an evaluation-ready form.
 *
 * Semantics (Kubernetes API reference, NetworkPolicySpec / NetworkPolicyIngressRule / NetworkPolicyEgressRule /
 * NetworkPolicyPeer / NetworkPolicyPort: https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 * and https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - `podSelector` selects the pods of the policy's namespace the policy applies to; `{}` selects all of them.
 * - `policyTypes` unset: Ingress always, plus Egress when the policy has egress rules (`len(spec.egress) != 0`,
 *   SetDefaults_NetworkPolicySpec in pkg/apis/networking/v1/defaults.go). So `egress: []` without policyTypes
 *   does NOT isolate egress.
 * - `ingress` / `egress` absent or empty: the policy allows nothing in that direction (but still isolates when the
 *   type is in policyTypes). Rules are ORed.
 * - `from` / `to` absent or empty: the rule matches all sources/destinations (any pod, any IP).
 *   Peers are ORed.
 * - `ports` absent or empty: every port and protocol. Ports are ORed. `protocol` defaults to TCP; `port` absent
 *   means all ports of that protocol; a string port is a named port resolved against the destination pod's
 *   container ports (same name and protocol); `endPort` (numeric port only) makes the range port..endPort.
 * - A peer with podSelector only: pods of the policy's namespace. namespaceSelector only: all pods of the
 *   selected namespaces. Both in ONE peer: pods matching podSelector in the selected namespaces (AND).
 *   ipBlock: IPs in cidr but not in any except; exclusive with the selectors.
 */
import type { KubeObject } from '../../core/model.js';
import { isProtocol, type Protocol } from './conns.js';
import { parseIpBlock, type IpBlockSet } from './ip.js';
import { compileSelector, parseSelectorSpec, type LabelSelector, type LabelSelectorSpec } from './selector.js';
import { isJsonMap as isRecord } from '../../core/json.js';

export interface PortSpec {
  protocol: Protocol;
  /** Undefined: all ports of the protocol. */
  port?: number | string;
  endPort?: number;
}

export type Peer =
  | {
      type: 'pods';
      /** Undefined: the policy's own namespace. */
      namespaceSelector?: LabelSelector;
      /** Undefined: every pod of the selected namespaces. */
      podSelector?: LabelSelector;
      specs: { namespaceSelector?: LabelSelectorSpec; podSelector?: LabelSelectorSpec };
    }
  | { type: 'ipBlock'; block: IpBlockSet };

export interface PolicyRule {
  /** Index in spec.ingress / spec.egress. */
  index: number;
  /** Undefined: all peers (from/to absent or empty). */
  peers?: Peer[];
  /** Undefined: all ports (ports absent or empty). */
  ports?: PortSpec[];
  /** Whether any port is named (then the rule's ports depend on the destination pod). */
  hasNamedPorts: boolean;
}

export interface NetPolicy {
  namespace: string;
  name: string;
  /** "namespace/name" */
  key: string;
  podSelector: LabelSelector;
  podSelectorSpec: LabelSelectorSpec;
  /** Whether the policy isolates selected pods for ingress / egress (after policyTypes defaulting). */
  affectsIngress: boolean;
  affectsEgress: boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
  /** Whether policyTypes was set explicitly. */
  explicitPolicyTypes: boolean;
  object: KubeObject;
}

export class PolicyParseError extends Error {
  constructor(
    readonly policy: string,
    message: string,
  ) {
    super(`NetworkPolicy ${policy}: ${message}`);
    this.name = 'PolicyParseError';
  }
}

function parsePort(raw: unknown, where: string, key: string): PortSpec {
  if (!isRecord(raw)) throw new PolicyParseError(key, `${where} must be an object`);
  const protocol = raw.protocol === undefined || raw.protocol === null ? 'TCP' : raw.protocol;
  if (!isProtocol(protocol)) throw new PolicyParseError(key, `${where}.protocol must be TCP, UDP or SCTP`);
  const spec: PortSpec = { protocol };
  if (raw.port !== undefined && raw.port !== null) {
    if (typeof raw.port === 'number') {
      if (!Number.isInteger(raw.port) || raw.port < 1 || raw.port > 65535) throw new PolicyParseError(key, `${where}.port out of range`);
      spec.port = raw.port;
    } else if (typeof raw.port === 'string') {
      // IntOrString: a string that is all digits is still a string in JSON (named port); YAML authors writing
      // port: "80" get a named-port lookup upstream too (and no container port is named "80").
      spec.port = raw.port;
    } else throw new PolicyParseError(key, `${where}.port must be a number or a name`);
  }
  if (raw.endPort !== undefined && raw.endPort !== null) {
    if (typeof spec.port !== 'number') throw new PolicyParseError(key, `${where}.endPort requires a numeric port`);
    if (typeof raw.endPort !== 'number' || raw.endPort < spec.port || raw.endPort > 65535) {
      throw new PolicyParseError(key, `${where}.endPort must be ≥ port and ≤ 65535`);
    }
    spec.endPort = raw.endPort;
  }
  return spec;
}

function parsePeer(raw: unknown, where: string, key: string): Peer {
  if (!isRecord(raw)) throw new PolicyParseError(key, `${where} must be an object`);
  const hasSel = raw.podSelector != null || raw.namespaceSelector != null;
  if (raw.ipBlock != null) {
    if (hasSel) throw new PolicyParseError(key, `${where}: ipBlock cannot be combined with selectors`);
    const ib = raw.ipBlock;
    if (!isRecord(ib) || typeof ib.cidr !== 'string') throw new PolicyParseError(key, `${where}.ipBlock.cidr is required`);
    const except = Array.isArray(ib.except) ? ib.except.map(String) : [];
    try {
      return { type: 'ipBlock', block: parseIpBlock(ib.cidr, except) };
    } catch (e) {
      throw new PolicyParseError(key, `${where}.ipBlock: ${(e as Error).message}`);
    }
  }
  if (!hasSel) throw new PolicyParseError(key, `${where} must specify podSelector, namespaceSelector or ipBlock`);
  try {
    const specs: { namespaceSelector?: LabelSelectorSpec; podSelector?: LabelSelectorSpec } = {};
    const peer: Peer = { type: 'pods', specs };
    if (raw.namespaceSelector != null) {
      specs.namespaceSelector = parseSelectorSpec(raw.namespaceSelector);
      peer.namespaceSelector = compileSelector(specs.namespaceSelector);
    }
    if (raw.podSelector != null) {
      specs.podSelector = parseSelectorSpec(raw.podSelector);
      peer.podSelector = compileSelector(specs.podSelector);
    }
    return peer;
  } catch (e) {
    throw new PolicyParseError(key, `${where}: ${(e as Error).message}`);
  }
}

function parseRules(raw: unknown, dir: 'ingress' | 'egress', key: string): PolicyRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PolicyParseError(key, `spec.${dir} must be a list`);
  const peerField = dir === 'ingress' ? 'from' : 'to';
  return raw.map((r, index) => {
    const where = `spec.${dir}[${index}]`;
    if (r !== null && !isRecord(r)) throw new PolicyParseError(key, `${where} must be an object`);
    const rule = (r ?? {}) as Record<string, unknown>;
    const rawPeers = rule[peerField];
    const rawPorts = rule.ports;
    if (rawPeers != null && !Array.isArray(rawPeers)) throw new PolicyParseError(key, `${where}.${peerField} must be a list`);
    if (rawPorts != null && !Array.isArray(rawPorts)) throw new PolicyParseError(key, `${where}.ports must be a list`);
    const peers = Array.isArray(rawPeers) && rawPeers.length > 0 ? rawPeers.map((p, i) => parsePeer(p, `${where}.${peerField}[${i}]`, key)) : undefined;
    const ports = Array.isArray(rawPorts) && rawPorts.length > 0 ? rawPorts.map((p, i) => parsePort(p, `${where}.ports[${i}]`, key)) : undefined;
    return { index, peers, ports, hasNamedPorts: (ports ?? []).some((p) => typeof p.port === 'string') };
  });
}

/** Parses a NetworkPolicy object. `namespace` is the effective namespace (the object's, else "default"). */
export function parseNetworkPolicy(obj: KubeObject, namespace: string): NetPolicy {
  const name = obj.metadata?.name ?? '';
  const key = `${namespace}/${name}`;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  let podSelectorSpec: LabelSelectorSpec;
  let podSelector: LabelSelector;
  try {
    podSelectorSpec = parseSelectorSpec(spec.podSelector);
    podSelector = compileSelector(podSelectorSpec);
  } catch (e) {
    throw new PolicyParseError(key, `spec.podSelector: ${(e as Error).message}`);
  }
  const ingress = parseRules(spec.ingress, 'ingress', key);
  const egress = parseRules(spec.egress, 'egress', key);
  let affectsIngress: boolean;
  let affectsEgress: boolean;
  const explicit = Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0;
  if (explicit) {
    const types = (spec.policyTypes as unknown[]).map(String);
    for (const t of types) if (t !== 'Ingress' && t !== 'Egress') throw new PolicyParseError(key, `unknown policyType ${t}`);
    affectsIngress = types.includes('Ingress');
    affectsEgress = types.includes('Egress');
  } else {
    // SetDefaults_NetworkPolicySpec: Ingress always; Egress only if len(spec.egress) != 0.
    affectsIngress = true;
    affectsEgress = egress.length > 0;
  }
  return { namespace, name, key, podSelector, podSelectorSpec, affectsIngress, affectsEgress, ingress, egress, explicitPolicyTypes: explicit, object: obj };
}
