import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-seccomp-profile-baseline',
  checkId: 'seccompProfile_baseline',
  upstreamFile: 'check_seccompProfile_baseline.go',
  title: 'Seccomp explicitly disabled',
  description:
    'Pod Security Standards baseline forbids setting securityContext.seccompProfile.type (pod or containers) to ' +
    'anything other than RuntimeDefault or Localhost, i.e. explicitly running Unconfined. (Before policy v1.19 the ' +
    'seccomp.security.alpha.kubernetes.io annotations were judged instead.)',
  severity: 'medium',
  severityReason: 'Unconfined seccomp opens every syscall to the container, the kernel attack surface of most escapes',
  remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile), or remove the Unconfined setting.',
  compliance: { cis: ['5.7.2'], nsa: ['Pod security'], mitre: ['T1562.001'] },
});
