import { isClusterAdminRule } from '../../../analysis/rbac/abilities.js';
import type { Severity } from '../../../core/model.js';
import { isBuiltinApiGroup } from '../../../core/ref.js';
import { defineRoleRiskRule, verbsText } from '../role-risk.js';

const READ_VERBS = new Set(['get', 'list', 'watch']);

/**
 * "*" in verbs, resources, API groups or non-resource URLs grants everything that exists now and everything added
 * later (CRDs, new subresources, new verbs). CIS 5.1.3; Kyverno restrict-wildcard-verbs / restrict-wildcard-resources.
 *
 * Severity follows what the wildcard reaches; the dangerous grants it may include (reading Secrets, exec,
 * escalate, …) are judged by their own rules on the same entry, and the findings merge into one at the highest
 * severity:
 * - every verb on every resource of every group: cluster-admin equivalent, high (critical is for the binding of a
 *   service account to it: an unbound role grants nobody anything);
 * - writes through a wildcard in built-in groups: medium (least privilege; what it can reach now is judged elsewhere);
 * - read-only verbs, or a wildcard confined to groups Kubernetes does not serve itself (custom resources, aggregated
 *   APIs such as metrics.k8s.io): low.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-wildcard-permissions',
    title: 'Role uses wildcards in verbs, resources or API groups',
    description:
      'A "*" in a rule grants every verb, resource or API group, including ones added later by CRDs and upgrades ' +
      '(for example escalate, bind, impersonate, or secrets-bearing custom resources). Least privilege needs explicit lists. ' +
      'A rule granting every verb on every resource of every group is reported as cluster-admin equivalent.',
    severity: 'medium',
    severityReason: 'least privilege: writes through "*" in built-in groups medium, read-only or custom-resource wildcards low, every verb on every resource (cluster-admin equivalent) high; the dangerous grants inside are judged by their own rules on the same entry',
    messages: {
      everything: '{{kind}} "{{name}}" grants every verb on every resource of every API group: it is equivalent to cluster-admin',
      wildcard: '{{kind}} "{{name}}" grants {{verbs}} on {{resources}} through "*" in {{fields}}',
    },
    remediation: 'Replace "*" with the explicit verbs, resources and API groups the subject needs.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources',
    ],
    compliance: { cis: ['5.1.3'], mitre: ['T1078'] },
  },
  (rule) => {
    const fields = (['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const).filter((f) => rule[f].includes('*'));
    if (fields.length === 0) return undefined;
    if (isClusterAdminRule(rule)) return { messageId: 'everything', severity: 'high', lead: true };
    const builtin = rule.apiGroups.some((g) => g === '*' || isBuiltinApiGroup(g));
    const readOnly = rule.verbs.every((v) => READ_VERBS.has(v));
    const severity: Severity = builtin && !readOnly ? 'medium' : 'low';
    const groups = rule.apiGroups.includes('*') ? 'every API group' : `API group${rule.apiGroups.length === 1 ? '' : 's'} ${rule.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', ')}`;
    const resources = rule.nonResourceURLs.length
      ? `non-resource URLs ${rule.nonResourceURLs.join(', ')}`
      : `${rule.resources.includes('*') ? 'every resource' : rule.resources.join(', ')} of ${groups}`;
    return { messageId: 'wildcard', severity, lead: true, data: { verbs: verbsText(rule, rule.verbs), resources, fields: fields.join(', ') } };
  },
);
