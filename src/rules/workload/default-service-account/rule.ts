import { defineRule } from '../../../core/rule.js';
import { podView } from '../containers.js';

/**
 * Pods that leave serviceAccountName unset (or set "default") run as their namespace's default ServiceAccount,
 * which every other such pod shares (CIS 5.1.5). A pod that also disables token automounting does not use the
 * identity against the API and is not reported.
 */
export default defineRule({
  id: 'default-service-account',
  title: 'Pod runs as the default service account',
  description:
    'The default ServiceAccount is shared by every pod of the namespace that does not name another one, so any ' +
    'permission granted to it leaks to all of them. Give each workload its own ServiceAccount with only the permissions it needs.',
  category: 'workload',
  severity: 'low',
  severityReason: 'a shared identity: harmful only once something grants the default account rights (rbac-default-service-account-binding)',
  kinds: 'pod-bearing',
  messages: {
    unset: '{{kind}} "{{name}}" does not set serviceAccountName, so its pods run as the "default" service account',
    explicit: '{{kind}} "{{name}}" sets serviceAccountName: default',
  },
  remediation: 'Create a dedicated ServiceAccount for the workload and set spec.serviceAccountName to it.',
  references: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
  compliance: { cis: ['5.1.5'], nsa: ['Authentication and authorization'], mitre: ['T1078.001'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod) return;
    const spec = pod.template.spec;
    if (spec.automountServiceAccountToken === false) return;
    const data = { kind: resource.ref.kind, name: resource.ref.name };
    for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
      const v = spec[field];
      if (typeof v === 'string' && v !== '') {
        if (v === 'default') ctx.report({ messageId: 'explicit', path: `${pod.template.specPath}/${field}`, data });
        return;
      }
    }
    ctx.report({ messageId: 'unset', path: `${pod.template.specPath}/serviceAccountName`, data });
  },
});
