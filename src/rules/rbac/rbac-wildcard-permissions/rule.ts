import { defineRoleRiskRule } from '../role-risk.js';
import type { RiskHit } from '../role-risk.js';

/**
 * "*" in verbs, resources or apiGroups grants everything that exists now and everything added later
 * (CRDs, new subresources, new verbs). CIS 5.1.3; Kyverno restrict-wildcard-verbs / restrict-wildcard-resources.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-wildcard-permissions',
    title: 'Role uses wildcards in verbs, resources or API groups',
    description:
      'A "*" in a rule grants every verb, resource or API group, including ones added later by CRDs and upgrades ' +
      '(for example escalate, bind, impersonate, or secrets-bearing custom resources). Least privilege needs explicit lists.',
    severity: 'high',
    messages: { wildcard: '{{kind}} "{{name}}" grants "*" in {{field}}' },
    remediation: 'Replace "*" with the explicit verbs, resources and API groups the subject needs.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources',
    ],
    compliance: { cis: ['5.1.3'], mitre: ['T1078'] },
  },
  (_rule, raw) => {
    const hits: RiskHit[] = [];
    for (const field of ['verbs', 'resources', 'apiGroups'] as const) {
      const list = raw[field];
      if (!Array.isArray(list)) continue;
      const i = list.indexOf('*');
      if (i >= 0) hits.push({ messageId: 'wildcard', data: { field }, subPath: `/${field}/${i}` });
    }
    return hits;
  },
);
