/**
 * The attack-path graph, built on the analyses kubeguard already has: the NetworkPolicy engine (exposure and
 * pod-to-pod reachability, so a policy that blocks a hop removes it), image vulnerabilities per container, the
 * RBAC escalation graph (reused as is: its edges become `rbac`, `token-theft`, `exec` and `pod-create` hops), the
 * pod-spec facts (mounted tokens, ways out to the node) and runtime incidents.
 *
 * Most edges are built up front; two families are built when a search first leaves a node, because their number
 * grows with the product of the cluster's sizes: network hops from a workload (per NetworkPolicy equivalence class
 * of its pods, cached) and RBAC hops (the escalation graph builds an identity's edges on first use).
 */
import type { KubeObject, Severity } from '../../core/model.js';
import { isJsonMap } from '../../core/json.js';
import { RbacAnalysis } from '../rbac/analysis.js';
import { EscalationGraph } from '../rbac/escalation/graph.js';
import type { GraphEdge, GrantRef } from '../rbac/escalation/model.js';
import { subjectKey } from '../rbac/identity.js';
import type { IndexedBinding } from '../rbac/rbac-index.js';
import { buildCluster, flattenLists, type NetCluster, type NetPod } from '../network/cluster.js';
import { evaluateDirection, selects, type Endpoint } from '../network/evaluate.js';
import type { NetPolicy } from '../network/policy.js';
import { exposure } from '../network/exposure.js';
import { isProtocol } from '../network/conns.js';
import { parseSubjects } from '../rbac/parse.js';
import type { AttackEdge, AttackNode, Change, NodeType } from './model.js';
import { ENTRY_INCIDENTS, ENTRY_INTERNET, TARGETS, TECHNIQUES } from './model.js';
import { workloadsOf, type ContainerFacts, type WorkloadInfo } from './workloads.js';
import { join } from '../../core/pointer.js';

/** A vulnerability of an image, as recorded by `scan --images` or given in a file. */
export interface ImageVulnerability {
  id: string;
  severity: Severity | 'unknown';
  package?: string;
  version?: string;
  fixedVersion?: string;
  /** Listed in CISA's Known Exploited Vulnerabilities catalogue (or otherwise known to be exploited). */
  knownExploited?: boolean;
}

/** A runtime incident's workload (the `runtime analyze --format json` incidents carry these fields). */
export interface IncidentMark {
  ruleId: string;
  severity: Severity;
  count?: number;
  workload: { namespace?: string; kind?: string; name?: string };
}

export interface PathsInput {
  objects: readonly KubeObject[];
  /** Image reference → its vulnerabilities. Images missing from the map are unknown (no exploit edge). */
  vulnerabilities?: ReadonlyMap<string, readonly ImageVulnerability[]>;
  incidents?: readonly IncidentMark[];
  /** Include Kubernetes' bootstrap RBAC policy (default true). */
  bootstrap?: boolean;
}

const CAP_TO_NODE: Record<string, string> = { 'cap:cluster-admin': 'cluster-admin', 'cap:secrets': 'secrets', 'cap:node': 'nodes' };

/** Whether a vulnerability makes a network-reachable container exploitable, and how likely that is. */
export function exploitLikelihood(v: ImageVulnerability): number | undefined {
  if (v.knownExploited) return 0.9;
  if (!v.fixedVersion) return undefined;
  return v.severity === 'critical' ? 0.6 : v.severity === 'high' ? 0.4 : undefined;
}

function groupPolicies(list: readonly NetPolicy[]): Map<string, NetPolicy[]> {
  const out = new Map<string, NetPolicy[]>();
  for (const p of list) {
    const l = out.get(p.namespace);
    if (l) l.push(p);
    else out.set(p.namespace, [p]);
  }
  return out;
}

export class AttackGraph {
  readonly nodes = new Map<string, AttackNode>();
  readonly workloads = new Map<string, WorkloadInfo>();
  readonly rbac: RbacAnalysis;
  /** The RBAC escalation graph with the steps stronger grants dominate kept (the cut needs them). */
  readonly escalation: EscalationGraph;
  readonly net: NetCluster;
  /** Notes on what the graph could not judge (unknown images, unparseable policies). */
  readonly notes: string[] = [];
  private readonly eager = new Map<string, AttackEdge[]>();
  private readonly lazyDone = new Set<string>();
  private readonly netPodOf = new Map<string, NetPod>();
  /** Exploitable containers: node id → its workload and container. */
  private readonly exploitable = new Map<string, { w: WorkloadInfo; c: ContainerFacts }>();
  private readonly selectingCache = new Map<string, NetPolicy[]>();
  /** The network hop into an exploitable container from any source when neither end is isolated. */
  private readonly openHops = new Map<string, { evidence: string; changes: Change[] }>();
  private policiesByNs?: Map<string, NetPolicy[]>;
  private readonly bindings = new Map<string, IndexedBinding>();
  private readonly rawBindings = new Map<string, KubeObject>();
  private readonly isolateChanges = new Map<string, Change | null>();
  /** Edges built so far (eager plus the lazily built ones). */
  edgeCount = 0;

  constructor(input: PathsInput) {
    const objects = flattenLists(input.objects);
    this.rbac = new RbacAnalysis(objects, { bootstrap: input.bootstrap !== false });
    this.escalation = new EscalationGraph(this.rbac.index, { keepDominated: true });
    for (const b of this.rbac.index.bindings) this.bindings.set(b.key, b);
    for (const o of objects) {
      if (o.kind === 'ClusterRoleBinding' && o.metadata?.name) this.rawBindings.set(`ClusterRoleBinding/${o.metadata.name}`, o);
      if (o.kind === 'RoleBinding' && o.metadata?.name) this.rawBindings.set(`RoleBinding/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o);
    }
    this.net = buildCluster(objects);
    this.notes.push(...this.net.warnings);
    for (const p of this.net.pods) this.netPodOf.set(`${p.kind}/${p.namespace}/${p.name}`, p);
    this.addNode(ENTRY_INTERNET, 'entry', 'the internet');
    for (const t of TARGETS) this.addNode(t, t === 'nodes' ? 'node' : 'target', t === 'nodes' ? 'root on a node' : t === 'secrets' ? 'read every Secret' : 'cluster-admin');
    const facts = this.rbac.index.facts;
    for (const w of workloadsOf(objects, (o) => facts.workloadFactOf(o))) {
      this.workloads.set(w.id, w);
      this.addNode(w.id, 'workload', `code execution in ${w.id}`);
    }
    for (const w of this.workloads.values()) this.addWorkloadEdges(w, input.vulnerabilities);
    this.addExposure();
    if (input.incidents?.length) this.addIncidents(input.incidents);
  }

  /** Out-edges of a node (building the lazy families on first use). */
  out(id: string): readonly AttackEdge[] {
    if (!this.lazyDone.has(id)) {
      this.lazyDone.add(id);
      if (!this.nodes.has(id) && this.escalation.nodes.get(id)?.type === 'identity') this.ensureIdentity(id);
      const node = this.nodes.get(id);
      if (node?.type === 'workload') this.addNetworkEdges(id);
      else if (node && ['serviceaccount', 'identity', 'role'].includes(node.type)) {
        for (const e of this.escalation.edgesFrom(id)) this.addRbacEdge(e);
        if (id.startsWith('exec:')) this.addExecEdges(id);
      }
    }
    return this.eager.get(id) ?? [];
  }

  /** Adds an identity node (a --from SUBJECT no binding names). */
  ensureIdentity(id: string): void {
    this.escalation.ensureIdentity(id);
    this.addNode(id, id.startsWith('sa:') ? 'serviceaccount' : 'identity', id);
  }

  private addNode(id: string, type: NodeType, label: string): void {
    if (!this.nodes.has(id)) this.nodes.set(id, { id, type, label });
  }

  private addEdge(e: AttackEdge): void {
    const list = this.eager.get(e.from);
    if (list) list.push(e);
    else this.eager.set(e.from, [e]);
    this.edgeCount++;
  }

  private addWorkloadEdges(w: WorkloadInfo, vulns: PathsInput['vulnerabilities']): void {
    const sa = `sa:${w.namespace}/${w.serviceAccount}`;
    if (w.tokenMounted) {
      this.addNode(sa, 'serviceaccount', sa);
      this.addEdge({
        from: w.id, to: sa, edge: 'token-theft', technique: TECHNIQUES.stealToken, likelihood: 0.95,
        evidence: `read the service-account token mounted at /var/run/secrets/kubernetes.io/serviceaccount (${w.tokenReason})`,
        changes: w.tokenChange ? [w.tokenChange] : [],
      });
      // From the node every mounted token of the pods on it can be read (the kubelet's pod volumes).
      this.addEdge({
        from: 'nodes', to: sa, edge: 'node-credentials', technique: TECHNIQUES.unsecuredCredentials, likelihood: w.daemonSet ? 0.9 : 0.3,
        evidence: `read the token of ${w.id} from the kubelet's pod volumes (/var/lib/kubelet/pods) ${w.daemonSet ? '(a DaemonSet: on every node)' : '(on the nodes it is scheduled to)'}`,
        changes: w.tokenChange ? [w.tokenChange] : [],
      });
    }
    for (const e of w.escapes) {
      this.addEdge({ from: w.id, to: 'nodes', edge: 'escape', technique: TECHNIQUES.escapeToHost, likelihood: e.likelihood, evidence: e.evidence, changes: e.change ? [e.change] : [] });
    }
    if (!vulns) return;
    for (const c of w.containers) {
      if (!c.image) continue;
      const list = vulns.get(c.image);
      if (!list) continue;
      const usable = list.map((v) => ({ v, l: exploitLikelihood(v) })).filter((x): x is { v: ImageVulnerability; l: number } => x.l !== undefined).sort((a, b) => b.l - a.l || a.v.id.localeCompare(b.v.id));
      if (usable.length === 0) continue;
      const cid = `${w.id}#${c.name}`;
      this.addNode(cid, 'container', `container ${c.name} of ${w.id}, listening${c.ports.length ? ` on ${c.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')}` : ''}`);
      this.exploitable.set(cid, { w, c });
      const shown = usable.slice(0, 3).map(({ v }) => `${v.id} (${v.severity}${v.knownExploited ? ', known exploited' : ''}${v.package ? `, ${v.package}${v.version ? ' ' + v.version : ''}` : ''}${v.fixedVersion ? `, fixed in ${v.fixedVersion}` : ''})`);
      const fixes = usable.filter((x) => x.v.fixedVersion).map((x) => `${x.v.package ?? x.v.id} ≥ ${x.v.fixedVersion}`);
      const patchImage: Change = {
        key: `image:${w.id}#${c.name}`,
        change: `rebuild image ${c.image} of container ${c.name} in ${w.id} with ${[...new Set(fixes)].slice(0, 5).join(', ') || 'the fixes'} and deploy it`,
        patch: [{ object: w.id, operations: [{ op: 'replace', path: join(c.path, 'image'), value: `${c.image.replace(/@.*$/, '')}-patched` }] }],
      };
      this.addEdge({
        from: cid, to: w.id, edge: 'exploit', technique: TECHNIQUES.exploitPublic, likelihood: usable[0].l,
        evidence: `image ${c.image} has ${usable.length} exploitable vulnerabilit${usable.length === 1 ? 'y' : 'ies'}: ${shown.join('; ')}${usable.length > 3 ? '; …' : ''}`,
        changes: usable.every((x) => x.v.fixedVersion) ? [patchImage] : [],
      });
    }
  }

  /** NetworkPolicy that isolates a workload's pods for ingress: the change for exposure and network hops into it. */
  private isolateChange(w: WorkloadInfo): Change | undefined {
    let c = this.isolateChanges.get(w.id);
    if (c !== undefined) return c ?? undefined;
    const pod = this.netPodOf.get(w.id);
    c = null;
    // Policies add up: a pod some policy already isolates is opened by that policy, and another one closes nothing.
    if (pod && !pod.hostNetwork && Object.keys(w.labels).length > 0 && this.selecting(pod, 'ingress').length === 0) {
      const name = `kubeguard-isolate-${w.name}`.slice(0, 63).replace(/-+$/, '');
      c = {
        key: `netpol:${w.id}`,
        change: `add NetworkPolicy ${w.namespace}/${name} isolating ${w.id} for ingress (then admit the clients it needs)`,
        patch: [{
          object: `NetworkPolicy/${w.namespace}/${name}`,
          operations: [{ op: 'add', path: '', value: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: w.namespace }, spec: { podSelector: { matchLabels: w.labels }, policyTypes: ['Ingress'], ingress: [] } } }],
        }],
      };
    }
    this.isolateChanges.set(w.id, c);
    return c ?? undefined;
  }

  private addExposure(): void {
    if (this.exploitable.size === 0) return;
    const byPodKey = new Map<string, string[]>();
    for (const [cid, { w }] of this.exploitable) {
      const list = byPodKey.get(`${w.namespace}/${w.name}`);
      if (list) list.push(cid);
      else byPodKey.set(`${w.namespace}/${w.name}`, [cid]);
    }
    const seen = new Set<string>();
    for (const r of exposure(this.net).routes) {
      if (r.admitted === 'no') continue;
      for (const cid of byPodKey.get(r.pod) ?? []) {
        const { w, c } = this.exploitable.get(cid)!;
        const all = this.containersOn(w, r.port, r.protocol);
        if (all.length > 0 && !all.includes(c)) continue;
        const key = `${cid}|${r.via}|${r.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const iso = this.isolateChange(w);
        const ingress = r.via.startsWith('Service/') ? 1 : 0.9;
        this.addEdge({
          from: ENTRY_INTERNET, to: cid, edge: 'exposure', technique: TECHNIQUES.exploitPublic, likelihood: r.admitted === 'yes' ? ingress : ingress * 0.9,
          evidence: `${r.via} routes outside traffic to ${w.id} port ${r.port}/${r.protocol}${r.allowedBy.length ? ` (admitted by ${r.allowedBy.join(', ')})` : ' (no NetworkPolicy isolates it)'}`,
          changes: iso ? [iso] : [],
        });
      }
    }
    for (const [cid, { w, c }] of this.exploitable) {
      for (const p of c.ports) {
        if (p.hostPort === undefined && !w.hostNetwork) continue;
        // with hostNetwork the container listens on the node's address whatever hostPort says: closing it takes both
        const hostPorts = w.containers.flatMap((x) => x.ports.filter((q) => q.hostPort !== undefined).map((q) => ({ op: 'remove' as const, path: join(x.path, 'ports', q.index, 'hostPort') })));
        const via = w.hostNetwork ? 'hostNetwork' : `hostPort ${p.hostPort}`;
        const change: Change = !w.hostNetwork
          ? { key: `hostport:${cid}:${p.index}`, change: `remove hostPort ${p.hostPort} from container ${c.name} of ${w.id}`, patch: [{ object: w.id, operations: [{ op: 'remove', path: join(c.path, 'ports', p.index, 'hostPort') }] }] }
          : {
              key: `hostlisten:${w.id}`,
              change: `stop using the host network${hostPorts.length ? ' and host ports' : ''} in ${w.id}`,
              patch: [{ object: w.id, operations: [{ op: 'replace', path: join(w.template.specPath, 'hostNetwork'), value: false }, ...hostPorts] }],
            };
        this.addEdge({
          from: ENTRY_INTERNET, to: cid, edge: 'exposure', technique: TECHNIQUES.exploitPublic, likelihood: 0.5,
          evidence: `${via}: port ${p.port}/${p.protocol} listens on the node's address, outside NetworkPolicy control (reachable from the internet where the node's address is)`,
          changes: [change],
        });
      }
    }
  }

  private containersOn(w: WorkloadInfo, port: number, protocol: string): ContainerFacts[] {
    return w.containers.filter((c) => c.ports.some((p) => p.port === port && p.protocol === protocol));
  }

  /** The policies selecting a pod, per direction (most pods have none or one: each pair is then cheap to judge). */
  private selecting(pod: NetPod, dir: 'ingress' | 'egress'): NetPolicy[] {
    const key = `${dir}\u0000${pod.kind}/${pod.key}`;
    let list = this.selectingCache.get(key);
    if (!list) {
      this.policiesByNs ??= groupPolicies(this.net.policies);
      list = (this.policiesByNs.get(pod.namespace) ?? []).filter((p) => (dir === 'ingress' ? p.affectsIngress : p.affectsEgress) && selects(p, pod));
      this.selectingCache.set(key, list);
    }
    return list;
  }

  /**
   * Network hops from a workload to every exploitable container NetworkPolicy lets it connect to: the netpol
   * engine's verdict per pair (egress of the source, ingress of the destination), judged only for workloads a
   * search reaches, against only the policies selecting either end.
   */
  private addNetworkEdges(id: string): void {
    if (this.exploitable.size === 0) return;
    const src = this.netPodOf.get(id);
    if (!src) return;
    const from: Endpoint = { type: 'pod', pod: src };
    const egress = this.selecting(src, 'egress');
    for (const [cid, { w, c }] of this.exploitable) {
      if (w.id === id) continue;
      const dst = this.netPodOf.get(w.id);
      if (!dst) continue;
      const ingress = this.selecting(dst, 'ingress');
      const hostNet = src.hostNetwork || dst.hostNetwork;
      if (egress.length === 0 && ingress.length === 0) {
        // neither end isolated: every connection is allowed (the common case: one shared hop per destination)
        let open = this.openHops.get(`${cid}\u0000${hostNet}`);
        if (!open) {
          const ports = c.ports.length ? c.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') : 'any port';
          open = { evidence: `connect to ${w.id} on ${ports}: no NetworkPolicy isolates either end${hostNet ? ' (hostNetwork: outside NetworkPolicy control)' : ''}`, changes: this.changesOf(this.isolateChange(w)) };
          this.openHops.set(`${cid}\u0000${hostNet}`, open);
        }
        this.addEdge({ from: id, to: cid, edge: 'network', technique: TECHNIQUES.remoteServices, likelihood: 1, evidence: open.evidence, changes: open.changes });
        continue;
      }
      const to: Endpoint = { type: 'pod', pod: dst };
      const e = evaluateDirection(this.net, 'egress', from, to, to, {}, egress);
      if (e.conns.isEmpty()) continue;
      const i = evaluateDirection(this.net, 'ingress', to, from, to, {}, ingress);
      const conns = e.conns.intersect(i.conns);
      const ports = c.ports.filter((p) => isProtocol(p.protocol) && conns.has(p.protocol, p.port));
      if (c.ports.length ? ports.length === 0 : conns.isEmpty()) continue;
      const by = [...new Set([...i.contributions, ...e.contributions].map((x) => x.policy))];
      this.addEdge({
        from: id, to: cid, edge: 'network', technique: TECHNIQUES.remoteServices, likelihood: 1,
        evidence: `connect to ${w.id} on ${ports.length ? ports.map((p) => `${p.port}/${p.protocol}`).join(', ') : conns.toString()}: ${by.length ? `allowed by NetworkPolicy ${by.join(', ')}` : 'no NetworkPolicy isolates either end'}${hostNet ? ' (hostNetwork: outside NetworkPolicy control)' : ''}`,
        changes: this.changesOf(this.isolateChange(w)),
      });
    }
  }

  private changesOf(c: Change | undefined): Change[] {
    return c ? [c] : [];
  }

  /**
   * exec into pods whose token is not mounted: no identity to take over (the escalation graph leaves them out), but
   * code execution in them, and their ways to the node.
   */
  private addExecEdges(hub: string): void {
    const ns = hub.slice('exec:'.length);
    const linked = new Set((this.eager.get(hub) ?? []).map((e) => e.to));
    for (const w of this.workloads.values()) {
      if ((ns !== '*' && w.namespace !== ns) || linked.has(w.id) || w.tokenMounted) continue;
      this.addEdge({ from: hub, to: w.id, edge: 'exec', technique: TECHNIQUES.containerAdmin, likelihood: 0.95, evidence: `exec into ${w.id}: create pods/exec`, changes: [] });
    }
  }

  private addIncidents(incidents: readonly IncidentMark[]): void {
    const byNsName = new Map<string, WorkloadInfo[]>();
    for (const w of this.workloads.values()) {
      const k = `${w.namespace}/${w.name}`;
      byNsName.set(k, [...(byNsName.get(k) ?? []), w]);
    }
    const marked = new Map<string, IncidentMark[]>();
    for (const i of incidents) {
      const { namespace, kind, name } = i.workload;
      if (!name) continue;
      for (const w of byNsName.get(`${namespace ?? 'default'}/${name}`) ?? []) {
        if (kind && kind !== w.kind) continue;
        marked.set(w.id, [...(marked.get(w.id) ?? []), i]);
      }
    }
    if (marked.size === 0) return;
    this.addNode(ENTRY_INCIDENTS, 'entry', 'workloads with runtime incidents');
    for (const [id, list] of [...marked].sort(([a], [b]) => a.localeCompare(b))) {
      const shown = list.slice(0, 3).map((i) => `${i.ruleId} (${i.severity}${i.count ? `, ×${i.count}` : ''})`);
      this.addEdge({
        from: ENTRY_INCIDENTS, to: id, edge: 'incident', technique: { id: 'TA0002', name: 'Execution (observed at runtime)' }, likelihood: 1,
        evidence: `runtime incidents in ${id}: ${shown.join('; ')}${list.length > 3 ? `; +${list.length - 3} more` : ''}`,
        changes: [],
      });
    }
  }

  private addRbacEdge(e: GraphEdge): void {
    const from = CAP_TO_NODE[e.from] ?? e.from;
    let to = CAP_TO_NODE[e.to] ?? e.to;
    const node = (id: string): void => {
      const t = this.escalation.nodes.get(id);
      if (CAP_TO_NODE[id]) return;
      this.addNode(id, id.startsWith('sa:') ? 'serviceaccount' : t?.type === 'hub' ? 'role' : 'identity', t?.label ?? id);
    };
    node(e.to);
    const changes = this.grantChanges(e.grants);
    const evidence = `${e.action}: ${e.permission}${e.via ? ` (${e.via})` : ''}`;
    const base = { from, changes, evidence, likelihood: 0.95 };
    switch (e.kind) {
      case 'exec': {
        // exec into the workload: code execution there (its token, and its ways to the node, follow from it)
        to = e.object && this.workloads.has(e.object) ? e.object : to;
        this.addEdge({ ...base, to, edge: 'exec', technique: TECHNIQUES.containerAdmin });
        return;
      }
      case 'mount-sa':
        this.addEdge({ ...base, to, edge: 'pod-create', technique: TECHNIQUES.deployContainer });
        return;
      case 'privileged-pod':
      case 'hostpath-pv':
        this.addEdge({ ...base, to, edge: 'pod-create', technique: TECHNIQUES.deployContainer });
        return;
      case 'read-token-secret': {
        const secret = e.object ?? to;
        this.addNode(secret, 'secret', `token Secret ${secret.slice('Secret/'.length)}`);
        this.addEdge({ ...base, to: secret, edge: 'token-theft', technique: TECHNIQUES.stealToken });
        if (!this.eager.get(secret)?.length) this.addEdge({ from: secret, to, changes: [], evidence: `use the token it holds (${e.action})`, likelihood: 1, edge: 'token-theft', technique: TECHNIQUES.validAccounts });
        return;
      }
      case 'request-token':
        this.addEdge({ ...base, to, edge: 'token-theft', technique: TECHNIQUES.stealToken });
        return;
      case 'nodes-proxy':
        this.addEdge({ ...base, to, edge: 'rbac', technique: TECHNIQUES.containerAdmin });
        return;
      case 'bind':
      case 'escalate':
      case 'csr':
        this.addEdge({ ...base, to, edge: 'rbac', technique: TECHNIQUES.accountManipulation });
        return;
      default:
        this.addEdge({ ...base, to, edge: 'rbac', technique: TECHNIQUES.validAccounts, likelihood: e.kind === 'membership' || e.kind === 'holds' ? 1 : 0.95 });
    }
  }

  /** One change per ability the step needs: withdrawing every input grant of it (bootstrap grants are not offered). */
  private grantChanges(grants: GrantRef[][] | undefined): Change[] {
    const out: Change[] = [];
    for (const list of grants ?? []) {
      const byBinding = new Map<string, Set<string>>();
      let ok = list.length > 0;
      for (const g of list) {
        const b = this.bindings.get(g.binding);
        if (!b || b.binding.origin !== 'input' || !this.rawBindings.has(g.binding)) ok = false;
        else byBinding.set(g.binding, (byBinding.get(g.binding) ?? new Set()).add(g.subject));
      }
      if (!ok) continue;
      const patch = [...byBinding].sort(([a], [b]) => a.localeCompare(b)).map(([key, subjects]) => ({ object: key, operations: this.removeSubjects(key, subjects) }));
      const words = [...byBinding].map(([key, subjects]) => `${[...subjects].join(', ')} from ${key}`).join('; ');
      out.push({ key: `rbac:${[...byBinding].map(([k, s]) => `${k}|${[...s].sort().join(',')}`).sort().join(';')}`, change: `remove ${words}`, patch });
    }
    return out;
  }

  private removeSubjects(bindingKey: string, subjects: ReadonlySet<string>): { op: 'remove'; path: string }[] {
    const raw = this.rawBindings.get(bindingKey)!;
    const list = Array.isArray(raw.subjects) ? raw.subjects : [];
    const ns = raw.kind === 'RoleBinding' ? (raw.metadata?.namespace ?? 'default') : undefined;
    const ops: { op: 'remove'; path: string }[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const s = isJsonMap(list[i]) ? parseSubjects([list[i]], ns)[0] : undefined;
      if (s && subjects.has(subjectKey(s))) ops.push({ op: 'remove', path: `/subjects/${i}` });
    }
    return ops;
  }
}
