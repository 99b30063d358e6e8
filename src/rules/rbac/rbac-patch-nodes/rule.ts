import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

/**
 * Writing Node objects changes labels and taints, which steer where sensitive pods are scheduled (attract
 * them to a compromised node), and lets a subject remove nodes. Only the Node authorizer's node identities
 * and controllers need this.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-patch-nodes',
    title: 'Role grants write access to Node objects',
    description:
      'Patching nodes changes labels and taints that decide where pods run: a subject can pull sensitive ' +
      'workloads onto a node it controls, or drain and delete nodes.',
    severity: 'medium',
    severityReason: 'labels and taints steer where sensitive pods run; an indirect escalation',
    messages: { write: '{{kind}} "{{name}}" grants {{verbs}} on nodes' },
    remediation: 'Remove update/patch/delete on nodes; use the NodeRestriction admission plugin for kubelets.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#kubernetes-rbac---privilege-escalation-risks',
      'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction',
    ],
    compliance: { mitre: ['T1611'] },
    kinds: ['ClusterRole'],
  },
  (rule) => {
    const verbs = allowedVerbs(rule, '', 'nodes', ['update', 'patch', 'delete']);
    return verbs.length ? { messageId: 'write', data: { verbs: verbsText(rule, verbs) } } : undefined;
  },
);
