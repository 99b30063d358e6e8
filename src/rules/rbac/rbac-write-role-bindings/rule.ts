import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

/**
 * Writing RoleBindings/ClusterRoleBindings hands roles to anyone. RBAC still checks that the writer holds the
 * bound permissions (or has bind), but the writer can hand its own rights to identities it controls, and
 * together with bind it is full escalation.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-write-role-bindings',
    title: 'Role grants writing RoleBindings or ClusterRoleBindings',
    description:
      'Creating or changing bindings moves rights between identities: the holder can give its own rights to any ' +
      'user or service account, and with the bind verb can grant roles it does not hold, up to cluster-admin.',
    severity: 'medium',
    severityReason: 'without bind, RBAC lets the writer hand out only rights it holds itself; with bind it is rbac-escalate-bind',
    messages: { write: '{{kind}} "{{name}}" grants {{verbs}} on {{resources}}' },
    remediation: 'Reserve binding management for cluster and namespace administrators; use GitOps review for RBAC changes.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb',
    ],
    compliance: { mitre: ['T1098.006'] },
  },
  (rule) => {
    const verbs = new Set<string>();
    const hit: string[] = [];
    for (const r of ['rolebindings', 'clusterrolebindings']) {
      const v = allowedVerbs(rule, 'rbac.authorization.k8s.io', r, ['create', 'update', 'patch']);
      if (v.length) {
        hit.push(r);
        for (const x of v) verbs.add(x);
      }
    }
    // Without bind, RBAC lets the writer bind only what it holds itself: it moves its own rights (rbac-escalate-bind
    // reports bind); medium.
    return hit.length ? { messageId: 'write', data: { verbs: verbsText(rule, [...verbs]), resources: hit.join(', ') } } : undefined;
  },
);
