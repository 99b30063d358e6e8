import { defineRule } from '../../../core/rule.js';
import { checkProbe } from '../probes.js';

export default defineRule({
  id: 'readiness-probe-missing',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['readinessProbeMissing'],
  title: 'Container has no readiness probe',
  description:
    'Without a readiness probe a container receives Service traffic as soon as it starts, before it can serve, and ' +
    'keeps receiving it while it is overloaded. Applies to regular containers of long-running workloads; init and ' +
    'ephemeral containers and run-to-completion pods (Jobs, CronJobs, restartPolicy Never/OnFailure) are not checked.',
  category: 'workload',
  severity: 'low',
  severityReason: 'availability, not security',
  kinds: 'pod-bearing',
  messages: { missing: '{{container}} has no readinessProbe' },
  remediation: 'Add a readinessProbe that succeeds only when the container can serve requests.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
  compliance: {},
  check(ctx, resource) {
    checkProbe(ctx, resource, 'readinessProbe');
  },
});
