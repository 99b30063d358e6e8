import { defineRule } from '../../../core/rule.js';
import { checkResources } from '../resources.js';

export default defineRule({
  id: 'memory-limit-missing',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['memoryLimitsMissing'],
  title: 'Container has no memory limit',
  description:
    'A container without a memory limit can consume all memory of its node, triggering OOM kills of other workloads ' +
    '(a denial of service or the effect of cryptomining). Covers regular and init containers.',
  category: 'workload',
  severity: 'medium',
  severityReason: 'one container can exhaust node memory and get its neighbours killed: an availability risk to others',
  kinds: 'pod-bearing',
  messages: { memory: '{{container}} has no memory limit (resources.limits.memory)' },
  remediation: 'Set resources.limits.memory on every container (commonly equal to the memory request).',
  references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
  compliance: { nsa: ['Network separation and hardening: resource policies'], mitre: ['T1496', 'T1499'] },
  check(ctx, resource) {
    checkResources(ctx, resource, 'limits', ['memory']);
  },
});
