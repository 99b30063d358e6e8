import { defineRule } from '../../../core/rule.js';
import { namespaceOf } from '../../../core/ref.js';
import { networkPoliciesIn, podTemplatesIn, policySelects } from '../policies.js';
import { isJsonMap as isRecord } from '../../../core/json.js';

export default defineRule({
  id: 'service-exposed-externally',
  title: 'Service exposed outside the cluster',
  description:
    'A Service of type LoadBalancer or NodePort, or with spec.externalIPs, accepts traffic from outside the cluster ' +
    '(a cloud load balancer, every node\'s port, or the listed addresses). Each one is attack surface to inventory; ' +
    'one whose pods no NetworkPolicy isolates is reachable from wherever the load balancer or node ports are.',
  category: 'network',
  severity: 'medium',
  severityReason: 'reachable from outside the cluster; deliberate for front ends, so medium, and what it exposes is judged by exposed-dangerous-workload',
  kinds: ['Service'],
  messages: {
    loadBalancer: 'Service "{{name}}" is of type LoadBalancer{{source}}: reachable from outside the cluster{{isolation}}',
    nodePort: 'Service "{{name}}" is of type NodePort: ports {{ports}} open on every node{{isolation}}',
    externalIPs: 'Service "{{name}}" accepts traffic for external IPs {{ips}}{{isolation}}',
  },
  remediation:
    'Prefer ClusterIP behind an Ingress or Gateway with TLS; if a load balancer is needed, restrict ' +
    'spec.loadBalancerSourceRanges and isolate the backing pods with a NetworkPolicy admitting only the served ports. ' +
    'Restrict who may set externalIPs (CVE-2020-8554) with an admission policy.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
    'https://github.com/kubernetes/kubernetes/issues/97076',
  ],
  compliance: { nsa: ['Network separation and hardening'], mitre: ['T1190'] },
  check(ctx, resource) {
    const obj = resource.object;
    const spec = isRecord(obj.spec) ? obj.spec : {};
    const name = obj.metadata?.name ?? '';
    const namespace = namespaceOf(obj) ?? 'default';
    const selector = isRecord(spec.selector) ? (spec.selector as Record<string, unknown>) : undefined;
    const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
    const hasExternalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
    if (type !== 'LoadBalancer' && type !== 'NodePort' && !hasExternalIPs) return;
    // Whether the selected workloads in the scanned set are ingress-isolated by some policy.
    let isolation = '';
    if (selector && Object.keys(selector).length > 0) {
      const templates = podTemplatesIn(ctx.resources, namespace).filter((t) => Object.entries(selector).every(([k, v]) => t.metadata.labels?.[k] === String(v)));
      const policies = networkPoliciesIn(ctx.resources, namespace);
      const open = templates.filter((t) => !policies.some((p) => policySelects(p.object, t.metadata.labels)));
      if (templates.length > 0 && open.length > 0) isolation = ` and ${open.length} of its ${templates.length} backing workloads are selected by no NetworkPolicy`;
    }
    const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord);
    if (type === 'LoadBalancer') {
      const ranges = Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length ? ` (source ranges ${spec.loadBalancerSourceRanges.join(', ')})` : ' with no loadBalancerSourceRanges';
      ctx.report({ messageId: 'loadBalancer', path: '/spec/type', data: { name, source: ranges, isolation } });
    } else if (type === 'NodePort') {
      const list = ports.map((p) => `${p.nodePort ?? '(auto)'}→${p.port}`).join(', ') || '(none)';
      ctx.report({ messageId: 'nodePort', path: '/spec/type', data: { name, ports: list, isolation } });
    }
    if (hasExternalIPs) {
      ctx.report({ messageId: 'externalIPs', path: '/spec/externalIPs', data: { name, ips: (spec.externalIPs as unknown[]).join(', '), isolation } });
    }
  },
});
