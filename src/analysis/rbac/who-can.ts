/**
 * who-can: every subject the RBAC authorizer would allow a request for, with the bindings and roles that
 * grant it. Scoping follows plugin/pkg/auth/authorizer/rbac and pkg/registry/rbac/validation/rule.go
 * (VisitRulesFor): ClusterRoleBindings apply to every request; RoleBindings apply only to requests in their
 * own namespace (so a RoleBinding to a ClusterRole grants that role's rules in that namespace only, and
 * never to cluster-scoped resources or non-resource URLs). `system:masters` is always allowed.
 */
import { SYSTEM_MASTERS, subjectKey } from './identity.js';
import { resourceRuleAllows, nonResourceRuleAllows } from './matching.js';
import type { IndexedBinding, RbacIndex } from './rbac-index.js';
import type { AccessRequest, NonResourceRequest, ResourceRequest, SubjectKind } from './types.js';
import { isNonResourceRequest } from './types.js';
import { appendAll } from '../../core/append.js';

export interface WhoCanVia {
  /** "ClusterRoleBinding/name" or "RoleBinding/ns/name". */
  binding: string;
  /** "ClusterRole/name" or "Role/name". */
  role: string;
}

export interface WhoCanSubject {
  kind: SubjectKind;
  name: string;
  namespace?: string;
  via: WhoCanVia[];
}

export interface WhoCanResult {
  subjects: WhoCanSubject[];
}

/**
 * `namespace: "*"` asks "in some namespace": RoleBindings of every namespace count (each via names its
 * namespace). Not an authorizer request of its own — a convenience over one query per namespace.
 */
export const ALL_NAMESPACES = '*';

/** The via entry for the superuser group, which no binding is needed for. */
export const SUPERUSER_VIA: WhoCanVia = { binding: '(superuser group, authorized before RBAC)', role: '(all permissions)' };

function matchingRoleKeys(index: RbacIndex, req: AccessRequest): { cluster: string[]; namespaced: string[] } {
  if (isNonResourceRequest(req)) {
    const cluster = [...index.clusterRuleIndexRef().nonResourceCandidates()].filter((k) =>
      (index.role(k)?.rules ?? []).some((r) => nonResourceRuleAllows(r, req as NonResourceRequest)),
    );
    return { cluster, namespaced: [] };
  }
  const allows = (k: string): boolean => (index.role(k)?.rules ?? []).some((r) => resourceRuleAllows(r, req));
  const cluster = [...index.clusterRuleIndexRef().resourceCandidates(req.verb, req.resource, req.subresource)].filter(allows);
  const nsIdx =
    req.namespace === ALL_NAMESPACES ? index.anyNamespaceRuleIndexRef() : req.namespace ? index.namespaceRuleIndexRef(req.namespace) : undefined;
  const namespaced = nsIdx ? [...nsIdx.resourceCandidates(req.verb, req.resource, req.subresource)].filter(allows) : [];
  return { cluster, namespaced };
}

/** The bindings that grant the request (each paired with its role). */
export function grantingBindings(index: RbacIndex, req: AccessRequest): IndexedBinding[] {
  const { cluster, namespaced } = matchingRoleKeys(index, req);
  const ns = isNonResourceRequest(req) ? undefined : (req as ResourceRequest).namespace;
  const out: IndexedBinding[] = [];
  if (ns === ALL_NAMESPACES) {
    for (const rk of cluster) {
      appendAll(out, index.clusterBindingsOf(rk));
      appendAll(out, index.allNamespaceBindingsOf(rk));
    }
    for (const rk of namespaced) appendAll(out, index.allNamespaceBindingsOf(rk));
    return out;
  }
  for (const rk of cluster) {
    appendAll(out, index.clusterBindingsOf(rk));
    if (ns) appendAll(out, index.namespaceBindingsOf(rk, ns));
  }
  if (ns) for (const rk of namespaced) appendAll(out, index.namespaceBindingsOf(rk, ns));
  return out;
}

export function whoCan(index: RbacIndex, req: AccessRequest): WhoCanResult {
  const bySubject = new Map<string, WhoCanSubject>();
  const masters: WhoCanSubject = { kind: 'Group', name: SYSTEM_MASTERS, via: [SUPERUSER_VIA] };
  bySubject.set(`group:${SYSTEM_MASTERS}`, masters);
  for (const b of grantingBindings(index, req)) {
    for (const s of b.binding.subjects) {
      const key = subjectKey(s);
      let entry = bySubject.get(key);
      if (!entry) {
        entry = { kind: s.kind, name: s.name, via: [] };
        if (s.namespace) entry.namespace = s.namespace;
        bySubject.set(key, entry);
      }
      if (!entry.via.some((v) => v.binding === b.key)) entry.via.push({ binding: b.key, role: b.roleLabel });
    }
  }
  const subjects = [...bySubject.values()];
  for (const s of subjects) s.via.sort((a, b) => a.binding.localeCompare(b.binding));
  subjects.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
  return { subjects };
}

function kindOrder(k: SubjectKind): number {
  return k === 'User' ? 0 : k === 'Group' ? 1 : 2;
}
