import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

/**
 * get/list/watch on Secrets reveals their values (list and watch return full objects), including
 * service-account tokens and credentials of other systems. CIS 5.1.2.
 *
 * Severity follows the reach of the grant:
 * - a ClusterRole without resourceNames: high — bound cluster-wide it reads every Secret of the cluster;
 * - a Role without resourceNames: medium — every Secret of one namespace (its legacy service-account tokens too);
 * - limited by resourceNames: low — only the named Secrets, which is the least privilege the remediation asks for
 *   (still listed: a named Secret may be a service-account token).
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-read-secrets',
    title: 'Role grants read access to Secrets',
    description:
      'Reading Secrets exposes credentials: legacy service-account tokens (take over that account), registry, ' +
      'database and cloud credentials. list and watch return the values of every Secret, not only names. ' +
      'High for a ClusterRole, medium for a Role (one namespace), low when limited to named Secrets with resourceNames.',
    severity: 'high',
    severityReason: 'high for a ClusterRole (every Secret where bound), medium for a Role (one namespace), low when limited to named Secrets',
    messages: { read: '{{kind}} "{{name}}" grants {{verbs}} on {{what}}' },
    remediation: 'Remove get/list/watch on secrets, or limit get to the named Secrets the workload needs with resourceNames.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets',
      'https://kubernetes.io/docs/concepts/configuration/secret/#least-privilege-secrets',
    ],
    compliance: { cis: ['5.1.2'], mitre: ['T1552.007'] },
  },
  (rule, _raw, role) => {
    const verbs = allowedVerbs(rule, '', 'secrets', ['get', 'list', 'watch']);
    if (!verbs.length) return undefined;
    const named = rule.resourceNames.length > 0;
    const what = named ? `the Secrets ${rule.resourceNames.join(', ')}` : role.kind === 'ClusterRole' ? 'every Secret (of every namespace where it is bound)' : 'every Secret of its namespace';
    return { messageId: 'read', severity: named ? 'low' : role.kind === 'ClusterRole' ? 'high' : 'medium', data: { verbs: verbsText(rule, verbs), what } };
  },
);
