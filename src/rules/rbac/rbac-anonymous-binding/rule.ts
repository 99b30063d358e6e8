import { defineSubjectRule } from '../subject-rule.js';

/**
 * Bindings to the anonymous user or the unauthenticated group grant rights to every request that carries no
 * credentials — anyone who can reach the API server. Kyverno restrict-binding-system-groups
 * (restrict-anonymous, restrict-unauthenticated).
 */
export default defineSubjectRule(
  {
    id: 'rbac-anonymous-binding',
    title: 'Binding grants rights to anonymous requests',
    description:
      'system:anonymous and system:unauthenticated are whoever talks to the API server without credentials. Any role ' +
      'bound to them is public to everyone who can reach the endpoint.',
    severity: 'critical',
    severityReason: 'whatever is bound is public to everyone who can reach the API server',
    messages: { anonymous: '{{binding}} grants {{role}} to {{subject}}, i.e. to unauthenticated requests' },
    remediation: 'Remove system:anonymous / system:unauthenticated from the subjects; disable anonymous auth where possible.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
    ],
    compliance: { mitre: ['T1078.001'] },
  },
  // Matched by name whatever the kind: a Group "system:anonymous" matches nobody, but states the intent.
  (s) => (s.name === 'system:anonymous' || s.name === 'system:unauthenticated' ? 'anonymous' : undefined),
);
