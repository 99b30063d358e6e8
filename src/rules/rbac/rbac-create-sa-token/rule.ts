import { defineRoleRiskRule, allowedVerbs } from '../role-risk.js';

/**
 * create on serviceaccounts/token (the TokenRequest API) mints a token for a service account, i.e. acts as
 * it. CIS 5.1.13.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-create-sa-token',
    title: 'Role grants creating service-account tokens',
    description:
      'The TokenRequest API (create on serviceaccounts/token) issues a token for a service account: the holder ' +
      'can act as every service account it may request tokens for, with all their rights.',
    severity: 'high',
    severityReason: 'acting as any service account of the scope; medium when limited to named accounts',
    messages: { token: '{{kind}} "{{name}}" grants create on serviceaccounts/token{{limit}}' },
    remediation: 'Remove create on serviceaccounts/token, or restrict it with resourceNames to low-privilege accounts.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request',
      'https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/',
    ],
    compliance: { cis: ['5.1.13'], mitre: ['T1528'] },
  },
  (rule) => {
    if (!allowedVerbs(rule, '', 'serviceaccounts', ['create'], 'token').length) return undefined;
    // limited by resourceNames, it acts only as the named accounts
    const named = rule.resourceNames.length > 0;
    return { messageId: 'token', severity: named ? 'medium' : undefined, data: { limit: named ? ` for ${rule.resourceNames.join(', ')}` : '' } };
  },
);
