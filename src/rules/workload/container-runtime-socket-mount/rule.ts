import { defineRule } from '../../../core/rule.js';
import { podView } from '../containers.js';
import { exposedRuntimeSocket, hostPathVolumes } from '../host-paths.js';

export default defineRule({
  id: 'container-runtime-socket-mount',
  // Upstream names of the same check (Polaris, Kyverno policy library, Docker build checks, Hadolint).
  aliases: ['disallow-container-sock-mounts'],
  title: 'Container runtime socket mounted into the pod',
  description:
    'A hostPath volume exposing the Docker, containerd, CRI-O (or similar) API socket, or the directory holding it, ' +
    'gives the pod full control of the node: it can start privileged containers, read every container\'s secrets ' +
    'and escape to the host.',
  category: 'workload',
  severity: 'critical',
  severityReason: 'the runtime socket controls every container on the node: an escape in one call',
  kinds: 'pod-bearing',
  messages: { socket: 'hostPath volume "{{volume}}" mounts {{hostPath}}, which exposes {{what}}' },
  remediation:
    'Remove the hostPath volume. Build images with a daemonless builder (BuildKit rootless, kaniko, buildah) and query ' +
    'container state through the Kubernetes API instead of the runtime socket.',
  references: [
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    'https://kyverno.io/policies/best-practices/disallow-cri-sock-mount/disallow-cri-sock-mount/',
  ],
  compliance: { pss: ['baseline'], cis: ['5.2.12'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1611', 'T1610', 'T1552.007'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod) return;
    for (const v of hostPathVolumes(pod.template)) {
      const what = exposedRuntimeSocket(v.hostPath);
      if (what) ctx.report({ messageId: 'socket', path: v.path, data: { volume: v.name, hostPath: v.hostPath, what } });
    }
  },
});
