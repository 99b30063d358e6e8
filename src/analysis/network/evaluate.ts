/**
 * Direct (per-pair) NetworkPolicy evaluation with explanations. This is the reference evaluator: it walks every
 * policy for every question. The matrix (matrix.ts) answers the same questions for all pairs at once.
 *
 * A connection from A to B is allowed only if A's egress allows it (when some policy selecting A has Egress in its
 * policyTypes) AND B's ingress allows it (when some policy selecting B has Ingress in its policyTypes).
 * A pod selected by no policy of a direction is not isolated in that direction: everything is allowed.
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation)
 */
import { ConnSet, type Protocol } from './conns.js';
import { blockContains, type IpFamily } from './ip.js';
import type { NetCluster, NetPod } from './cluster.js';
import type { NetPolicy, Peer, PolicyRule } from './policy.js';

export type Endpoint =
  | { type: 'pod'; pod: NetPod }
  | { type: 'ip'; family: IpFamily; value: bigint; text: string };

export interface EvalOptions {
  /**
   * Whether ipBlock peers also match pods whose IP is known and inside the block. The Kubernetes e2e tests rely
   * on it (CIDR built from a pod IP); static analysers that treat ipBlocks as cluster-external set it to false.
   * Default true.
   */
  ipBlockMatchesPods?: boolean;
}

export function endpointName(e: Endpoint): string {
  return e.type === 'pod' ? e.pod.key : e.text;
}

export function nsLabels(cluster: NetCluster, ns: string): Record<string, string> {
  return (cluster.namespaces.get(ns)?.labels as Record<string, string>) ?? { 'kubernetes.io/metadata.name': ns };
}

/** Whether a peer of a policy in namespace `policyNs` matches an endpoint. */
export function peerMatches(cluster: NetCluster, peer: Peer, policyNs: string, ep: Endpoint, opts: EvalOptions = {}): boolean {
  if (peer.type === 'ipBlock') {
    if (ep.type === 'ip') return blockContains(peer.block, ep.family, ep.value);
    if (opts.ipBlockMatchesPods === false) return false;
    return ep.pod.ips.some((ip) => blockContains(peer.block, ip.family, ip.value));
  }
  if (ep.type !== 'pod') return false;
  const pod = ep.pod;
  if (peer.namespaceSelector) {
    if (!peer.namespaceSelector.matches(nsLabels(cluster, pod.namespace))) return false;
  } else if (pod.namespace !== policyNs) return false;
  return peer.podSelector ? peer.podSelector.matches(pod.labels) : true;
}

/** The connections a rule's `ports` admit towards `dst` (named ports resolve on the destination pod). */
export function rulePorts(rule: PolicyRule, dst: Endpoint): ConnSet {
  if (!rule.ports) return ConnSet.ALL;
  let out = ConnSet.NONE;
  for (const p of rule.ports) {
    if (p.port === undefined) out = out.union(ConnSet.allOf(p.protocol));
    else if (typeof p.port === 'number') out = out.union(ConnSet.port(p.protocol, p.port, p.endPort ?? p.port));
    else if (dst.type === 'pod') {
      for (const cp of dst.pod.ports) if (cp.name === p.port && cp.protocol === p.protocol) out = out.union(ConnSet.port(cp.protocol, cp.port));
    }
  }
  return out;
}

export function selects(policy: NetPolicy, pod: NetPod): boolean {
  return policy.namespace === pod.namespace && policy.podSelector.matches(pod.labels);
}

export interface DirectionVerdict {
  isolated: boolean;
  /** Connections this direction admits. */
  conns: ConnSet;
  /** Policies (ns/name) with a rule admitting some of the connections, with what each admits. */
  contributions: { policy: string; conns: ConnSet }[];
  /** Policies selecting the pod for this direction. */
  selectedBy: string[];
}

/**
 * Evaluates one direction. `subject` is the pod whose policies apply (the destination for ingress, the source for
 * egress); `peer` is the other end; `dst` is the destination endpoint (for named ports).
 */
export function evaluateDirection(
  cluster: NetCluster,
  dir: 'ingress' | 'egress',
  subject: Endpoint,
  peer: Endpoint,
  dst: Endpoint,
  opts: EvalOptions = {},
  policies: readonly NetPolicy[] = cluster.policies,
): DirectionVerdict {
  if (subject.type !== 'pod') return { isolated: false, conns: ConnSet.ALL, contributions: [], selectedBy: [] };
  const pod = subject.pod;
  let isolated = false;
  let conns = ConnSet.NONE;
  const contributions: DirectionVerdict['contributions'] = [];
  const selectedBy: string[] = [];
  for (const pol of policies) {
    if (!(dir === 'ingress' ? pol.affectsIngress : pol.affectsEgress) || !selects(pol, pod)) continue;
    isolated = true;
    selectedBy.push(pol.key);
    let polConns = ConnSet.NONE;
    for (const rule of dir === 'ingress' ? pol.ingress : pol.egress) {
      if (rule.peers && !rule.peers.some((p) => peerMatches(cluster, p, pol.namespace, peer, opts))) continue;
      polConns = polConns.union(rulePorts(rule, dst));
    }
    if (!polConns.isEmpty()) contributions.push({ policy: pol.key, conns: polConns });
    conns = conns.union(polConns);
  }
  return { isolated, conns: isolated ? conns : ConnSet.ALL, contributions, selectedBy };
}

export interface PairVerdict {
  conns: ConnSet;
  ingress: DirectionVerdict;
  egress: DirectionVerdict;
}

/** Every connection allowed from `src` to `dst`. */
export function evaluatePair(cluster: NetCluster, src: Endpoint, dst: Endpoint, opts: EvalOptions = {}, policies?: readonly NetPolicy[]): PairVerdict {
  const egress = evaluateDirection(cluster, 'egress', src, dst, dst, opts, policies);
  const ingress = evaluateDirection(cluster, 'ingress', dst, src, dst, opts, policies);
  return { conns: egress.conns.intersect(ingress.conns), ingress, egress };
}

export interface ReachResult {
  from: string;
  to: string;
  port?: number;
  protocol?: Protocol;
  allowed: boolean;
  /** Every allowed connection between the two ends (np-guard style text). */
  connections: string;
  ingress: { isolated: boolean; allowedBy: string[] };
  egress: { isolated: boolean; allowedBy: string[] };
  notes: string[];
}

function allowedBy(d: DirectionVerdict, port: number | undefined, protocol: Protocol): string[] {
  return d.contributions.filter((c) => (port === undefined ? true : c.conns.has(protocol, port))).map((c) => c.policy);
}

/**
 * Can `from` reach `to` (on `port`/`protocol` when given; otherwise on any port)? Explains which policies allow it
 * on each side.
 */
export function reach(cluster: NetCluster, from: Endpoint, to: Endpoint, port?: number, protocol: Protocol = 'TCP', opts: EvalOptions = {}): ReachResult {
  const v = evaluatePair(cluster, from, to, opts);
  const allowed = port === undefined ? !v.conns.isEmpty() : v.conns.has(protocol, port);
  const notes: string[] = [];
  for (const e of [from, to]) {
    if (e.type === 'pod' && e.pod.hostNetwork) notes.push(`${e.pod.key} uses hostNetwork: outside NetworkPolicy control, the verdict may not hold`);
  }
  if (!v.egress.isolated && from.type === 'pod') notes.push(`${from.pod.key} is not egress-isolated (no policy selects it for Egress)`);
  if (!v.ingress.isolated && to.type === 'pod') notes.push(`${to.pod.key} is not ingress-isolated (no policy selects it for Ingress)`);
  if (port !== undefined && to.type === 'pod' && !to.pod.ports.some((p) => p.port === port && p.protocol === protocol) && to.pod.ports.length > 0) {
    notes.push(`${to.pod.key} declares no container port ${port}/${protocol}`);
  }
  return {
    from: endpointName(from),
    to: endpointName(to),
    ...(port !== undefined ? { port, protocol } : {}),
    allowed,
    connections: v.conns.toString(),
    ingress: { isolated: v.ingress.isolated, allowedBy: allowedBy(v.ingress, port, protocol) },
    egress: { isolated: v.egress.isolated, allowedBy: allowedBy(v.egress, port, protocol) },
    notes,
  };
}
