import { isWindowsPod } from '../../../core/podspec.js';
import { defineRule } from '../../../core/rule.js';
import { containerLabel, isMap, podView } from '../containers.js';

/**
 * Every container (init and ephemeral included) should set securityContext.readOnlyRootFilesystem: true.
 * Windows pods are skipped: the field is not supported for Windows containers
 * (https://kubernetes.io/docs/concepts/windows/intro/#compatibility-v1-pod-spec-containers-securitycontext).
 */
export default defineRule({
  id: 'read-only-root-filesystem',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['notReadOnlyRootFilesystem'],
  title: 'Container root filesystem is writable',
  description:
    'A writable root filesystem lets an attacker who gains code execution drop tools, modify binaries and persist. ' +
    'Mount a read-only root filesystem and give the application explicit writable volumes (emptyDir) where it needs them.',
  category: 'workload',
  severity: 'low',
  severityReason: 'a writable root filesystem lets an intruder drop tools; defence in depth, no privilege by itself',
  kinds: 'pod-bearing',
  messages: {
    missing: '{{container}} does not set securityContext.readOnlyRootFilesystem: true',
    disabled: '{{container}} sets securityContext.readOnlyRootFilesystem: false',
  },
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true on every container and mount emptyDir volumes at the paths the application writes to (e.g. /tmp).',
  references: [
    'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
    'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  ],
  compliance: { cis: ['5.7.3'], nsa: ['Pod security: immutable container file systems'], mitre: ['T1525'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod || isWindowsPod(pod.template.spec)) return;
    for (const c of pod.containers) {
      const sc = c.container.securityContext;
      const value = isMap(sc) ? sc.readOnlyRootFilesystem : undefined;
      if (value === true) continue;
      if (value === false) {
        const path = `${c.path}/securityContext/readOnlyRootFilesystem`;
        ctx.report({ messageId: 'disabled', path, data: { container: containerLabel(c) }, fix: [{ op: 'replace', path, value: true }] });
      } else {
        ctx.report({
          messageId: 'missing',
          path: `${c.path}/securityContext/readOnlyRootFilesystem`,
          data: { container: containerLabel(c) },
          fix: isMap(sc)
            ? [{ op: 'add', path: `${c.path}/securityContext/readOnlyRootFilesystem`, value: true }]
            : [{ op: 'add', path: `${c.path}/securityContext`, value: { readOnlyRootFilesystem: true } }],
        });
      }
    }
  },
});
