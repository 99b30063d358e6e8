import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-capabilities-baseline',
  checkId: 'capabilities_baseline',
  upstreamFile: 'check_capabilities_baseline.go',
  title: 'Capabilities beyond the default set',
  description:
    'Pod Security Standards baseline allows securityContext.capabilities.add to hold only capabilities of the ' +
    'container runtime\'s default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, ' +
    'NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). NET_RAW and everything else is forbidden.',
  // High: the capabilities outside the default set (SYS_ADMIN, SYS_PTRACE, SYS_MODULE, NET_ADMIN…) are the usual escape tools.
  severity: 'high',
  remediation: 'Remove the extra capabilities from securityContext.capabilities.add; prefer drop: ["ALL"] plus only what is needed.',
  compliance: { cis: ['5.2.8', '5.2.9'], nsa: ['Pod security'], mitre: ['T1611'] },
});
