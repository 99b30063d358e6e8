import { defineRoleRiskRule, allowedVerbs } from '../role-risk.js';
import type { RiskHit } from '../role-risk.js';

/**
 * Approving CSRs (update/patch certificatesigningrequests/approval plus approve on a signer) issues client
 * certificates: for signer kubernetes.io/kube-apiserver-client that is any user in any group, including
 * system:masters. CIS 5.1.11; Kyverno restrict-clusterrole-csr.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-csr-approval',
    title: 'Role grants approving certificate signing requests',
    description:
      'A subject that can approve CSRs (the approval subresource) for a signer it may approve can mint client ' +
      'certificates for any identity the signer accepts — for kube-apiserver-client, any user and group, including system:masters.',
    severity: 'high',
    messages: {
      approval: '{{kind}} "{{name}}" grants {{verbs}} on certificatesigningrequests/approval',
      signer: '{{kind}} "{{name}}" grants approve on signers{{limit}}',
    },
    remediation: 'Leave CSR approval to the controller manager; remove approval and signer-approve permissions from other subjects.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing',
    ],
    compliance: { cis: ['5.1.11'], mitre: ['T1649'] },
  },
  (rule) => {
    const hits: RiskHit[] = [];
    const verbs = allowedVerbs(rule, 'certificates.k8s.io', 'certificatesigningrequests', ['update', 'patch'], 'approval');
    if (verbs.length) hits.push({ messageId: 'approval', data: { verbs: verbs.join('/') } });
    if (allowedVerbs(rule, 'certificates.k8s.io', 'signers', ['approve']).length) {
      hits.push({ messageId: 'signer', data: { limit: rule.resourceNames.length ? ` (${rule.resourceNames.join(', ')})` : '' } });
    }
    return hits;
  },
);
