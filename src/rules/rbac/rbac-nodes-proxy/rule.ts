import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

/**
 * nodes/proxy reaches the kubelet API, whose /exec and /run endpoints run commands in any pod of the node,
 * bypassing admission and audit of pods/exec. CIS 5.1.10.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-nodes-proxy',
    title: 'Role grants access to nodes/proxy (the kubelet API)',
    description:
      'Access to the nodes/proxy subresource is access to the kubelet API: it runs commands in every pod on the ' +
      'node without going through pods/exec authorization, admission or its audit trail.',
    severity: 'high',
    severityReason: 'the kubelet API runs commands in every pod of the node (GET is enough over websockets), past admission and audit',
    messages: { proxy: '{{kind}} "{{name}}" grants {{verbs}} on nodes/proxy' },
    remediation: 'Remove nodes/proxy; monitoring agents should use nodes/metrics or nodes/stats instead.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes',
      'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/',
    ],
    compliance: { cis: ['5.1.10'], mitre: ['T1609', 'T1611'] },
  },
  (rule) => {
    const verbs = allowedVerbs(rule, '', 'nodes', ['get', 'create', 'update', 'patch', 'delete'], 'proxy');
    return verbs.length ? { messageId: 'proxy', data: { verbs: verbsText(rule, verbs) } } : undefined;
  },
);
