import { defineRule } from '../../../core/rule.js';
import { podTemplateOf } from '../../../core/podspec.js';
import { namespaceOf } from '../../../core/ref.js';
import { networkPoliciesIn, policySelects } from '../policies.js';

export default defineRule({
  id: 'workload-without-network-policy',
  title: 'Workload selected by no NetworkPolicy',
  description:
    'A pod that no NetworkPolicy selects is non-isolated: it accepts connections from every pod in the cluster (and ' +
    'from outside when routed) and can connect anywhere. Without policies an attacker who compromises one pod can ' +
    'move laterally to every other. Judged against the NetworkPolicies in the scanned set.',
  category: 'network',
  needsFullView: true,
  severity: 'medium',
  severityReason: 'the workload accepts traffic from every pod: lateral movement to it is unhindered',
  kinds: 'pod-bearing',
  messages: {
    noPolicyInNamespace: '{{kind}} "{{name}}": namespace "{{namespace}}" has no NetworkPolicy, so its pods accept and send any traffic',
    notSelected: '{{kind}} "{{name}}": none of the {{count}} NetworkPolicies of namespace "{{namespace}}" selects its pods (labels {{labels}})',
  },
  remediation:
    'Add a default-deny NetworkPolicy to the namespace (podSelector: {}, policyTypes: [Ingress, Egress]) and allow the ' +
    'flows the workload needs; `kubeguard netpol generate --flows` proposes least-privilege policies from observed traffic.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
    'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  ],
  compliance: { cis: ['5.3.2'], nsa: ['Network separation and hardening: network policies'], mitre: ['T1210'] },
  check(ctx, resource) {
    const obj = resource.object;
    // a scanned controller's template stands for its pods; anything else is judged (ResourceIndex: ownership)
    if (obj.kind === 'PodTemplate' || ctx.resources.templateControllerOf(obj) !== undefined) return;
    const t = podTemplateOf(obj);
    if (!t) return;
    const namespace = namespaceOf(obj) ?? 'default';
    const policies = networkPoliciesIn(ctx.resources, namespace);
    const labels = t.metadata.labels ?? {};
    if (policies.some((p) => policySelects(p.object, labels))) return;
    const data = { kind: obj.kind ?? '', name: obj.metadata?.name ?? '', namespace };
    if (policies.length === 0) {
      // the namespace-wide gap: one problem with namespace-without-network-policy and the namespace's other workloads
      ctx.report({ messageId: 'noPolicyInNamespace', path: `${t.metadataPath}/labels`, data, problems: [`no-network-policy:${namespace}`] });
    } else {
      const text = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
      ctx.report({ messageId: 'notSelected', path: `${t.metadataPath}/labels`, data: { ...data, count: policies.length, labels: text } });
    }
  },
});
