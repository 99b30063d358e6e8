import { defineRule } from '../../../core/rule.js';
import { namespaceOf } from '../../../core/ref.js';
import { formatSelector, podSelectorOf, podTemplatesIn, policySelects } from '../policies.js';

export default defineRule({
  id: 'network-policy-selects-no-pods',
  title: 'NetworkPolicy selects no pod in the scanned set',
  description:
    'A NetworkPolicy applies only to the pods of its namespace that match spec.podSelector. A policy that matches none ' +
    'of the workloads scanned with it protects nothing: usually a label typo or a policy left behind after a rename, ' +
    'while the workloads it was written for stay open. Judged against the pod templates in the scanned set; when the ' +
    'namespace has no workload in the set the rule cannot tell and says so.',
  category: 'network',
  needsFullView: true,
  severity: 'info',
  severityReason: 'a policy that selects nothing protects nothing: usually a label typo, worth a look but not a risk itself',
  kinds: ['NetworkPolicy'],
  messages: {
    selectsNothing: 'podSelector {{selector}} matches none of the {{count}} workloads of namespace "{{namespace}}" in the scanned set',
  },
  remediation: 'Fix the podSelector labels to match the intended pods (compare with the workloads\' pod template labels), or delete the stale policy.',
  references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'],
  compliance: { nsa: ['Network separation and hardening: network policies'] },
  check(ctx, resource) {
    const obj = resource.object;
    const namespace = namespaceOf(obj) ?? 'default';
    const labelSets = podTemplatesIn(ctx.resources, namespace).map((t) => t.metadata.labels ?? {});
    if (labelSets.length === 0) {
      ctx.couldNotEvaluate(`no workload of namespace "${namespace}" in the scanned set to match the podSelector against`);
      return;
    }
    if (labelSets.some((l) => policySelects(obj, l))) return;
    ctx.report({ messageId: 'selectsNothing', path: '/spec/podSelector', data: { selector: formatSelector(podSelectorOf(obj)), count: labelSets.length, namespace } });
  },
});
