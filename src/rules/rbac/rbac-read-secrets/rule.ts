import { defineRoleRiskRule, allowedVerbs } from '../role-risk.js';

/**
 * get/list/watch on Secrets reveals their values (list and watch return full objects), including
 * service-account tokens and credentials of other systems. CIS 5.1.2.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-read-secrets',
    title: 'Role grants read access to Secrets',
    description:
      'Reading Secrets exposes credentials: legacy service-account tokens (take over that account), registry, ' +
      'database and cloud credentials. list and watch return the values of every Secret, not only names.',
    severity: 'high',
    messages: { read: '{{kind}} "{{name}}" grants {{verbs}} on secrets{{limit}}' },
    remediation: 'Remove get/list/watch on secrets, or limit get to the named Secrets the workload needs with resourceNames.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets',
      'https://kubernetes.io/docs/concepts/configuration/secret/#least-privilege-secrets',
    ],
    compliance: { cis: ['5.1.2'], mitre: ['T1552.007'] },
  },
  (rule) => {
    const verbs = allowedVerbs(rule, '', 'secrets', ['get', 'list', 'watch']);
    if (!verbs.length) return undefined;
    const limit = rule.resourceNames.length ? ` (resourceNames ${rule.resourceNames.join(', ')})` : '';
    return { messageId: 'read', data: { verbs: verbs.join('/'), limit } };
  },
);
