import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

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
    severityReason: 'a shell in running containers takes over their identity and data; medium for get alone (enough only before Kubernetes 1.30)',
    messages: { sub: '{{kind}} "{{name}}" grants {{verbs}} on {{subresources}}' },
    remediation: 'Remove pods/exec, pods/attach and pods/portforward from roles used by people and automation that do not need interactive access.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation',
      'https://github.com/FairwindsOps/polaris/blob/master/checks/clusterrolePodExecAttach.yaml',
    ],
    compliance: { mitre: ['T1609'] },
  },
  (rule) => {
    const subs: string[] = [];
    const verbs = new Set<string>();
    for (const subresource of ['exec', 'attach', 'portforward']) {
      const v = allowedVerbs(rule, '', 'pods', ['create', 'get'], subresource);
      if (!v.length) continue;
      subs.push(`pods/${subresource}`);
      for (const x of v) verbs.add(x);
    }
    if (!subs.length) return undefined;
    // Since 1.30 the API server authorizes the websocket upgrade of exec/attach/portforward as create, so get alone
    // works only on older clusters (or with AuthorizePodWebsocketUpgradeCreatePermission off).
    return { messageId: 'sub', severity: verbs.has('create') ? undefined : 'medium', data: { verbs: verbsText(rule, [...verbs]), subresources: subs.join(', ') } };
  },
);
