/**
 * Builds the escalation graph. Nodes are identities (users, groups, service accounts), hubs (footholds such
 * as "can run pods in namespace ci") and capabilities ("cluster-admin equivalent", "read all secrets",
 * "root on a node"). Edges are one-step escalations, each labelled with the permission used, how, and
 * the binding/role (or object) that makes it possible. The techniques are those of the Kubernetes
 * "RBAC good practices" page (https://kubernetes.io/docs/concepts/security/rbac-good-practices/).
 *
 * Combinations are evaluated per identity over its own bindings (cluster scope, and each namespace merged
 * with the cluster scope); permissions a subject holds through an implicit group are reached through a
 * "member of" edge to that group. Cluster-wide combinations split between a subject and its implicit groups
 * are added as their own edges (addSplitCombos); namespace-scoped ones are not.
 */
import type { AbilityId, Grant } from '../abilities.js';
import { abilitiesOf, mergeGrant, nameAllowed } from '../abilities.js';
import { SYSTEM_ANONYMOUS, SYSTEM_AUTHENTICATED, SYSTEM_MASTERS, SYSTEM_SERVICEACCOUNTS, SYSTEM_UNAUTHENTICATED, subjectFromKey } from '../identity.js';
import type { IndexedBinding, RbacIndex } from '../rbac-index.js';
import type { CapabilityId, EdgeKind, GrantRef, GraphEdge, GraphNode } from './model.js';
import { CAPABILITIES, CAPABILITY_IDS, capNode } from './model.js';

interface Held {
  grant: Grant;
  via: string;
  /** Every (binding, subject) granting it in this scope. */
  grants: GrantRef[];
}
type Scope = Map<AbilityId, Held>;

interface OwnScopes {
  cluster: Scope;
  namespaces: Map<string, Scope>;
  clusterRoles: Set<string>;
}

function hold(scope: Scope, id: AbilityId): Held | undefined {
  return scope.get(id);
}

const viaOf = (b: IndexedBinding): string => `${b.key} → ${b.roleLabel}`;

export class EscalationGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly out = new Map<string, GraphEdge[]>();
  private readonly roleAbilities = new Map<string, Map<AbilityId, Grant>>();
  private readonly hubsBuilt = new Set<string>();
  private readonly groupScopeCache = new Map<string, OwnScopes & { combos: Set<string> }>();
  /** Implicit group → its node and edge label, or null when nothing is bound to the group. */
  private readonly membership = new Map<string, { gid: string; action: string } | null>();

  /** Identities whose out-edges have been added. Hubs get theirs when first linked (linkHub). */
  private readonly expanded = new Set<string>();
  private complete = false;

  /**
   * Nodes for every subject of a binding up front (impersonation edges need every user and group); service
   * accounts' nodes and every identity's out-edges are added on first use (ensureIdentity, edgesFrom), so a
   * question about a few service accounts does not pay for the graph of the whole cluster. expandAll() builds
   * everything, for the all-pairs search in paths.ts.
   */
  /**
   * `keepDominated`: also add the steps a stronger grant of the same identity makes redundant (a namespace's
   * "create pods" beside a cluster-wide one). Shortest paths do not need them; a cut does, since withdrawing the
   * stronger grant leaves the weaker one (attack paths, src/analysis/paths).
   */
  constructor(
    private readonly index: RbacIndex,
    private readonly opts: { keepDominated?: boolean } = {},
  ) {
    for (const c of CAPABILITY_IDS) this.nodes.set(capNode(c), { id: capNode(c), type: 'capability', label: CAPABILITIES[c] });
    for (const id of index.subjectKeys()) this.addIdentity(id);
    this.addIdentity(`group:${SYSTEM_MASTERS}`);
    this.addEdge({
      from: `group:${SYSTEM_MASTERS}`,
      to: capNode('cluster-admin'),
      kind: 'superuser',
      action: 'act as superuser',
      permission: 'every permission (system:masters bypasses RBAC)',
      via: 'group system:masters',
    });
  }

  /**
   * Adds an identity that no binding names (e.g. a user asked about by name), so it can be asked about: such a
   * subject escalates only through its implicit groups.
   */
  ensureIdentity(id: string): void {
    if (this.nodes.has(id)) return;
    this.addIdentity(id);
    if (this.complete) this.expand(id);
  }

  /** Out-edges of a node, building an identity's on first use. */
  edgesFrom(id: string): readonly GraphEdge[] {
    if (!this.complete && !this.expanded.has(id) && this.nodes.get(id)?.type === 'identity') this.expand(id);
    return this.out.get(id) ?? [];
  }

  /** Builds the out-edges of every identity; afterwards `out` is the whole graph. */
  expandAll(): void {
    if (this.complete) return;
    // Binding subjects, then every service account, then system:masters: the order fixes shortest-path tie-breaks.
    const order = new Set<string>(this.index.subjectKeys());
    for (const sa of this.index.facts.serviceAccounts.values()) order.add(sa.id);
    order.add(`group:${SYSTEM_MASTERS}`);
    for (const id of this.nodes.keys()) if (this.nodes.get(id)!.type === 'identity') order.add(id);
    for (const id of order) {
      this.addIdentity(id);
      this.expand(id);
    }
    this.complete = true;
  }

  get edgeCount(): number {
    this.expandAll();
    let n = 0;
    for (const list of this.out.values()) n += list.length;
    return n;
  }

  private expand(id: string): void {
    if (this.expanded.has(id)) return;
    this.expanded.add(id);
    this.addIdentityEdges(id);
  }

  private addIdentity(id: string): void {
    if (this.nodes.has(id)) return;
    const s = subjectFromKey(id);
    const subject: GraphNode['subject'] = { kind: s.kind, name: s.name };
    if (s.namespace) subject.namespace = s.namespace;
    this.nodes.set(id, { id, type: 'identity', label: id, subject });
  }

  private addEdge(e: GraphEdge): void {
    const list = this.out.get(e.from);
    if (list) list.push(e);
    else this.out.set(e.from, [e]);
  }

  private abilitiesOfRole(roleKey: string): Map<AbilityId, Grant> {
    let a = this.roleAbilities.get(roleKey);
    if (!a) {
      a = abilitiesOf(this.index.role(roleKey)?.rules ?? []);
      this.roleAbilities.set(roleKey, a);
    }
    return a;
  }

  /** The abilities an identity holds through its own bindings, per scope. */
  private ownScopes(id: string): OwnScopes {
    // (the grants are keyed by the identity whose bindings they are: for a group, the group)
    const cluster: Scope = new Map();
    const namespaces = new Map<string, Scope>();
    const clusterRoles = new Set<string>();
    for (const b of this.index.bindingsOfSubject(id)) {
      if (!b.resolved) continue;
      let scope: Scope;
      if (b.binding.kind === 'ClusterRoleBinding') {
        scope = cluster;
        clusterRoles.add(b.binding.roleRef.name);
      } else {
        const ns = b.binding.namespace ?? '';
        scope = namespaces.get(ns) ?? new Map();
        namespaces.set(ns, scope);
      }
      for (const [ability, grant] of this.abilitiesOfRole(b.roleKey)) {
        const prev = scope.get(ability);
        const g: GrantRef = { binding: b.key, subject: id };
        scope.set(ability, prev ? { grant: mergeGrant(prev.grant, grant), via: prev.via, grants: [...prev.grants, g] } : { grant, via: viaOf(b), grants: [g] });
      }
    }
    return { cluster, namespaces, clusterRoles };
  }

  private groupScopes(gid: string): OwnScopes & { combos: Set<string> } {
    let g = this.groupScopeCache.get(gid);
    if (!g) {
      const own = this.ownScopes(gid);
      g = { ...own, combos: new Set(this.clusterCombos(own.cluster, own.clusterRoles, false).map((c) => c.key)) };
      this.groupScopeCache.set(gid, g);
    }
    return g;
  }

  private addIdentityEdges(id: string): void {
    const groups = this.addMembershipEdges(id);
    const own = this.ownScopes(id);
    if (own.cluster.size > 0) this.addClusterEdges(id, own.cluster, own.clusterRoles);
    for (const [ns, scope] of own.namespaces) this.addNamespaceEdges(id, ns, scope, own.cluster);
    if (own.cluster.size > 0 && groups.length > 0) this.addSplitCombos(id, own, groups);
  }

  /**
   * Combinations whose parts are split between the identity's own bindings and its implicit groups'
   * (e.g. bind from its own role, create clusterrolebindings from system:authenticated).
   */
  private addSplitCombos(id: string, own: OwnScopes, groups: string[]): void {
    const merged: Scope = new Map(own.cluster);
    const roles = new Set(own.clusterRoles);
    const covered = new Set(this.clusterCombos(own.cluster, own.clusterRoles, false).map((c) => c.key));
    for (const gid of groups) {
      const g = this.groupScopes(gid);
      for (const k of g.combos) covered.add(k);
      for (const r of g.clusterRoles) roles.add(r);
      for (const [ability, held] of g.cluster) {
        const prev = merged.get(ability);
        merged.set(ability, prev ? { grant: mergeGrant(prev.grant, held.grant), via: prev.via, grants: [...prev.grants, ...held.grants] } : held);
      }
    }
    for (const c of this.clusterCombos(merged, roles, false)) if (!covered.has(c.key)) this.addEdge({ from: id, ...c.edge });
  }

  /**
   * Whether the identity's only way anywhere is through its implicit groups: no binding names it. Its paths
   * then all start with a step into one of boundImplicitGroups(id).
   */
  onlyThroughGroups(id: string): boolean {
    return this.index.bindingsOfSubject(id).length === 0;
  }

  /**
   * Node ids of the identity's implicit groups that have bindings (the targets of its membership edges). The same
   * array for every identity with the same implicit groups (every service account of a namespace), so callers
   * may key answers on it.
   */
  boundImplicitGroups(id: string): readonly string[] {
    const key = implicitGroupsKey(id);
    let groups = this.boundGroups.get(key);
    if (!groups) this.boundGroups.set(key, (groups = implicitGroups(id).filter((g) => this.index.bindingsOfSubject(`group:${g}`).length > 0).map((g) => `group:${g}`)));
    return groups;
  }

  private readonly boundGroups = new Map<string, string[]>();

  /** Edges to the implicit groups that have bindings; returns their node ids. */
  private addMembershipEdges(id: string): string[] {
    const linked: string[] = [];
    for (const g of implicitGroups(id)) {
      let m = this.membership.get(g);
      if (m === undefined) {
        const gid = `group:${g}`;
        m = this.index.bindingsOfSubject(gid).length === 0 ? null : { gid, action: `use the rights of its implicit group ${g}` };
        this.membership.set(g, m);
        if (m) this.addIdentity(gid);
      }
      if (m) {
        this.addEdge({ from: id, to: m.gid, kind: 'membership', action: m.action, permission: 'group membership', via: 'authentication' });
        linked.push(m.gid);
      }
    }
    return linked;
  }

  private addClusterEdges(id: string, c: Scope, boundClusterRoles: Set<string>): void {
    const ca = hold(c, 'cluster-admin');
    if (ca) this.addEdge({ from: id, to: capNode('cluster-admin'), kind: 'holds', grants: [ca.grants], action: 'use its cluster-wide rights', permission: 'every verb on every resource, cluster-wide', via: ca.via });
    const sec = hold(c, 'read-secrets');
    if (sec && sec.grant.names === '*' && (sec.grant.verbs.includes('get') || sec.grant.verbs.includes('list'))) {
      this.addEdge({ from: id, to: capNode('secrets'), kind: 'holds', grants: [sec.grants], action: 'read every Secret in the cluster', permission: `${sec.grant.verbs.sort().join('/')} secrets, cluster-wide`, via: sec.via });
    }
    const np = hold(c, 'nodes-proxy');
    if (np && np.grant.names === '*') {
      this.addEdge({ from: id, to: capNode('node'), kind: 'nodes-proxy', grants: [np.grants], action: "run commands in any node's pods through the kubelet API", permission: `${np.grant.verbs.join('/')} nodes/proxy`, via: np.via });
    }
    this.addFootholds(id, '*', c);
    const pods = hold(c, 'create-pods');
    const wl = hold(c, 'write-workloads');
    const imu = hold(c, 'impersonate-users');
    if (imu) {
      for (const [nid, node] of this.nodes) {
        if (node.type !== 'identity' || !nid.startsWith('user:') || nid === id) continue;
        if (!nameAllowed(imu.grant.names, nid.slice(5))) continue;
        this.addEdge({ from: id, to: nid, kind: 'impersonate', grants: [imu.grants], action: `impersonate user ${nid.slice(5)}`, permission: 'impersonate users', via: imu.via });
      }
    }
    const img = hold(c, 'impersonate-groups');
    if (img) {
      for (const [nid, node] of this.nodes) {
        if (node.type !== 'identity' || !nid.startsWith('group:') || nid === id) continue;
        if (!nameAllowed(img.grant.names, nid.slice(6))) continue;
        this.addEdge({ from: id, to: nid, kind: 'impersonate', grants: [img.grants], action: `impersonate group ${nid.slice(6)}`, permission: 'impersonate groups', via: img.via });
      }
    }
    for (const e of this.clusterCombos(c, boundClusterRoles, Boolean(pods || wl))) this.addEdge({ from: id, ...e.edge });
  }

  /**
   * Escalations that need two or more abilities together (cluster scope). Each result has a key so the
   * caller can tell which combinations a scope satisfies.
   */
  private clusterCombos(c: Scope, boundClusterRoles: ReadonlySet<string>, runsPods: boolean): { key: string; edge: Omit<GraphEdge, 'from'> }[] {
    const out: { key: string; edge: Omit<GraphEdge, 'from'> }[] = [];
    const crb = hold(c, 'create-clusterrolebindings');
    const bind = hold(c, 'bind-clusterroles');
    if (crb && bind && nameAllowed(bind.grant.names, 'cluster-admin')) {
      out.push({ key: 'bind', edge: { to: capNode('cluster-admin'), kind: 'bind', grants: [crb.grants, bind.grants], action: 'create a ClusterRoleBinding from itself to cluster-admin', permission: 'create clusterrolebindings + bind clusterroles', via: `${crb.via}; ${bind.via}` } });
    }
    const esc = hold(c, 'escalate-clusterroles');
    const wcr = hold(c, 'write-clusterroles');
    if (esc && wcr) {
      const target = [...boundClusterRoles].sort().find((r) => nameAllowed(esc.grant.names, r) && nameAllowed(wcr.grant.names, r));
      if (target) {
        out.push({ key: 'escalate', edge: { to: capNode('cluster-admin'), kind: 'escalate', grants: [esc.grants, wcr.grants], action: `add "*" rules to ClusterRole ${target}, which it is bound to`, permission: 'escalate + update clusterroles', via: `${esc.via}; ${wcr.via}` } });
      }
    }
    const csr = hold(c, 'create-csr');
    const appr = hold(c, 'approve-csr');
    const signer = hold(c, 'approve-signer');
    if (csr && appr && appr.grant.names === '*' && signer && ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/*'].some((n) => nameAllowed(signer.grant.names, n))) {
      out.push({ key: 'csr', edge: { to: capNode('cluster-admin'), kind: 'csr', grants: [csr.grants, appr.grants, signer.grants], action: 'create and approve a CSR for a system:masters client certificate', permission: 'create certificatesigningrequests + update …/approval + approve signers', via: `${csr.via}; ${appr.via}; ${signer.via}` } });
    }
    const pv = hold(c, 'create-persistentvolumes');
    const pods = anyOf(hold(c, 'create-pods'), hold(c, 'write-workloads'));
    if (pv && (runsPods || pods)) {
      out.push({ key: 'pv', edge: { to: capNode('node'), kind: 'hostpath-pv', grants: pods ? [pv.grants, pods.grants] : [pv.grants], action: "create a hostPath PersistentVolume of the node's / and mount it in a pod", permission: 'create persistentvolumes + create pods', via: pods ? `${pv.via}; ${pods.via}` : pv.via } });
    }
    return out;
  }

  private addNamespaceEdges(id: string, ns: string, s: Scope, c: Scope): void {
    const either = (a: AbilityId): Held | undefined => anyOf(s.get(a), c.get(a));
    this.addFootholds(id, ns, s, c);
    // Namespace admin through RBAC writes: bind a powerful ClusterRole in the namespace, or grow a held Role.
    const rb = either('create-rolebindings');
    const bind = either('bind-clusterroles');
    const esc = either('escalate-roles');
    const wr = either('write-roles');
    let how: { action: string; permission: string; via: string; grants: GrantRef[][] } | undefined;
    if (rb && bind && ['cluster-admin', 'admin', 'edit'].some((r) => nameAllowed(bind.grant.names, r))) {
      const role = ['cluster-admin', 'admin', 'edit'].find((r) => nameAllowed(bind.grant.names, r));
      how = { action: `create a RoleBinding in ${ns} from itself to ClusterRole ${role}`, permission: 'create rolebindings + bind clusterroles', via: `${rb.via}; ${bind.via}`, grants: [rb.grants, bind.grants] };
    } else if (esc && wr && esc.grant.names === '*' && wr.grant.names === '*' && s.size > 0) {
      how = { action: `add "*" rules to a Role it holds in ${ns}`, permission: 'escalate + update roles', via: `${esc.via}; ${wr.via}`, grants: [esc.grants, wr.grants] };
    }
    if (how) {
      const hub = `nsadmin:${ns}`;
      if (!this.nodes.has(hub)) {
        this.nodes.set(hub, { id: hub, type: 'hub', label: `admin of namespace ${ns}` });
        const adm: Held = { grant: { names: '*', verbs: ['*'] }, via: `admin rights in ${ns}`, grants: [] };
        this.linkHub(hub, 'pods', ns, adm, `create a pod in ${ns}`, `create pods in namespace ${ns}`);
        this.linkHub(hub, 'secrets', ns, adm, `read service-account token Secrets in ${ns}`, `get secrets in namespace ${ns}`);
        this.linkHub(hub, 'token', ns, adm, `request tokens for service accounts in ${ns}`, `create serviceaccounts/token in namespace ${ns}`);
      }
      this.addEdge({ from: id, to: hub, kind: 'namespace-admin', object: `Namespace/${ns}`, ...how });
    }
  }

  /**
   * The one-ability footholds (FOOTHOLDS) an identity holds in a scope: `ns` is "*" for cluster-wide abilities,
   * else a namespace, whose footholds the cluster-wide ones (`cluster`) already cover are left out.
   */
  private addFootholds(id: string, ns: string, scope: Scope, cluster?: Scope): void {
    const place = ns === '*' ? 'any namespace' : ns;
    const within = ns === '*' ? ', cluster-wide' : ` in namespace ${ns}`;
    for (const f of FOOTHOLDS) {
      const held = scope.get(f.ability);
      if (!held) continue;
      // a stronger grant reaching the same hub makes this one add no step, unless asked to keep them (see opts)
      if (!this.opts.keepDominated && (f.unless.some((a) => scope.has(a) || cluster?.has(a)) || cluster?.has(f.ability))) continue;
      this.linkHub(id, f.hub, ns, held, f.action(place), f.permission(held.grant.verbs.join('/'), within));
    }
  }

  /**
   * Connects an identity to a hub ("pods:ci", "token:*"), or, when the grant is limited to resource names,
   * directly to the named targets.
   */
  private linkHub(from: string, kind: HubKind, ns: string, held: Held, action: string, permission: string): void {
    if (held.grant.names !== '*') {
      for (const t of this.hubTargets(kind, ns)) {
        if (!nameAllowed(held.grant.names, t.name)) continue;
        this.addEdge({ from, to: t.to, kind: t.kind, object: t.object, ...grantsOf(held), action: t.action, permission: `${permission} (resourceNames ${t.name})`, via: held.via });
      }
      return;
    }
    const hub = `${kind}:${ns}`;
    if (!this.hubsBuilt.has(hub)) {
      this.hubsBuilt.add(hub);
      this.nodes.set(hub, { id: hub, type: 'hub', label: HUB_LABELS[kind](ns) });
      for (const t of this.hubTargets(kind, ns)) this.addEdge({ from: hub, to: t.to, kind: t.kind, object: t.object, action: t.action, permission: t.permission, via: t.via });
      if (kind === 'pods' && (ns === '*' || !this.index.facts.blocksPrivilegedPods(ns))) {
        this.addEdge({
          from: hub,
          to: capNode('node'),
          kind: 'privileged-pod',
          ...(ns === '*' ? {} : { object: `Namespace/${ns}` }),
          action: 'run a privileged pod that mounts the node\'s / through hostPath',
          permission: ns === '*' ? 'create pods (some namespace without Pod Security enforcement)' : `create pods (namespace ${ns} does not enforce Pod Security baseline)`,
          via: ns === '*' ? 'Pod Security admission' : `Namespace/${ns}`,
        });
      }
    }
    this.addEdge({ from, to: hub, kind: 'ability', ...grantsOf(held), action, permission, via: held.via });
  }

  /** Where a hub leads: identities (service accounts) with the step that takes them over. */
  private hubTargets(kind: HubKind, ns: string): HubTarget[] {
    const facts = this.index.facts;
    const sas = ns === '*' ? [...facts.serviceAccounts.values()] : facts.serviceAccountsIn(ns);
    const out: HubTarget[] = [];
    if (kind === 'pods' || kind === 'token' || kind === 'impersonate-sa') {
      for (const sa of sas) {
        const to = sa.id;
        this.addIdentity(to);
        const action =
          kind === 'pods' ? `mount service account ${sa.namespace}/${sa.name} in the pod` :
          kind === 'token' ? `request a token for service account ${sa.namespace}/${sa.name}` :
          `impersonate service account ${sa.namespace}/${sa.name}`;
        const permission = kind === 'pods' ? 'pod spec serviceAccountName' : kind === 'token' ? 'create serviceaccounts/token' : 'impersonate serviceaccounts';
        const edgeKind: EdgeKind = kind === 'pods' ? 'mount-sa' : kind === 'token' ? 'request-token' : 'impersonate';
        out.push({ to, name: sa.name, kind: edgeKind, object: `ServiceAccount/${sa.namespace}/${sa.name}`, action, permission, via: `ServiceAccount/${sa.namespace}/${sa.name}` });
      }
    } else if (kind === 'exec') {
      for (const w of facts.workloadsIn(ns)) {
        if (!w.tokenMounted) continue;
        const to = `sa:${w.namespace}/${w.serviceAccount}`;
        this.addIdentity(to);
        out.push({ to, name: w.ref.name, kind: 'exec', object: `${w.ref.kind}/${w.namespace}/${w.ref.name}`, action: `exec into ${w.ref.kind}/${w.namespace}/${w.ref.name} and use its mounted token (${w.namespace}/${w.serviceAccount})`, permission: 'create pods/exec', via: `${w.ref.kind}/${w.namespace}/${w.ref.name}` });
      }
    } else if (kind === 'secrets') {
      for (const t of facts.tokenSecretsIn(ns)) {
        const to = `sa:${t.namespace}/${t.serviceAccount}`;
        this.addIdentity(to);
        out.push({ to, name: t.name, kind: 'read-token-secret', object: `Secret/${t.namespace}/${t.name}`, action: `read token Secret ${t.namespace}/${t.name} of service account ${t.namespace}/${t.serviceAccount}`, permission: 'get secrets', via: `Secret/${t.namespace}/${t.name}` });
      }
    }
    return out;
  }
}

/** What implicitGroups() depends on: a service account's namespace, or the kind of user. */
function implicitGroupsKey(id: string): string {
  if (id.startsWith('sa:')) return id.slice(0, id.indexOf('/'));
  if (id === `user:${SYSTEM_ANONYMOUS}`) return id;
  return id.startsWith('user:') ? 'user:' : '';
}

/** The groups the authenticator adds to an identity (k8s.io/apiserver/pkg/authentication/serviceaccount, user). */
function implicitGroups(id: string): string[] {
  if (id.startsWith('sa:')) return [SYSTEM_SERVICEACCOUNTS, `${SYSTEM_SERVICEACCOUNTS}:${id.slice(3, id.indexOf('/'))}`, SYSTEM_AUTHENTICATED];
  if (id === `user:${SYSTEM_ANONYMOUS}`) return [SYSTEM_UNAUTHENTICATED];
  if (id.startsWith('user:')) return [SYSTEM_AUTHENTICATED];
  return [];
}

type HubKind = 'pods' | 'exec' | 'secrets' | 'token' | 'impersonate-sa';

/**
 * The escalation techniques that need one ability, cluster-wide or in a namespace: each leads to a hub (a
 * foothold such as "run pods in ci") whose targets are the service accounts it takes over
 * (https://kubernetes.io/docs/concepts/security/rbac-good-practices/). Combinations of abilities are in
 * clusterCombos and, for namespaces, the namespace-admin edges of addNamespaceEdges.
 */
const FOOTHOLDS: readonly {
  ability: AbilityId;
  hub: HubKind;
  /** Abilities that reach the same hub more directly: when held, this technique adds nothing. */
  unless: readonly AbilityId[];
  action: (place: string) => string;
  permission: (verbs: string, within: string) => string;
}[] = [
  { ability: 'read-secrets', hub: 'secrets', unless: [], action: (p) => `read service-account token Secrets in ${p}`, permission: (v, w) => `${v} secrets${w}` },
  { ability: 'create-pods', hub: 'pods', unless: [], action: (p) => `create a pod in ${p}`, permission: (_v, w) => `create pods${w}` },
  { ability: 'write-workloads', hub: 'pods', unless: ['create-pods'], action: (p) => `create or change a workload in ${p}`, permission: (v, w) => `${v} workloads${w}` },
  { ability: 'exec-pods', hub: 'exec', unless: [], action: (p) => `exec into running pods in ${p}`, permission: (v, w) => `${v} pods/exec${w}` },
  { ability: 'create-token', hub: 'token', unless: [], action: (p) => `request tokens for service accounts in ${p}`, permission: (_v, w) => `create serviceaccounts/token${w}` },
  {
    ability: 'impersonate-serviceaccounts',
    hub: 'impersonate-sa',
    unless: [],
    action: (p) => `impersonate service accounts in ${p}`,
    permission: (_v, w) => `impersonate serviceaccounts${w}`,
  },
];

interface HubTarget {
  to: string;
  name: string;
  kind: EdgeKind;
  object: string;
  action: string;
  permission: string;
  via: string;
}

/**
 * Either of two held abilities (the first one's grant and words): a step that needs one of them is removed only by
 * withdrawing the grants of both.
 */
function anyOf(a: Held | undefined, b: Held | undefined): Held | undefined {
  if (!a || !b) return a ?? b;
  return { grant: a.grant, via: a.via, grants: [...a.grants, ...b.grants] };
}

/** The grants an edge built on one held ability needs (none for a hub's own admin rights). */
function grantsOf(held: Held): { grants?: GrantRef[][] } {
  return held.grants.length ? { grants: [held.grants] } : {};
}

const where = (ns: string): string => (ns === '*' ? 'any namespace' : `namespace ${ns}`);
const HUB_LABELS: Record<HubKind, (ns: string) => string> = {
  pods: (ns) => `run pods in ${where(ns)}`,
  exec: (ns) => `exec into pods in ${where(ns)}`,
  secrets: (ns) => `read token Secrets in ${where(ns)}`,
  token: (ns) => `mint service-account tokens in ${where(ns)}`,
  'impersonate-sa': (ns) => `impersonate service accounts in ${where(ns)}`,
};

export function buildEscalationGraph(index: RbacIndex): EscalationGraph {
  return new EscalationGraph(index);
}

export type { CapabilityId };
