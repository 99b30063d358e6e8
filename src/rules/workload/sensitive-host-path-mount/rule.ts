import { defineRule } from '../../../core/rule.js';
import { podView } from '../containers.js';
import { NO_CREDENTIALS, RUNTIME_SOCKETS, hostPathVolumes, isWithin, mountedReadOnly, sensitiveReason } from '../host-paths.js';

export default defineRule({
  id: 'sensitive-host-path-mount',
  title: 'Sensitive host path mounted into the pod',
  description:
    'hostPath volumes onto host configuration and credentials (/etc, /root, /home), kernel interfaces (/proc, /sys, ' +
    '/dev), system binaries, kubelet or runtime state (/var/lib/kubelet, /var/lib/docker) or /var/log let a container ' +
    'read node credentials, tamper with the node or escape to it. A directory that contains such a path (e.g. /var) ' +
    'counts too. Runtime sockets are reported by container-runtime-socket-mount.',
  category: 'workload',
  severity: 'high',
  severityReason: 'host credentials and state readable or writable from the container: high, medium when every mount of it is read-only and the path holds no credentials (/sys, /usr, /bin, /lib, /boot)',
  kinds: 'pod-bearing',
  messages: { sensitive: 'hostPath volume "{{volume}}" mounts {{hostPath}} ({{access}}), which {{reason}}' },
  remediation:
    'Remove the hostPath volume; use ConfigMaps, Secrets, emptyDir or PersistentVolumes instead. Node agents that ' +
    'truly need host access should mount the narrowest path read-only and run in a dedicated, locked-down namespace.',
  references: [
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    'https://www.aquasec.com/blog/kubernetes-security-pod-escape-log-mounts/',
  ],
  compliance: { pss: ['baseline'], cis: ['5.2.12'], nsa: ['Pod security: Pod security enforcement'], mitre: ['T1611'] },
  check(ctx, resource) {
    const pod = podView(resource.object);
    if (!pod) return;
    for (const v of hostPathVolumes(pod.template)) {
      if (RUNTIME_SOCKETS.includes(v.hostPath)) continue;
      const reason = sensitiveReason(v.hostPath);
      if (!reason) continue;
      const readOnly = mountedReadOnly(pod.template, v.name);
      const mild = readOnly && NO_CREDENTIALS.some((p) => isWithin(v.hostPath, p));
      ctx.report({ messageId: 'sensitive', path: v.path, data: { volume: v.name, hostPath: v.hostPath, reason, access: readOnly ? 'read-only' : 'writable' }, ...(mild ? { severity: 'medium' } : {}) });
    }
  },
});
