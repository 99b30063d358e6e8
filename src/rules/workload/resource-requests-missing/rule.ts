import { defineRule } from '../../../core/rule.js';
import { checkResources } from '../resources.js';

export default defineRule({
  id: 'resource-requests-missing',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['cpuRequestsMissing', 'memoryRequestsMissing'],
  title: 'Container has no CPU or memory request',
  description:
    'Without requests the scheduler cannot place the pod by its real needs and the pod runs as BestEffort: first to be ' +
    'evicted, and able to starve neighbours of CPU. A request set through a limit of the same resource counts (Kubernetes ' +
    'copies the limit into the request). Covers regular and init containers; ephemeral containers cannot carry resources.',
  category: 'workload',
  severity: 'low',
  severityReason: 'scheduling and eviction quality (BestEffort pods), not security',
  kinds: 'pod-bearing',
  messages: {
    cpu: '{{container}} has no CPU request (resources.requests.cpu)',
    memory: '{{container}} has no memory request (resources.requests.memory)',
  },
  remediation: 'Set resources.requests.cpu and resources.requests.memory on every container from observed usage.',
  references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
  compliance: { nsa: ['Network separation and hardening: resource policies'], mitre: ['T1496'] },
  check(ctx, resource) {
    checkResources(ctx, resource, 'requests', ['cpu', 'memory']);
  },
});
