import { definePssRule } from '../pss-rule.js';

/**
 * Capabilities that give the container control of the node or a known escape: every capability (ALL), mount and
 * namespace administration (SYS_ADMIN), kernel modules, ptrace of host processes, raw I/O, reboot, reading any file
 * by handle (DAC_READ_SEARCH, the "shocker" escape), network administration, BPF and LSM administration.
 */
const NODE_CONTROL = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_BOOT', 'DAC_READ_SEARCH', 'NET_ADMIN', 'BPF', 'MAC_ADMIN', 'MAC_OVERRIDE']);

export default definePssRule({
  id: 'pss-capabilities-baseline',
  checkId: 'capabilities_baseline',
  upstreamFile: 'check_capabilities_baseline.go',
  title: 'Capabilities beyond the default set',
  description:
    'Pod Security Standards baseline allows securityContext.capabilities.add to hold only capabilities of the ' +
    'container runtime\'s default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, ' +
    'NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). NET_RAW and everything else is forbidden.',
  severity: 'high',
  severityReason: 'a capability outside the runtime default set: high for those that give node control (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, BPF, ALL…), medium for the rest (e.g. SYS_TIME)',
  grade: (cap) => (NODE_CONTROL.has(String(cap).toUpperCase().replace(/^CAP_/, '')) ? 'high' : 'medium'),
  remediation: 'Remove the extra capabilities from securityContext.capabilities.add; prefer drop: ["ALL"] plus only what is needed.',
  compliance: { cis: ['5.2.8', '5.2.9'], nsa: ['Pod security'], mitre: ['T1611'] },
});
