/**
 * The RBAC authorizer decision for one identity, following RBACAuthorizer.Authorize and
 * VisitRulesFor (pkg/registry/rbac/validation/rule.go): ClusterRoleBindings first, then the RoleBindings of
 * the request's namespace (only when the request has one); the first allowing rule wins.
 * A superuser (`system:masters`) is allowed before RBAC is consulted.
 */
import type { Subject, UserInfo, AccessRequest } from './types.js';
import { isNonResourceRequest } from './types.js';
import { isSuperuser, subjectKeysOf, userInfoOf } from './identity.js';
import { ruleAllows } from './matching.js';
import type { IndexedBinding, RbacIndex } from './rbac-index.js';

export interface Decision {
  allowed: boolean;
  /** The binding that allowed it (first one found), or "superuser". */
  reason?: { binding: string; role: string } | 'superuser';
}

/** Bindings that apply to a user.Info (either scope), deduplicated. */
export function bindingsFor(index: RbacIndex, info: UserInfo): IndexedBinding[] {
  const seen = new Set<string>();
  const out: IndexedBinding[] = [];
  for (const key of subjectKeysOf(info)) {
    for (const b of index.bindingsOfSubject(key)) {
      if (seen.has(b.key)) continue;
      seen.add(b.key);
      out.push(b);
    }
  }
  return out;
}

export function authorize(index: RbacIndex, who: Subject | UserInfo, req: AccessRequest): Decision {
  const info = 'groups' in who ? who : userInfoOf(who);
  if (isSuperuser(info)) return { allowed: true, reason: 'superuser' };
  const ns = isNonResourceRequest(req) ? undefined : req.namespace;
  const bindings = bindingsFor(index, info);
  const ordered = [
    ...bindings.filter((b) => b.binding.kind === 'ClusterRoleBinding'),
    ...bindings.filter((b) => b.binding.kind === 'RoleBinding' && ns !== undefined && ns !== '' && b.binding.namespace === ns),
  ];
  for (const b of ordered) {
    for (const rule of index.rulesOf(b)) {
      if (ruleAllows(rule, req)) return { allowed: true, reason: { binding: b.key, role: b.roleLabel } };
    }
  }
  return { allowed: false };
}
