import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';
import type { RiskHit } from '../role-risk.js';
import type { PolicyRule } from '../../../analysis/rbac/types.js';

const GROUP = 'certificates.k8s.io';

function approvalVerbs(rule: PolicyRule): string[] {
  return allowedVerbs(rule, GROUP, 'certificatesigningrequests', ['update', 'patch'], 'approval');
}

function approvesSigners(rule: PolicyRule): boolean {
  return allowedVerbs(rule, GROUP, 'signers', ['approve']).length > 0;
}

/**
 * Approving a CSR takes two permissions together: update (or patch) on certificatesigningrequests/approval, and
 * approve on the signer named by the request (signers, resourceNames the signer names or "<domain>/*")
 * (https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization). For signer
 * kubernetes.io/kube-apiserver-client that mints a client certificate for any user in any group, system:masters
 * included. CIS 5.1.11; Kyverno restrict-clusterrole-csr.
 *
 * Severity: high when the role holds both halves (reported once, at the approval entry); low when it holds only one,
 * which approves nothing unless another role bound to the same subject supplies the other half.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-csr-approval',
    title: 'Role grants approving certificate signing requests',
    description:
      'A subject that can approve CSRs (the approval subresource) for a signer it may approve can mint client ' +
      'certificates for any identity the signer accepts — for kube-apiserver-client, any user and group, including system:masters. ' +
      'High when the role grants both the approval subresource and approve on a signer; low for one half alone.',
    severity: 'high',
    severityReason: 'approving client certificates can mint any identity; low when the role holds only one of the two permissions approving needs',
    messages: {
      both: '{{kind}} "{{name}}" grants {{verbs}} on certificatesigningrequests/approval and approve on signers{{limit}}: it can approve certificate requests',
      approvalOnly: '{{kind}} "{{name}}" grants {{verbs}} on certificatesigningrequests/approval, but no approve on signers: half of what approving needs',
      signerOnly: '{{kind}} "{{name}}" grants approve on signers{{limit}}, but not the approval subresource: half of what approving needs',
    },
    remediation: 'Leave CSR approval to the controller manager; remove approval and signer-approve permissions from other subjects.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing',
    ],
    compliance: { cis: ['5.1.11'], mitre: ['T1649'] },
  },
  (rule, _raw, role): RiskHit<'both' | 'approvalOnly' | 'signerOnly'> | undefined => {
    const verbs = approvalVerbs(rule);
    const signer = role.rules.find(approvesSigners);
    const limitOf = (r: PolicyRule) => (r.resourceNames.length ? ` (${r.resourceNames.join(', ')})` : '');
    if (verbs.length) {
      if (signer) return { messageId: 'both', data: { verbs: verbsText(rule, verbs), limit: limitOf(signer) } };
      return { messageId: 'approvalOnly', severity: 'low', data: { verbs: verbsText(rule, verbs) } };
    }
    if (approvesSigners(rule) && !role.rules.some((r) => approvalVerbs(r).length > 0)) {
      return { messageId: 'signerOnly', severity: 'low', data: { limit: limitOf(rule) } };
    }
    return undefined;
  },
);
