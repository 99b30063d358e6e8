/**
 * Effective permissions of a subject: every rule reachable through its bindings (its own and its groups'),
 * expanded to one row per (API group, resource, resourceNames) with the union of verbs, per scope —
 * cluster-wide (ClusterRoleBindings) and per namespace (RoleBindings). Non-resource URLs are cluster-wide
 * only, since RoleBindings never grant them. Like `kubectl auth can-i --list`, but for every namespace.
 */
import type { Subject, UserInfo } from './types.js';
import { isSuperuser, userInfoOf } from './identity.js';
import { bindingsFor } from './authorize.js';
import type { RbacIndex } from './rbac-index.js';

export interface PermissionRow {
  apiGroup: string;
  resource: string;
  resourceNames: string[];
  verbs: string[];
  /** "Binding → Role" strings granting the row. */
  via: string[];
}

export interface NonResourceRow {
  url: string;
  verbs: string[];
  via: string[];
}

export interface SubjectPermissions {
  subject: Subject;
  user: UserInfo;
  superuser: boolean;
  clusterWide: PermissionRow[];
  nonResource: NonResourceRow[];
  /** Namespace → rows granted there by RoleBindings (cluster-wide rows apply there too, not repeated). */
  namespaces: Record<string, PermissionRow[]>;
}

class RowSet {
  private readonly rows = new Map<string, { row: PermissionRow; verbs: Set<string>; via: Set<string> }>();
  add(apiGroup: string, resource: string, names: string[], verbs: string[], via: string): void {
    const key = `${apiGroup}\u0000${resource}\u0000${names.join(',')}`;
    let e = this.rows.get(key);
    if (!e) {
      e = { row: { apiGroup, resource, resourceNames: names, verbs: [], via: [] }, verbs: new Set(), via: new Set() };
      this.rows.set(key, e);
    }
    for (const v of verbs) e.verbs.add(v);
    e.via.add(via);
  }
  toRows(): PermissionRow[] {
    return [...this.rows.values()]
      .map((e) => ({ ...e.row, verbs: sortVerbs(e.verbs), via: [...e.via].sort() }))
      .sort((a, b) => a.apiGroup.localeCompare(b.apiGroup) || a.resource.localeCompare(b.resource) || a.resourceNames.join().localeCompare(b.resourceNames.join()));
  }
}

function sortVerbs(verbs: Set<string>): string[] {
  return verbs.has('*') ? ['*'] : [...verbs].sort();
}

export function permissionsOf(index: RbacIndex, subject: Subject, extraGroups: readonly string[] = []): SubjectPermissions {
  const user = userInfoOf(subject, extraGroups);
  const cluster = new RowSet();
  const byNs = new Map<string, RowSet>();
  const nonRes = new Map<string, { verbs: Set<string>; via: Set<string> }>();
  for (const b of bindingsFor(index, user)) {
    const via = `${b.key} → ${b.roleLabel}`;
    const isCluster = b.binding.kind === 'ClusterRoleBinding';
    let target = cluster;
    if (!isCluster) {
      const ns = b.binding.namespace ?? '';
      let set = byNs.get(ns);
      if (!set) byNs.set(ns, (set = new RowSet()));
      target = set;
    }
    for (const rule of index.rulesOf(b)) {
      const names = [...rule.resourceNames].sort();
      for (const g of rule.apiGroups) for (const r of rule.resources) target.add(g, r, names, rule.verbs, via);
      if (isCluster) {
        for (const u of rule.nonResourceURLs) {
          let e = nonRes.get(u);
          if (!e) nonRes.set(u, (e = { verbs: new Set(), via: new Set() }));
          for (const v of rule.verbs) e.verbs.add(v);
          e.via.add(via);
        }
      }
    }
  }
  const namespaces: Record<string, PermissionRow[]> = {};
  for (const ns of [...byNs.keys()].sort()) namespaces[ns] = byNs.get(ns)!.toRows();
  return {
    subject,
    user,
    superuser: isSuperuser(user),
    clusterWide: cluster.toRows(),
    nonResource: [...nonRes.entries()]
      .map(([url, e]) => ({ url, verbs: sortVerbs(e.verbs), via: [...e.via].sort() }))
      .sort((a, b) => a.url.localeCompare(b.url)),
    namespaces,
  };
}
