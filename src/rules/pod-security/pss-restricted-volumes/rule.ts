import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-restricted-volumes',
  checkId: 'restrictedVolumes',
  upstreamFile: 'check_restrictedVolumes.go',
  title: 'Volume types outside the restricted set',
  description:
    'Pod Security Standards restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, ' +
    'persistentVolumeClaim, projected and secret volumes. Other inline sources (hostPath, nfs, gitRepo, iscsi, rbd, ' +
    'cloud disks…) bypass PersistentVolume governance and some reach node resources directly.',
  severity: 'medium',
  severityReason: 'volume types outside the restricted set (hostPath, network filesystems, …) reach data outside the pod; what a hostPath mounts is graded by sensitive-host-path-mount',
  remediation: 'Use a PersistentVolumeClaim (or CSI / ephemeral volume) instead of the inline volume source.',
  compliance: { cis: ['5.2.12'], nsa: ['Pod security'] },
});
