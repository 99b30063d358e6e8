import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-capabilities-restricted',
  checkId: 'capabilities_restricted',
  upstreamFile: 'check_capabilities_restricted.go',
  title: 'Capabilities not dropped',
  description:
    'Pod Security Standards restricted requires every container to drop ALL capabilities and to add back at most ' +
    'NET_BIND_SERVICE (from policy v1.22; Windows pods exempt from v1.25).',
  severity: 'low',
  severityReason: 'only the runtime default capabilities remain when ALL is not dropped; hardening',
  remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add only NET_BIND_SERVICE if needed.',
  compliance: { cis: ['5.2.8', '5.2.9', '5.2.10'], nsa: ['Pod security'] },
});
