import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

const RBAC = 'rbac.authorization.k8s.io';

/**
 * `escalate` lets a subject write roles with permissions it does not hold; `bind` lets it bind roles it does
 * not hold. Either defeats RBAC's built-in escalation prevention
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping).
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-escalate-bind',
    title: 'Role grants escalate or bind on roles',
    description:
      'RBAC stops a subject from granting permissions it does not hold, unless it has the escalate verb (write roles ' +
      'with more rights) or the bind verb (bind roles with more rights). Holders can make themselves cluster-admin.',
    severity: 'high',
    severityReason: 'bypasses RBAC escalation prevention up to cluster-admin; medium when limited to named roles',
    messages: { verbs: '{{kind}} "{{name}}" grants {{verbs}} on {{resource}}, which bypasses RBAC escalation prevention' },
    remediation: 'Remove escalate and bind (and "*") on roles/clusterroles; let only cluster administrators manage RBAC.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb',
    ],
    compliance: { cis: ['5.1.8'], mitre: ['T1098.006'] },
  },
  (rule) => {
    for (const resource of ['clusterroles', 'roles']) {
      const verbs = allowedVerbs(rule, RBAC, resource, ['escalate', 'bind']);
      if (!verbs.length) continue;
      // limited by resourceNames, it escalates to the named roles only (binding "view" is the common use)
      const limit = rule.resourceNames.length ? ` (only ${rule.resourceNames.join(', ')})` : '';
      return { messageId: 'verbs', severity: limit ? 'medium' : undefined, data: { verbs: rule.verbs.includes('*') ? verbsText(rule, verbs) : verbs.join(' and '), resource: resource + limit } };
    }
    return undefined;
  },
);
