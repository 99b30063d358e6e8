import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-windows-host-process',
  checkId: 'windowsHostProcess',
  upstreamFile: 'check_windowsHostProcess.go',
  title: 'Windows HostProcess containers',
  description:
    'A Windows HostProcess container runs directly on the host with the privileges of the node\'s user, the Windows ' +
    'equivalent of a privileged container. Pod Security Standards baseline forbids ' +
    'securityContext.windowsOptions.hostProcess=true on the pod and on every container.',
  severity: 'critical',
  severityReason: 'a HostProcess container is a process on the Windows node with its privileges',
  remediation: 'Remove securityContext.windowsOptions.hostProcess (or set it to false) at pod and container level.',
  compliance: { cis: ['5.2.11'], nsa: ['Pod security'], mitre: ['T1611'] },
});
