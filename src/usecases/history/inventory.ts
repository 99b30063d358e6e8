/**
 * The inventory a whole-cluster scan uploads beside its findings, for the dashboard's graphs: built on the scanning
 * side from the network and attack-path analyses, stored on the server side as tables (store/inventory.ts).
 *
 * NetworkPolicy reachability goes by equivalence class — workloads no policy tells apart share a class — so a
 * cluster without policies is one class and one edge, not n² pairs; the ways in from outside (exposure); and the
 * attack paths with their nodes, the cut, and which step of each path the cut removes.
 */
import type { KubeObject } from '../../core/model.js';
import { buildCluster, computeMatrix, exposure, type ReachabilityMatrix } from '../../analysis/network/index.js';
import { ConnTable } from '../../analysis/network/conns.js';
import type { ImageVulnerability } from '../../analysis/paths/index.js';
import { AttackGraph, findPaths } from '../../analysis/paths/index.js';
import type { InventoryToStore } from '../../sources/store/inventory.js';
import type { RbacAnalysis } from '../../analysis/rbac/analysis.js';
import { dangerousAbilities } from '../../analysis/rbac/ability-summary.js';
import { userInfoOf } from '../../analysis/rbac/identity.js';
import { CAPABILITY_IDS, type EscalationPath } from '../../analysis/rbac/escalation/model.js';
import type { InventoryRecord, NetClassMember } from '../../sources/upload/format.js';
import type { NetPod } from '../../analysis/network/cluster.js';
import { topologyOf, topologyPod, type NetTopology } from '../../analysis/network/topology.js';

/** Members per netClass record (a class of thousands of workloads is sent in parts; a line holds at most 1 MiB). */
const MEMBERS_PER_RECORD = 100;

/**
 * The matrix's classes grouped further for the upload: classes every class (themselves included) treats alike —
 * the same connections to and from each — are one uploaded class. The matrix keeps one class per namespace at
 * least (a policy may tell namespaces apart), so a cluster with thousands of namespaces and few policies would
 * otherwise send millions of identical edges; grouped, it sends as many edges as there are distinct behaviours.
 * Exact: two classes are grouped only when their rows and columns are equal entry by entry (connection ids are
 * interned, so equal sets have equal ids). `of`: upload id per matrix class; `reps`: a matrix class per upload id.
 */
function alikeClasses(m: ReachabilityMatrix): { of: number[]; reps: number[] } {
  const n = m.classes.length;
  const hash = (f: (x: number) => number) => {
    let h = 2166136261;
    for (let x = 0; x < n; x++) h = Math.imul(h ^ f(x), 16777619);
    return h >>> 0;
  };
  const alike = (a: number, b: number) => {
    for (let x = 0; x < n; x++) if (m.connId(a, x) !== m.connId(b, x) || m.connId(x, a) !== m.connId(x, b)) return false;
    return true;
  };
  const buckets = new Map<string, number[]>(); // hash of row and column → upload ids
  const of: number[] = new Array<number>(n);
  const reps: number[] = [];
  for (let c = 0; c < n; c++) {
    const key = `${hash((x) => m.connId(c, x))}/${hash((x) => m.connId(x, c))}`;
    const candidates = buckets.get(key) ?? buckets.set(key, []).get(key)!;
    const found = candidates.find((u) => alike(reps[u], c));
    if (found !== undefined) of[c] = found;
    else {
      of[c] = reps.length;
      candidates.push(reps.length);
      reps.push(c);
    }
  }
  return { of, reps };
}

/** A class member with what NetworkPolicy reads of it (the server rebuilds the network model from these). */
function member(p: NetPod): NetClassMember {
  const t = topologyPod(p);
  return { kind: p.kind, name: p.name, ...(p.hostNetwork && { hostNetwork: true }), labels: t.labels, ports: t.ports, ips: t.ips, pods: t.pods };
}
/** The attack paths uploaded, most likely first (the cut breaks all of them). */
export const MAX_UPLOADED_PATHS = 100;

const split = (key: string) => {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
};

export function* inventoryRecords(objects: readonly KubeObject[], vulnerabilities?: ReadonlyMap<string, readonly ImageVulnerability[]>): Generator<InventoryRecord> {
  const cluster = buildCluster([...objects]);
  const m = computeMatrix(cluster, { externals: false });
  const { of, reps } = alikeClasses(m);
  for (const c of m.classes) {
    for (let i = 0; i < c.members.length; i += MEMBERS_PER_RECORD) {
      yield { netClass: { id: of[c.id], namespace: c.namespace, members: c.members.slice(i, i + MEMBERS_PER_RECORD).map(member) } };
    }
  }
  const topology = topologyOf(cluster);
  for (const n of topology.namespaces) yield { netNamespace: n };
  for (const p of topology.policies) yield { netPolicy: p };
  for (let s = 0; s < reps.length; s++) {
    for (let d = 0; d < reps.length; d++) {
      const id = m.connId(reps[s], reps[d]);
      if (id !== ConnTable.NONE) yield { netEdge: { from: s, to: d, conn: m.table.get(id).toString() } };
    }
  }
  const x = exposure(cluster);
  for (const i of x.internet) yield { exposure: { ...split(i.pod), kind: i.kind, via: i.reason === 'not-isolated' ? 'no NetworkPolicy selects it' : `NetworkPolicy ${i.allowedBy.join(', ')}`, connections: i.connections, admitted: 'yes' } };
  for (const r of x.routes) yield { exposure: { ...split(r.pod), kind: '', via: r.via, connections: `${r.protocol} ${r.port}`, admitted: r.admitted } };

  const graph = new AttackGraph({ objects, vulnerabilities });
  yield* accessRecords(graph.rbac, objects);
  const answer = findPaths(graph, { top: MAX_UPLOADED_PATHS });
  const cutChanges = new Set(answer.cut.map((c) => c.change));
  const used = new Set<string>();
  for (const [i, p] of answer.paths.entries()) {
    // the steps of this path the cut removes, and by which change: what the page marks "cut here"
    const cuts = answer.edgePaths[i].flatMap((e, hop) => e.changes.filter((c) => cutChanges.has(c.change)).map((c) => ({ hop, change: c.change })));
    yield { attackPath: { ...p, cuts } };
    for (const h of p.hops) used.add(h.from).add(h.to);
  }
  for (const id of used) {
    const n = answer.nodes[id];
    if (n) yield { pathNode: { id, ...n } };
  }
  for (const c of answer.cut) yield { pathCut: c };
}

/** The bindings named per ability (an ability granted by hundreds of bindings is not a page of names). */
const MAX_VIA = 20;

const controlled = (o: KubeObject) => Array.isArray(o.metadata?.ownerReferences) && o.metadata.ownerReferences.some((r) => (r as { controller?: unknown }).controller === true);

/**
 * The service account of each workload (not of pods or ReplicaSets a controller owns: the workload page is the
 * controller's) and, for each account they use that holds a dangerous ability or reaches a capability, its power
 * as `kubeguard rbac blast-radius` reports it. Accounts without either are not sent: the page says so.
 */
function* accessRecords(rbac: RbacAnalysis, objects: readonly KubeObject[]): Generator<InventoryRecord> {
  const owned = new Set(objects.filter(controlled).map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
  const accounts = new Map<string, { namespace: string; name: string }>();
  for (const w of rbac.index.facts.workloads) {
    if (owned.has(`${w.ref.kind}/${w.namespace}/${w.ref.name}`)) continue;
    const declared = rbac.index.facts.serviceAccounts.get(`${w.namespace}/${w.serviceAccount}`)?.declared ?? false;
    yield { workloadAccount: { namespace: w.namespace, kind: w.ref.kind, name: w.ref.name, serviceAccount: w.serviceAccount, serviceAccountDeclared: declared, tokenMounted: w.tokenMounted, tokenReason: w.tokenReason } };
    accounts.set(`${w.namespace}/${w.serviceAccount}`, { namespace: w.namespace, name: w.serviceAccount });
  }
  for (const [key, a] of accounts) {
    const abilities = dangerousAbilities(rbac.index, userInfoOf({ kind: 'ServiceAccount', namespace: a.namespace, name: a.name })).map((l) => ({ ...l, via: l.via.slice(0, MAX_VIA) }));
    const escalation = CAPABILITY_IDS.map((c) => rbac.pathTo(`sa:${key}`, c)).filter((p): p is EscalationPath => p !== undefined);
    if (!abilities.length && !escalation.length) continue;
    yield { accountPower: { ...a, abilities, escalation } };
  }
}

/** The records of an upload as the store keeps them. */
export function inventoryToStore(records: readonly InventoryRecord[], scannedAt: number): InventoryToStore {
  const out: InventoryToStore = { scannedAt, members: [], edges: [], exposures: [], paths: '', topology: null, accounts: [], power: [] };
  const topology: NetTopology = { namespaces: [], pods: [], policies: [] };
  // an upload from a kubeguard before the proposed-policy view has members without labels: no topology then
  let complete = true;
  const paths: { paths: unknown[]; nodes: Record<string, { type: string; label: string }>; cut: unknown[] } = { paths: [], nodes: {}, cut: [] };
  const seen = new Set<string>();
  for (const r of records) {
    if ('netClass' in r) {
      for (const m of r.netClass.members) {
        const key = `${r.netClass.namespace}/${m.kind}/${m.name}`;
        if (seen.has(key)) continue; // one class per workload: the first word stands
        seen.add(key);
        out.members.push({ classId: r.netClass.id, namespace: r.netClass.namespace, kind: m.kind, name: m.name, hostNetwork: m.hostNetwork === true });
        if (m.labels && m.ports && m.ips) topology.pods.push({ namespace: r.netClass.namespace, name: m.name, kind: m.kind, labels: m.labels, ports: m.ports, ips: m.ips, hostNetwork: m.hostNetwork === true, pods: m.pods ?? 0 });
        else complete = false;
      }
    } else if ('netEdge' in r) out.edges.push({ src: r.netEdge.from, dst: r.netEdge.to, conn: r.netEdge.conn });
    else if ('exposure' in r) out.exposures.push(r.exposure);
    else if ('attackPath' in r) paths.paths.push(r.attackPath);
    else if ('pathNode' in r) paths.nodes[r.pathNode.id] = { type: r.pathNode.type, label: r.pathNode.label };
    else if ('netNamespace' in r) topology.namespaces.push(r.netNamespace);
    else if ('netPolicy' in r) topology.policies.push(r.netPolicy);
    else if ('workloadAccount' in r) out.accounts.push(r.workloadAccount);
    else if ('accountPower' in r) out.power.push(r.accountPower);
    else if ('complianceScore' in r) continue; // kept per scan by ingest, not with the latest inventory
    else paths.cut.push(r.pathCut);
  }
  // one edge per pair of classes: the last word stands
  out.edges = [...new Map(out.edges.map((e) => [`${e.src}>${e.dst}`, e])).values()];
  out.paths = JSON.stringify(paths);
  if (complete && topology.pods.length) out.topology = JSON.stringify(topology);
  return out;
}
