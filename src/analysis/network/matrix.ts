/**
 * The full reachability matrix, computed on equivalence classes: pods (or workload representatives) with the same
 * namespace, labels, container ports and (when ipBlocks may match pods) IPs are indistinguishable to every
 * NetworkPolicy, so the matrix is computed once per class pair. External addresses are cut into elementary
 * intervals at every ipBlock boundary (inside one interval every ipBlock matches all addresses or none).
 *
 * Policies are indexed by namespace and each rule's peer set is computed once (cached by selector), so the cost
 * is about (classes × rules touching them × peer-set size) instead of (pods² × policies).
 * Semantics are those of evaluate.ts (which the tests cross-check on the upstream cases).
 */
import { ConnSet, ConnTable } from './conns.js';
import { elementaryIntervals, formatInterval, blockCoversInterval, blockContains, type IpBlockSet, type IpInterval } from './ip.js';
import type { NetCluster, NetPod } from './cluster.js';
import { nsLabels, rulePorts, type EvalOptions } from './evaluate.js';
import type { NetPolicy, Peer, PolicyRule } from './policy.js';

export interface PodClass {
  id: number;
  namespace: string;
  members: NetPod[];
}

export interface ExternalNode {
  id: number;
  interval: IpInterval;
  /** e.g. 0.0.0.0-9.255.255.255 */
  name: string;
}

export interface MatrixPair {
  src: NetPod | ExternalNode;
  dst: NetPod | ExternalNode;
  conns: ConnSet;
}

export function isExternal(n: NetPod | ExternalNode): n is ExternalNode {
  return 'interval' in n;
}

export function nodeName(n: NetPod | ExternalNode): string {
  return isExternal(n) ? n.name : n.key;
}

export interface MatrixOptions extends EvalOptions {
  /** Include external address intervals as nodes (default true). */
  externals?: boolean;
  /** Extra blocks to cut the external address space at (to align two matrices' externals, e.g. for a diff). */
  extraBlocks?: IpBlockSet[];
}

export class ReachabilityMatrix {
  constructor(
    readonly classes: readonly PodClass[],
    readonly externals: readonly ExternalNode[],
    readonly table: ConnTable,
    /** cells[src * size + dst] = ConnTable id */
    private readonly cells: Uint32Array,
    private readonly classOf: ReadonlyMap<string, number>,
  ) {}

  get size(): number {
    return this.classes.length + this.externals.length;
  }

  /** Connection-set id between two node ids (class ids first, then externals). */
  connId(src: number, dst: number): number {
    return this.cells[src * this.size + dst];
  }

  nodeIdOf(podKey: string): number | undefined {
    return this.classOf.get(podKey);
  }

  /** Allowed connections between two pods/workloads given as "ns/name". */
  connsBetween(fromKey: string, toKey: string): ConnSet {
    const s = this.classOf.get(fromKey);
    const d = this.classOf.get(toKey);
    if (s === undefined || d === undefined) throw new Error(`unknown pod ${s === undefined ? fromKey : toKey}`);
    return this.table.get(this.connId(s, d));
  }

  /** Every allowed pair at pod/workload level (a pod to itself and external to external are left out). */
  *pairs(): Generator<MatrixPair> {
    const n = this.size;
    const members = (id: number): (NetPod | ExternalNode)[] => (id < this.classes.length ? this.classes[id].members : [this.externals[id - this.classes.length]]);
    for (let s = 0; s < n; s++) {
      for (let d = 0; d < n; d++) {
        if (s >= this.classes.length && d >= this.classes.length) continue;
        const id = this.cells[s * n + d];
        if (id === ConnTable.NONE) continue;
        const conns = this.table.get(id);
        for (const a of members(s)) for (const b of members(d)) if (a !== b) yield { src: a, dst: b, conns };
      }
    }
  }

  /** Number of ordered pod pairs (pod ≠ pod) with at least one allowed connection. */
  countAllowedPodPairs(): number {
    const n = this.size;
    const c = this.classes.length;
    let total = 0;
    for (let s = 0; s < c; s++) {
      const ms = this.classes[s].members.length;
      for (let d = 0; d < c; d++) {
        if (this.cells[s * n + d] === ConnTable.NONE) continue;
        const md = this.classes[d].members.length;
        total += s === d ? ms * (ms - 1) : ms * md;
      }
    }
    return total;
  }
}

function classKey(p: NetPod, withIps: boolean): string {
  const labels = Object.keys(p.labels)
    .sort()
    .map((k) => `${k}=${p.labels[k]}`)
    .join(',');
  const ports = p.ports.map((x) => `${x.name ?? ''}:${x.port}/${x.protocol}`).sort().join(',');
  const ips = withIps ? p.ips.map((i) => i.text).sort().join(',') : '';
  return `${p.namespace}\u0000${labels}\u0000${ports}\u0000${ips}\u0000${p.hostNetwork ? 1 : 0}`;
}

/** Computes the reachability matrix of a cluster. */
/** Every ipBlock of every policy rule. */
export function policyBlocks(cluster: NetCluster): IpBlockSet[] {
  return cluster.policies.flatMap((p) => [...p.ingress, ...p.egress]).flatMap((r) => r.peers ?? []).flatMap((p) => (p.type === 'ipBlock' ? [p.block] : []));
}

export function computeMatrix(cluster: NetCluster, opts: MatrixOptions = {}): ReachabilityMatrix {
  const matchPods = opts.ipBlockMatchesPods !== false;
  const blocks = policyBlocks(cluster);
  const withIps = matchPods && blocks.length > 0;

  // 1. Equivalence classes.
  const classes: PodClass[] = [];
  const byKey = new Map<string, PodClass>();
  const classOf = new Map<string, number>();
  for (const p of cluster.pods) {
    const k = classKey(p, withIps);
    let c = byKey.get(k);
    if (!c) {
      c = { id: classes.length, namespace: p.namespace, members: [] };
      classes.push(c);
      byKey.set(k, c);
    }
    c.members.push(p);
    classOf.set(p.key, c.id);
  }
  const C = classes.length;
  const cutAt = [...blocks, ...(opts.extraBlocks ?? [])];
  const hasV6 = cutAt.some((b) => b.cidr.family === 6);
  const externals: ExternalNode[] =
    opts.externals === false
      ? []
      : elementaryIntervals(cutAt)
          .filter((r) => r.family === 4 || hasV6)
          .map((interval, i) => ({ id: C + i, interval, name: formatInterval(interval) }));
  const N = C + externals.length;
  const rep = (id: number): NetPod => classes[id].members[0];

  const classesByNs = new Map<string, number[]>();
  for (const c of classes) {
    const list = classesByNs.get(c.namespace);
    if (list) list.push(c.id);
    else classesByNs.set(c.namespace, [c.id]);
  }
  const policiesByNs = new Map<string, NetPolicy[]>();
  for (const p of cluster.policies) {
    const list = policiesByNs.get(p.namespace);
    if (list) list.push(p);
    else policiesByNs.set(p.namespace, [p]);
  }

  // 2. Peer sets, cached by what they select.
  const allNodes = Int32Array.from({ length: N }, (_, i) => i);
  const peerCache = new Map<string, Int32Array>();
  const nsSelCache = new Map<string, string[]>();
  const peerNodes = (peer: Peer, policyNs: string): Int32Array => {
    if (peer.type === 'ipBlock') {
      const out: number[] = [];
      if (withIps) for (const c of classes) if (rep(c.id).ips.some((ip) => blockContains(peer.block, ip.family, ip.value))) out.push(c.id);
      for (const e of externals) if (blockCoversInterval(peer.block, e.interval)) out.push(e.id);
      return Int32Array.from(out);
    }
    const key = `${peer.namespaceSelector ? 'sel:' + peer.namespaceSelector.key : 'ns:' + policyNs}|${peer.podSelector?.key ?? '*'}`;
    let cached = peerCache.get(key);
    if (cached) return cached;
    let namespaces: string[];
    if (peer.namespaceSelector) {
      const nk = peer.namespaceSelector.key;
      let list = nsSelCache.get(nk);
      if (!list) {
        const sel = peer.namespaceSelector;
        list = [...classesByNs.keys()].filter((ns) => sel.matches(nsLabels(cluster, ns)));
        nsSelCache.set(nk, list);
      }
      namespaces = list;
    } else namespaces = [policyNs];
    const out: number[] = [];
    for (const ns of namespaces) for (const id of classesByNs.get(ns) ?? []) if (!peer.podSelector || peer.podSelector.matches(rep(id).labels)) out.push(id);
    cached = Int32Array.from(out);
    peerCache.set(key, cached);
    return cached;
  };
  const ruleTargets = (rule: PolicyRule, policyNs: string): Int32Array => {
    if (!rule.peers) return allNodes;
    if (rule.peers.length === 1) return peerNodes(rule.peers[0], policyNs);
    const set = new Set<number>();
    for (const p of rule.peers) for (const id of peerNodes(p, policyNs)) set.add(id);
    return Int32Array.from(set);
  };

  // 3. Rule ports as connection ids (named ports resolve per destination class).
  const table = new ConnTable();
  const constPorts = new Map<PolicyRule, number>();
  const namedPorts = new Map<PolicyRule, Map<number, number>>();
  const portsId = (rule: PolicyRule, dst: number): number => {
    if (!rule.hasNamedPorts) {
      let id = constPorts.get(rule);
      if (id === undefined) {
        id = table.id(rulePorts(rule, { type: 'ip', family: 4, value: 0n, text: '' }));
        constPorts.set(rule, id);
      }
      return id;
    }
    let m = namedPorts.get(rule);
    if (!m) namedPorts.set(rule, (m = new Map()));
    let id = m.get(dst);
    if (id === undefined) {
      const ep = dst < C ? { type: 'pod' as const, pod: rep(dst) } : { type: 'ip' as const, family: externals[dst - C].interval.family, value: 0n, text: '' };
      id = table.id(rulePorts(rule, ep));
      m.set(dst, id);
    }
    return id;
  };

  // 4. Egress rows, then ingress columns intersected in place.
  const cells = new Uint32Array(N * N).fill(ConnTable.ALL);
  const acc = new Uint32Array(N);
  for (let s = 0; s < C; s++) {
    const pod = rep(s);
    const selecting = (policiesByNs.get(pod.namespace) ?? []).filter((p) => p.affectsEgress && p.podSelector.matches(pod.labels));
    if (selecting.length === 0) continue;
    acc.fill(ConnTable.NONE);
    for (const pol of selecting) {
      for (const rule of pol.egress) {
        const targets = ruleTargets(rule, pol.namespace);
        for (let i = 0; i < targets.length; i++) {
          const d = targets[i];
          acc[d] = table.union(acc[d], portsId(rule, d));
        }
      }
    }
    cells.set(acc, s * N);
  }
  for (let d = 0; d < C; d++) {
    const pod = rep(d);
    const selecting = (policiesByNs.get(pod.namespace) ?? []).filter((p) => p.affectsIngress && p.podSelector.matches(pod.labels));
    if (selecting.length === 0) continue;
    acc.fill(ConnTable.NONE);
    for (const pol of selecting) {
      for (const rule of pol.ingress) {
        const p = portsId(rule, d);
        if (p === ConnTable.NONE) continue;
        const sources = ruleTargets(rule, pol.namespace);
        for (let i = 0; i < sources.length; i++) {
          const s = sources[i];
          acc[s] = table.union(acc[s], p);
        }
      }
    }
    for (let s = 0; s < N; s++) {
      const k = s * N + d;
      cells[k] = table.intersect(cells[k], acc[s]);
    }
  }
  // External to external is not a cluster connection.
  for (let s = C; s < N; s++) cells.fill(ConnTable.NONE, s * N + C, s * N + N);
  return new ReachabilityMatrix(classes, externals, table, cells, classOf);
}

export { ConnSet };
