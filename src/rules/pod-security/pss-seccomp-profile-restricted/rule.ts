import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-seccomp-profile-restricted',
  checkId: 'seccompProfile_restricted',
  upstreamFile: 'check_seccompProfile_restricted.go',
  title: 'Seccomp profile not set',
  description:
    'Pod Security Standards restricted requires seccompProfile.type RuntimeDefault or Localhost, set at pod level or ' +
    'on every container (a container may omit it only when the pod level sets an allowed value). Windows pods are ' +
    'exempt from policy v1.25.',
  severity: 'low',
  severityReason: 'no profile set: the runtime default may or may not apply (Unconfined on older runtimes); hardening',
  remediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault.',
  compliance: { cis: ['5.7.2'], nsa: ['Pod security'] },
});
