import { defineRoleRiskRule, allowedVerbs } from '../role-risk.js';

/**
 * The impersonate verb on users, groups, serviceaccounts, uids or userextras lets a subject act as anyone
 * it may impersonate, e.g. as a member of system:masters
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation).
 */
const TARGETS: [string, string][] = [
  ['', 'users'],
  ['', 'groups'],
  ['', 'serviceaccounts'],
  ['authentication.k8s.io', 'uids'],
  ['authentication.k8s.io', 'userextras/scopes'],
];

export default defineRoleRiskRule(
  {
    id: 'rbac-impersonate',
    title: 'Role grants impersonation',
    description:
      'A subject that may impersonate users, groups or service accounts acts with their rights: impersonating group ' +
      'system:masters or a cluster-admin user is full control of the cluster.',
    severity: 'high',
    severityReason: 'acting as any user or group, system:masters included; medium when limited to named identities',
    messages: { impersonate: '{{kind}} "{{name}}" grants impersonate on {{resource}}' },
    remediation: 'Remove the impersonate verb; if needed, restrict it with resourceNames to specific, low-privilege identities.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb',
    ],
    compliance: { cis: ['5.1.8'], mitre: ['T1078'] },
  },
  (rule) => {
    const hit = TARGETS.filter(([g, r]) => allowedVerbs(rule, g, r, ['impersonate']).length > 0).map(([, r]) => r);
    if (!hit.length) return undefined;
    // limited by resourceNames, it acts only as the named identities
    const limit = rule.resourceNames.length ? ` (only ${rule.resourceNames.join(', ')})` : '';
    return { messageId: 'impersonate', severity: limit ? 'medium' : undefined, data: { resource: hit.join(', ') + limit } };
  },
);
