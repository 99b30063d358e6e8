import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-host-path-volumes',
  checkId: 'hostPathVolumes',
  upstreamFile: 'check_hostPathVolumes.go',
  title: 'hostPath volumes',
  description:
    'A hostPath volume mounts a file or directory of the node into the pod (the container runtime socket, /etc, ' +
    '/var/lib/kubelet…), which commonly gives node-level control. Pod Security Standards baseline forbids hostPath volumes.',
  severity: 'medium',
  severityReason: 'any hostPath ties the pod to node files and breaks PSS baseline; sensitive-host-path-mount and container-runtime-socket-mount raise what it mounts to high or critical',
  remediation: 'Replace the hostPath volume with a configMap, secret, emptyDir, persistentVolumeClaim or CSI volume.',
  compliance: { cis: ['5.2.12'], nsa: ['Pod security'], mitre: ['T1611'] },
});
