import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-proc-mount-restricted',
  checkId: 'procMount_restricted',
  upstreamFile: 'check_procMount_restricted.go',
  title: 'Unmasked /proc mount (restricted)',
  description:
    'Pod Security Standards restricted requires securityContext.procMount to be unset or Default on every container, ' +
    'even for pods in a user namespace (from policy v1.35 it replaces the relaxed baseline procMount check).',
  severity: 'medium',
  severityReason: 'an unmasked /proc exposes kernel interfaces that ease an escape; no escape by itself',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  compliance: { nsa: ['Pod security'], mitre: ['T1611'] },
});
