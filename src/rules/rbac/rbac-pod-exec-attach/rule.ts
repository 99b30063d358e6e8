import { defineRoleRiskRule, allowedVerbs } from '../role-risk.js';
import type { RiskHit } from '../role-risk.js';

/**
 * pods/exec and pods/attach run commands inside containers (with their mounted tokens and files);
 * pods/portforward reaches their ports. The API server required `create` for these since 1.30 and `get`
 * before (websocket upgrades), so both are flagged, as Polaris does.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-pod-exec-attach',
    title: 'Role grants exec, attach or port-forward into pods',
    description:
      'exec and attach give a shell in running containers, with their service-account tokens, environment and ' +
      'files; port-forward reaches services bypassing network policy. Any of them takes over the workload.',
    severity: 'high',
    messages: { sub: '{{kind}} "{{name}}" grants {{verbs}} on pods/{{subresource}}' },
    remediation: 'Remove pods/exec, pods/attach and pods/portforward from roles used by people and automation that do not need interactive access.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation',
      'https://github.com/FairwindsOps/polaris/blob/master/checks/clusterrolePodExecAttach.yaml',
    ],
    compliance: { mitre: ['T1609'] },
  },
  (rule) => {
    const hits: RiskHit[] = [];
    for (const subresource of ['exec', 'attach', 'portforward']) {
      const verbs = allowedVerbs(rule, '', 'pods', ['create', 'get'], subresource);
      if (verbs.length) hits.push({ messageId: 'sub', data: { verbs: verbs.join('/'), subresource } });
    }
    return hits;
  },
);
