import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-sysctls',
  checkId: 'sysctls',
  upstreamFile: 'check_sysctls.go',
  title: 'Unsafe sysctls',
  description:
    'Pod Security Standards baseline allows spec.securityContext.sysctls to set only the "safe" sysctls, which are ' +
    'namespaced and isolated from other pods (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, ' +
    'net.ipv4.tcp_syncookies, … — the list grows with the policy version; the latest is used unless pinned).',
  severity: 'medium',
  severityReason: 'unsafe sysctls change kernel settings shared with the node',
  remediation: 'Remove the unsafe sysctl, or move the workload to dedicated nodes managed outside the baseline profile.',
  compliance: { nsa: ['Pod security'] },
});
