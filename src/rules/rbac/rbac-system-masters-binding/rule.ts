import { defineSubjectRule } from '../subject-rule.js';

/**
 * system:masters is authorised before RBAC: its members cannot be restricted by any binding, and a client
 * certificate with O=system:masters stays valid until it expires. Binding roles to it hides where
 * superuser membership comes from. CIS 5.1.7; Kyverno restrict-binding-system-groups (restrict-masters).
 */
export default defineSubjectRule(
  {
    id: 'rbac-system-masters-binding',
    title: 'Binding names the system:masters group',
    description:
      'Members of system:masters bypass RBAC entirely and cannot be limited or revoked through RBAC. Use of the group ' +
      'should be limited to break-glass credentials; bindings that name it suggest the group is in ordinary use.',
    severity: 'high',
    severityReason: 'a binding naming system:masters means the superuser group, which RBAC cannot limit, is in ordinary use',
    messages: { masters: '{{binding}} names {{subject}}, the superuser group that bypasses RBAC' },
    remediation: 'Do not issue credentials in system:masters; grant cluster-admin through a named group bound with a ClusterRoleBinding instead.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles',
    ],
    compliance: { cis: ['5.1.7'], mitre: ['T1078'] },
  },
  (s) => (s.kind === 'Group' && s.name === 'system:masters' ? 'masters' : undefined),
);
