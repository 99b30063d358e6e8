import { definePssRule } from '../pss-rule.js';

export default definePssRule({
  id: 'pss-apparmor-profile',
  checkId: 'appArmorProfile',
  upstreamFile: 'check_appArmorProfile.go',
  title: 'AppArmor profile disabled or overridden',
  description:
    'On AppArmor hosts the runtime/default profile confines every container. Pod Security Standards baseline allows ' +
    'only RuntimeDefault or Localhost in securityContext.appArmorProfile.type (pod and containers), and only ' +
    'runtime/default or localhost/* in the deprecated container.apparmor.security.beta.kubernetes.io/* annotations.',
  severity: 'medium',
  severityReason: 'turns off a kernel confinement layer; no escape by itself',
  remediation: 'Remove the Unconfined AppArmor setting, or use type RuntimeDefault / Localhost (annotation runtime/default or localhost/<profile>).',
  compliance: { nsa: ['Pod security'], mitre: ['T1562.001'] },
});
