/**
 * The dashboard's graphs from the latest inventory of a cluster: a namespace's network (its workloads, the other
 * namespaces as one node each, the internet) and the attack paths.
 */
import type { Store } from '../../sources/store/open.js';
import { classNamespaces, edgesTouching, exposuresIn, inventoryClusters, inventoryScan, memberNamespaces, membersIn } from '../../sources/store/inventory.js';
import { NotFoundError } from '../errors.js';
import { parsePeerEntry } from '../../analysis/runtime/baseline.js';
import type { ContainerBaseline } from '../../analysis/runtime/baseline.js';
import { baselineWorkloadsIn } from '../../sources/store/baselines.js';
import { baselineSummary, type BaselineSummary } from './workload-context.js';

export interface NetworkNode {
  id: string;
  label: string;
  /** peer: an address or DNS name a runtime baseline saw (observed edges only). */
  type: 'workload' | 'namespace' | 'internet' | 'peer';
  kind?: string;
  hostNetwork?: boolean;
}

export interface NetworkView {
  cluster: string;
  /** The clusters with a network and attack paths (a whole-cluster scan uploaded them). */
  clusters: string[];
  scannedAt: string;
  namespaces: { namespace: string; workloads: number }[];
  namespace: string;
  nodes: NetworkNode[];
  edges: { from: string; to: string; conn: string }[];
  exposures: { workload: string; via: string; connections: string; admitted: string }[];
  /** More edges than MAX_EDGES: the first ones only. */
  truncated: boolean;
  /** Connections the cluster's runtime baseline saw (learnt from sensor/Hubble/Falco events), at most MAX_EDGES. */
  observed: { from: string; to: string; conn: string }[];
  /** The runtime baseline they come from (null: none uploaded for the cluster). */
  baseline: BaselineSummary | null;
}

/** Edges a namespace's graph shows at most (a namespace without policies allows every pair). */
export const MAX_EDGES = 2000;

/** The clusters with an inventory and when it was scanned. */
export async function graphClusters(store: Store): Promise<{ cluster: string; scannedAt: string }[]> {
  return (await inventoryClusters(store)).map((c) => ({ cluster: c.cluster, scannedAt: new Date(Number(c.scanned_at)).toISOString() }));
}

/** The cluster asked for, or the first with an inventory; its latest inventory scan; every cluster with one. */
async function latest(store: Store, asked?: string) {
  const clusters = (await inventoryClusters(store)).map((c) => c.cluster);
  const cluster = asked ?? clusters[0];
  const scan = cluster === undefined ? undefined : await inventoryScan(store, cluster);
  if (!scan) throw new NotFoundError(`no network or attack-path data${asked ? ` for cluster ${asked}` : ''}: upload a whole-cluster scan (kubeguard scan --cluster --upload)`);
  return { cluster: scan.cluster, scan, clusters };
}

export async function networkView(store: Store, asked: string | undefined, namespace?: string): Promise<NetworkView> {
  const { cluster, scan, clusters } = await latest(store, asked);
  const namespaces = await memberNamespaces(store, cluster);
  const ns = namespace ?? namespaces[0]?.namespace ?? '';
  if (namespace !== undefined && !namespaces.some((n) => n.namespace === namespace)) throw new NotFoundError(`cluster ${cluster} has no workload in namespace ${namespace}`);
  const members = await membersIn(store, cluster, ns);
  const id = (m: { kind: string; namespace: string; name: string }) => `${m.kind}/${m.namespace}/${m.name}`;
  const local = new Map<number, typeof members>();
  for (const m of members) local.set(Number(m.class_id), [...(local.get(Number(m.class_id)) ?? []), m]);
  const edges = await edgesTouching(store, cluster, [...local.keys()]);
  const spread = new Map<number, string[]>();
  for (const c of await classNamespaces(store, cluster, [...new Set(edges.flatMap((e) => [Number(e.src), Number(e.dst)]))])) if (c.namespace !== ns) spread.set(c.class_id, [...(spread.get(c.class_id) ?? []), c.namespace]);

  const out = new Map<string, { from: string; to: string; conns: Set<string> }>();
  let truncated = false;
  const add = (from: string, to: string, conn: string) => {
    const key = `${from}\u0000${to}`;
    const e = out.get(key);
    if (e) e.conns.add(conn);
    else if (out.size >= MAX_EDGES) truncated = true;
    else out.set(key, { from, to, conns: new Set([conn]) });
  };
  for (const e of edges) {
    const src = local.get(Number(e.src)) ?? [];
    const dst = local.get(Number(e.dst)) ?? [];
    for (const a of src) for (const b of dst) if (a !== b) add(id(a), id(b), e.conn);
    for (const a of src) for (const other of spread.get(Number(e.dst)) ?? []) add(id(a), `namespace:${other}`, e.conn);
    for (const b of dst) for (const other of spread.get(Number(e.src)) ?? []) add(`namespace:${other}`, id(b), e.conn);
  }
  const exposures = (await exposuresIn(store, cluster, ns)).flatMap((x) =>
    members.filter((m) => m.name === x.name && (x.kind === '' || x.kind === m.kind)).map((m) => ({ workload: id(m), via: x.via, connections: x.connections, admitted: x.admitted })),
  );
  for (const x of exposures) if (x.admitted !== 'no') add('internet', x.workload, `${x.via}: ${x.connections}`);

  const nodes: NetworkNode[] = members.map((m) => ({ id: id(m), label: `${m.kind} ${m.name}`, type: 'workload', kind: m.kind, ...(m.host_network && { hostNetwork: true }) }));
  const others = new Set([...out.values()].flatMap((e) => [e.from, e.to]).filter((n) => n.startsWith('namespace:')));
  for (const n of [...others].sort()) nodes.push({ id: n, label: `namespace ${n.slice('namespace:'.length)}`, type: 'namespace' });
  if ([...out.values()].some((e) => e.from === 'internet')) nodes.push({ id: 'internet', label: 'the internet', type: 'internet' });
  const baseline = (await baselineSummary(store, cluster)) ?? null;
  const observed = baseline ? await observedEdges(store, cluster, ns, members, nodes) : [];
  return {
    cluster,
    clusters,
    scannedAt: new Date(Number(scan.scanned_at)).toISOString(),
    namespaces,
    namespace: ns,
    nodes,
    edges: [...out.values()].map((e) => ({ from: e.from, to: e.to, conn: [...e.conns].join('; ') })),
    exposures,
    truncated,
    observed,
    baseline,
  };
}

/**
 * The connections the runtime baseline of the namespace's workloads saw: each egress entry an edge from the
 * workload, each ingress entry an edge to it. A peer workload of this namespace is its node, one of another
 * namespace that namespace's node, any other peer (an address, a DNS name, `*`) a node of its own. Workloads of the
 * baseline the scan did not find are left out. Adds the nodes it needs.
 */
async function observedEdges(store: Store, cluster: string, ns: string, members: { kind: string; name: string; namespace: string }[], nodes: NetworkNode[]) {
  // the namespace's workloads by name (a baseline names a workload, its kind only sometimes)
  const byName = new Map<string, { kind: string; namespace: string; name: string }[]>();
  for (const m of members) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  const idOf = (name: string, kind?: string | null) => {
    const m = byName.get(name)?.find((x) => !kind || x.kind === kind);
    return m && `${m.kind}/${m.namespace}/${m.name}`;
  };
  const out = new Map<string, { from: string; to: string; conns: Set<string> }>();
  const have = new Set(nodes.map((n) => n.id));
  const node = (id: string, label: string, type: NetworkNode['type']) => {
    if (!have.has(id)) nodes.push({ id, label, type });
    have.add(id);
    return id;
  };
  for (const row of await baselineWorkloadsIn(store, cluster, ns)) {
    const self = idOf(row.workload, row.kind);
    if (!self) continue;
    for (const c of Object.values(JSON.parse(row.containers) as Record<string, ContainerBaseline>)) {
      for (const [list, outgoing] of [[c.egress, true], [c.ingress, false]] as const) {
        for (const entry of list) {
          const p = parsePeerEntry(entry);
          if (!p) continue;
          const peer =
            'workload' in p
              ? p.workload.namespace === ns
                ? idOf(p.workload.name)
                : node(`namespace:${p.workload.namespace}`, `namespace ${p.workload.namespace}`, 'namespace')
              : node(`peer:${p.other}`, p.other === '*' ? 'any peer' : p.other, 'peer');
          if (!peer || peer === self) continue;
          const [from, to] = outgoing ? [self, peer] : [peer, self];
          const key = `${from}\u0000${to}`;
          const conn = `${p.protocol} ${p.port === '*' ? 'any port' : p.port}`;
          const e = out.get(key);
          if (e) e.conns.add(conn);
          else if (out.size < MAX_EDGES) out.set(key, { from, to, conns: new Set([conn]) });
        }
      }
    }
  }
  return [...out.values()].map((e) => ({ from: e.from, to: e.to, conn: [...e.conns].sort().join(', ') }));
}

export interface AttackPathsView {
  cluster: string;
  clusters: string[];
  scannedAt: string;
  paths: unknown[];
  nodes: Record<string, unknown>;
  cut: unknown[];
}

export async function attackPathsView(store: Store, asked?: string): Promise<AttackPathsView> {
  const { cluster, scan, clusters } = await latest(store, asked);
  const body = JSON.parse(scan.paths) as Omit<AttackPathsView, 'cluster' | 'clusters' | 'scannedAt'>;
  return { cluster, clusters, scannedAt: new Date(Number(scan.scanned_at)).toISOString(), ...body };
}
