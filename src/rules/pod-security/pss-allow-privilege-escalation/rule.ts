import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-allow-privilege-escalation',
  checkId: 'allowPrivilegeEscalation',
  upstreamFile: 'check_allowPrivilegeEscalation.go',
  title: 'Privilege escalation not disabled',
  description:
    'Unless securityContext.allowPrivilegeEscalation is false, a process can gain more privileges than its parent ' +
    '(setuid/setgid binaries, file capabilities). Pod Security Standards restricted requires it to be explicitly false ' +
    'on every container; Windows pods are exempt from policy v1.25.',
  severity: 'medium',
  severityReason: 'setuid binaries can gain privileges inside the container; no escape by itself',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container.',
  compliance: { cis: ['5.2.6'], nsa: ['Pod security'], mitre: ['T1548.001'] },
});
