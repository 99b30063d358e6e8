import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-proc-mount',
  checkId: 'procMount',
  upstreamFile: 'check_procMount_baseline.go',
  title: 'Unmasked /proc mount',
  description:
    'The default /proc masks hide kernel interfaces from containers. Pod Security Standards baseline requires ' +
    'securityContext.procMount to be unset or Default; since policy v1.35 any value is allowed for pods in a user ' +
    'namespace (spec.hostUsers: false).',
  severity: 'medium',
  severityReason: 'an unmasked /proc exposes kernel interfaces that ease an escape; no escape by itself',
  remediation: 'Remove securityContext.procMount or set it to Default (or run the pod with hostUsers: false).',
  compliance: { nsa: ['Pod security'], mitre: ['T1611'] },
});
