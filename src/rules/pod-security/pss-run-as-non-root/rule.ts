import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-run-as-non-root',
  checkId: 'runAsNonRoot',
  upstreamFile: 'check_runAsNonRoot.go',
  title: 'Containers not required to run as non-root',
  description:
    'Pod Security Standards restricted requires securityContext.runAsNonRoot: true, at pod level or on every ' +
    'container, and forbids setting it to false anywhere. Since policy v1.35 pods in a user namespace ' +
    '(spec.hostUsers: false) are exempt, as their root is unprivileged on the node.',
  severity: 'medium',
  severityReason: 'a container that may run as root makes every escape easier',
  remediation: 'Set spec.securityContext.runAsNonRoot: true (and run the image as a non-zero UID), or use hostUsers: false.',
  compliance: { cis: ['5.2.7'], nsa: ['Pod security'] },
});
