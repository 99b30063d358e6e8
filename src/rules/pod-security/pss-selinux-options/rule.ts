import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-selinux-options',
  checkId: 'seLinuxOptions',
  upstreamFile: 'check_seLinuxOptions.go',
  title: 'Custom SELinux options',
  description:
    'Pod Security Standards baseline restricts seLinuxOptions (pod and containers): the type must be empty or one of ' +
    'container_t, container_init_t, container_kvm_t (and container_engine_t from v1.31); user and role must not be set. ' +
    'Types such as spc_t run the container unconfined.',
  severity: 'medium',
  severityReason: 'a custom SELinux user or role can lift the confinement of the container',
  remediation: 'Remove seLinuxOptions.user and .role, and use an allowed SELinux type (or none).',
  compliance: { nsa: ['Pod security'], mitre: ['T1562.001'] },
});
