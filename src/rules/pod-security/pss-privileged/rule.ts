import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-privileged',
  checkId: 'privileged',
  upstreamFile: 'check_privileged.go',
  title: 'Privileged containers',
  description:
    'Privileged containers disable almost every isolation mechanism (all capabilities, all devices, no seccomp or ' +
    'AppArmor confinement). Pod Security Standards baseline forbids securityContext.privileged=true on any container, ' +
    'init container or ephemeral container.',
  severity: 'critical',
  severityReason: 'a privileged container is root on the node: every device, every kernel interface',
  remediation: 'Remove securityContext.privileged or set it to false; grant only the specific capabilities the workload needs.',
  compliance: { cis: ['5.2.2'], nsa: ['Pod security'], mitre: ['T1611'] },
});
