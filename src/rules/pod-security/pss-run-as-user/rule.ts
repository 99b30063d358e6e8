import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-run-as-user',
  checkId: 'runAsUser',
  upstreamFile: 'check_runAsUser.go',
  title: 'Containers explicitly run as root (UID 0)',
  description:
    'Pod Security Standards restricted forbids securityContext.runAsUser: 0 at pod and container level (from policy ' +
    'v1.23). Since policy v1.35 pods in a user namespace (spec.hostUsers: false) are exempt.',
  severity: 'medium',
  severityReason: 'an explicit UID 0 makes every escape easier',
  remediation: 'Set runAsUser to a non-zero UID (or remove it and rely on the image\'s non-root USER).',
  compliance: { cis: ['5.2.7'], nsa: ['Pod security'] },
});
