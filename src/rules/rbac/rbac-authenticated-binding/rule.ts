import { defineSubjectRule } from '../subject-rule.js';

/**
 * system:authenticated contains every user and every service account of every namespace (and, with some
 * cloud providers, any account of the provider). Rights bound to it are held by every pod's token.
 */
export default defineSubjectRule(
  {
    id: 'rbac-authenticated-binding',
    title: 'Binding grants rights to all authenticated users',
    description:
      'The system:authenticated group (and system:serviceaccounts) contains every user and every service account, so any ' +
      'compromised pod token holds what is bound to it. On some managed clusters it also includes any account of the cloud provider.',
    severity: 'high',
    severityReason: 'every user and every pod\'s token holds what is bound',
    messages: { everyone: '{{binding}} grants {{role}} to {{subject}}, i.e. to every authenticated identity' },
    remediation: 'Bind the role to the specific users, groups or service accounts that need it.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
    ],
    compliance: { mitre: ['T1078'] },
  },
  (s) => (s.kind === 'Group' && (s.name === 'system:authenticated' || s.name === 'system:serviceaccounts') ? 'everyone' : undefined),
);
