import type { KubeObject } from '../../../core/model.js';
import { defineRule } from '../../../core/rule.js';
import { memo } from '../index-cache.js';

interface RbacRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** A rule granting every verb on every resource of every group, unrestricted by name (the cluster-admin rule). */
function isSuperuserRule(r: RbacRule): boolean {
  return (r.verbs ?? []).includes('*') && (r.apiGroups ?? []).includes('*') && (r.resources ?? []).includes('*') && (r.resourceNames ?? []).length === 0;
}

function superuserClusterRoles(objects: readonly { object: KubeObject }[]): Set<string> {
  const out = new Set<string>(['cluster-admin']);
  for (const { object } of objects) {
    const rules = Array.isArray(object.rules) ? (object.rules as RbacRule[]) : [];
    if (object.metadata?.name && rules.some(isSuperuserRule)) out.add(object.metadata.name);
  }
  return out;
}

/**
 * A ServiceAccount bound to cluster-admin (or any ClusterRole with the `*` `*` `*` rule): every pod running as it,
 * and whoever can read its token or create pods with it, controls the cluster (CIS 5.1.1). Bound by a
 * RoleBinding, the power is limited to that namespace, which is still full control of it.
 */
export default defineRule({
  id: 'service-account-cluster-admin',
  title: 'Service account bound to cluster-admin',
  description:
    'A ServiceAccount bound to cluster-admin turns every pod using it, and every identity able to read its token or ' +
    'run pods as it, into a cluster administrator. Controllers rarely need more than a few verbs on a few resources.',
  category: 'cluster',
  severity: 'critical',
  kinds: ['ClusterRoleBinding', 'RoleBinding'],
  messages: {
    cluster: 'ServiceAccount {{subject}} is bound to ClusterRole "{{role}}" cluster-wide: full control of the cluster',
    namespace: 'ServiceAccount {{subject}} is bound to ClusterRole "{{role}}" in namespace {{namespace}}: full control of that namespace',
  },
  remediation: 'Replace the binding with a Role/ClusterRole listing only the verbs and resources the workload uses (audit2rbac, or the audit log, show them).',
  references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  compliance: { cis: ['5.1.1'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1078.004'] },
  check(ctx, resource) {
    const binding = resource.object;
    const roleRef = binding.roleRef as { kind?: string; name?: string } | undefined;
    if (roleRef?.kind !== 'ClusterRole' || !roleRef.name) return;
    const superusers = memo(ctx.resources, 'superuserClusterRoles', () => superuserClusterRoles(ctx.resources.ofKind('ClusterRole')));
    if (!superusers.has(roleRef.name)) return;
    const subjects = Array.isArray(binding.subjects) ? (binding.subjects as { kind?: string; name?: string; namespace?: string }[]) : [];
    subjects.forEach((s, i) => {
      if (s?.kind !== 'ServiceAccount') return;
      const ns = s.namespace ?? resource.ref.namespace ?? 'default';
      const data = { subject: `${ns}/${s.name ?? ''}`, role: roleRef.name!, namespace: resource.ref.namespace ?? 'default' };
      ctx.report({ messageId: binding.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace', path: `/subjects/${i}`, data });
    });
  },
});
