import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

/**
 * Writing admission webhook configurations lets a subject send every API request (including Secrets) to a
 * server it controls, mutate pods on creation, or switch policy enforcement off. CIS 5.1.12;
 * Kyverno restrict-clusterrole-mutating-validating-admission-webhooks.
 */
const RESOURCES = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'];

export default defineRoleRiskRule(
  {
    id: 'rbac-admission-webhook-write',
    title: 'ClusterRole grants writing admission webhook configurations',
    description:
      'Admission webhooks see and may change every matching API request. Whoever can create or change their ' +
      'configuration can read objects in flight (Secrets included), inject containers into new pods, or disable ' +
      'the policy webhooks that protect the cluster.',
    severity: 'high',
    severityReason: 'rewriting webhook configurations can disable policy engines or send every request to an attacker; low when limited to named configurations (an operator refreshing its caBundle)',
    messages: { write: '{{kind}} "{{name}}" grants {{verbs}} on {{resources}}' },
    remediation: 'Restrict writes to webhook configurations to cluster administrators and the operators that own them (resourceNames).',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks',
      'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/',
    ],
    compliance: { cis: ['5.1.12'], mitre: ['T1562.001'] },
    kinds: ['ClusterRole'],
  },
  (rule) => {
    const verbs = new Set<string>();
    const hit: string[] = [];
    for (const r of RESOURCES) {
      const v = allowedVerbs(rule, 'admissionregistration.k8s.io', r, ['create', 'update', 'patch', 'delete']);
      if (v.length) {
        hit.push(r);
        for (const x of v) verbs.add(x);
      }
    }
    if (!hit.length) return undefined;
    // limited to named configurations (an operator refreshing its own caBundle): it cannot touch the others' webhooks
    const limit = rule.resourceNames.length ? ` (only ${rule.resourceNames.join(', ')})` : '';
    return { messageId: 'write', severity: limit ? 'low' : undefined, data: { verbs: verbsText(rule, [...verbs]), resources: hit.join(', ') + limit } };
  },
);
