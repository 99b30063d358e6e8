import { defineRule } from '../../../core/rule.js';
import { reachSeverity } from '../../../analysis/rbac/escalation/severity.js';
import type { Subject } from '../../../analysis/rbac/types.js';
import { isClusterAdminRule } from '../../../analysis/rbac/abilities.js';
import type { PolicyRule } from '../../../analysis/rbac/types.js';
import { resolveBinding } from '../binding-role.js';
import type { BindingRiskOptions } from '../binding-exempt.js';
import { BINDING_RISK_OPTIONS, isSystemBinding } from '../binding-exempt.js';

/**
 * Bindings to cluster-admin, or to any role that is cluster-admin in effect (a "*" verb on "*" resources in
 * "*" groups). The role is resolved against the scanned objects and the bootstrap policy, so a custom
 * all-wildcard ClusterRole counts too (as in Polaris clusterrolebindingClusterAdmin). CIS 5.1.1.
 *
 * Severity (analysis/rbac/escalation/severity.ts, as `rbac paths` grades it): critical for a ClusterRoleBinding
 * naming a service account, or a group every account or caller is in — whatever runs as the account owns the
 * cluster; high for named users and groups (a deliberate, if risky, admin grant) and for a RoleBinding (one
 * namespace). The binding, its service accounts and the workloads running as them are one problem, reported once
 * here, where it is fixed.
 */
const READ_WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** "*" on every resource of every group with every verb, or with every read/write verb spelled out (as Polaris counts it). */
function isFullAccess(rule: PolicyRule): boolean {
  if (isClusterAdminRule(rule)) return true;
  return rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0 && READ_WRITE.every((v) => rule.verbs.includes(v));
}

function subjectWords(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`;
}

export default defineRule({
  id: 'rbac-cluster-admin-binding',
  title: 'Binding grants cluster-admin',
  description:
    'cluster-admin (or any role granting every verb — or every read/write verb — on every resource) is unrestricted control: through a ' +
    'ClusterRoleBinding over the whole cluster, through a RoleBinding over everything in the namespace, Secrets included.',
  category: 'rbac',
  severity: 'critical',
  severityReason: 'critical for a ClusterRoleBinding naming a service account or an everyone-group (whatever runs as it owns the cluster); high for named users and groups and for a RoleBinding (one namespace)',
  kinds: ['ClusterRoleBinding', 'RoleBinding'],
  messages: {
    cluster: 'ClusterRoleBinding "{{name}}" grants {{role}} (every verb on every resource) cluster-wide to {{subjects}}',
    namespace: 'RoleBinding "{{name}}" grants {{role}} (every verb on every resource) in namespace {{namespace}} to {{subjects}}',
  },
  remediation: 'Bind a role limited to what the subjects need; keep cluster-admin for break-glass accounts.',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles',
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
  ],
  compliance: { cis: ['5.1.1'], mitre: ['T1078', 'T1098.006'] },
  ...BINDING_RISK_OPTIONS,
  check(ctx, resource, options: BindingRiskOptions) {
    const obj = resource.object;
    if (options.ignoreSystemBindings !== false && isSystemBinding(obj)) return;
    const resolved = resolveBinding(ctx.resources, obj);
    if (!resolved) return;
    const { binding, rules } = resolved;
    const isAdmin = binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === 'cluster-admin' ? true : (rules ?? []).some(isFullAccess);
    // a binding without subjects grants nobody anything
    if (!isAdmin || binding.subjects.length === 0) return;
    const cluster = binding.kind === 'ClusterRoleBinding';
    const critical = cluster && binding.subjects.some((s) => reachSeverity(s, 'cluster-admin', 1) === 'critical');
    const accounts = cluster ? binding.subjects.filter((s) => s.kind === 'ServiceAccount').map((s) => `cluster-admin:sa:${s.namespace ?? ''}/${s.name}`) : [];
    ctx.report({
      messageId: cluster ? 'cluster' : 'namespace',
      path: '/roleRef',
      data: { name: binding.name, role: `${binding.roleRef.kind} ${binding.roleRef.name}`, namespace: binding.namespace ?? '', subjects: binding.subjects.map(subjectWords).join(', ') },
      severity: critical ? 'critical' : 'high',
      ...(accounts.length ? { problems: accounts, lead: true } : {}),
    });
  },
});
