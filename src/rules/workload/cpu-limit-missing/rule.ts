import { defineRule } from '../../../core/rule.js';
import { checkResources } from '../resources.js';

export default defineRule({
  id: 'cpu-limit-missing',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['cpuLimitsMissing'],
  title: 'Container has no CPU limit',
  description:
    'A container without a CPU limit may use every idle CPU of its node. Requests already guarantee fair shares under ' +
    'contention, so many teams deliberately run without CPU limits (to avoid throttling): this rule is informational ' +
    '(outside the recommended preset); raise its severity where a namespace policy (LimitRange, quota) requires limits. ' +
    'Covers regular and init containers.',
  category: 'workload',
  severity: 'info',
  severityReason: 'requests already guarantee fair CPU shares; many teams deliberately run without CPU limits',
  kinds: 'pod-bearing',
  messages: { cpu: '{{container}} has no CPU limit (resources.limits.cpu)' },
  remediation: 'Set resources.limits.cpu on every container, or document why the workload runs without one.',
  references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
  compliance: { nsa: ['Network separation and hardening: resource policies'], mitre: ['T1496'] },
  check(ctx, resource) {
    checkResources(ctx, resource, 'limits', ['cpu']);
  },
});
