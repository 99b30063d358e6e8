import { defineRule } from '../../../core/rule.js';
import { checkProbe } from '../probes.js';

export default defineRule({
  id: 'liveness-probe-missing',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['livenessProbeMissing'],
  title: 'Container has no liveness probe',
  description:
    'Without a liveness probe the kubelet cannot restart a container that hangs without exiting. Applies to regular ' +
    'containers of long-running workloads; init and ephemeral containers and run-to-completion pods (Jobs, CronJobs, ' +
    'restartPolicy Never/OnFailure) are not checked.',
  category: 'workload',
  severity: 'low',
  severityReason: 'availability, not security',
  kinds: 'pod-bearing',
  messages: { missing: '{{container}} has no livenessProbe' },
  remediation: 'Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails only when the process is wedged.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
  compliance: {},
  check(ctx, resource) {
    checkProbe(ctx, resource, 'livenessProbe');
  },
});
