import { defineRule } from '../../../core/rule.js';
import { networkPoliciesIn } from '../policies.js';

export interface NamespacePolicyOptions extends Record<string, unknown> {
  ignoreNamespaces?: string[];
}

export default defineRule({
  id: 'namespace-without-network-policy',
  title: 'Namespace without any NetworkPolicy',
  description:
    'CIS Kubernetes Benchmark 5.3.2 asks that every namespace have NetworkPolicies: in a namespace with none, every ' +
    'pod is non-isolated and accepts traffic from the whole cluster. Judged against the NetworkPolicies in the ' +
    'scanned set. Namespaces without workloads of their own (kube-public, kube-node-lease) are ignored by default.',
  category: 'network',
  needsFullView: true,
  severity: 'medium',
  severityReason: 'every pod accepts traffic from the whole cluster: lateral movement is unhindered, but nothing is exposed by itself',
  kinds: ['Namespace'],
  messages: { none: 'namespace "{{namespace}}" has no NetworkPolicy: its pods accept traffic from every pod of the cluster' },
  remediation:
    'Add a default-deny policy (podSelector: {}, policyTypes: [Ingress, Egress]) to the namespace, then allow the flows ' +
    'its workloads need (for DNS, egress to kube-dns on port 53).',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
    'https://www.cisecurity.org/benchmark/kubernetes',
  ],
  compliance: { cis: ['5.3.2'], nsa: ['Network separation and hardening: network policies'], mitre: ['T1210'] },
  optionsSchema: {
    type: 'object',
    properties: { ignoreNamespaces: { type: 'array', items: { type: 'string', minLength: 1 } } },
    additionalProperties: false,
  },
  defaultOptions: { ignoreNamespaces: ['kube-public', 'kube-node-lease'] },
  check(ctx, resource, options: NamespacePolicyOptions) {
    const namespace = resource.object.metadata?.name ?? '';
    if (!namespace || (options.ignoreNamespaces ?? []).includes(namespace)) return;
    if (networkPoliciesIn(ctx.resources, namespace).length > 0) return;
    // the workloads' reports of the same gap (workload-without-network-policy) merge into this one
    ctx.report({ messageId: 'none', path: '/metadata/name', data: { namespace }, problems: [`no-network-policy:${namespace}`], lead: true });
  },
});
