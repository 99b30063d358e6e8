import { defineRule } from '../../../core/rule.js';
import { CONTROL_PLANE_KINDS, checkComponent, flagPath, listValue } from '../control-plane.js';

/**
 * Admission plugins that carry security: NodeRestriction (not on by default; CIS 1.2.14, kube-bench: has
 * NodeRestriction), PodSecurity (on by default since 1.23, so only an explicit disable removes it; CIS 5.2.1 "at
 * least one active policy control mechanism"), and AlwaysAdmit, which must not be enabled (CIS 1.2.10).
 */
export default defineRule({
  id: 'apiserver-admission-plugins',
  title: 'API server admission plugins weaken security',
  description:
    'Without NodeRestriction a kubelet may modify any Node and any Pod, so one compromised node takes the cluster; with ' +
    'PodSecurity disabled, namespace Pod Security labels are ignored; AlwaysAdmit admits everything.',
  category: 'cluster',
  severity: 'high',
  severityReason: 'each of AlwaysAdmit, a missing NodeRestriction or a disabled PodSecurity removes a control that keeps one compromised node or namespace from spreading',
  kinds: CONTROL_PLANE_KINDS,
  messages: {
    noNodeRestriction: 'kube-apiserver ({{origin}}) does not enable the NodeRestriction admission plugin',
    podSecurityDisabled: 'kube-apiserver ({{origin}}) disables the PodSecurity admission plugin: pod-security.kubernetes.io labels are not enforced',
    alwaysAdmit: 'kube-apiserver ({{origin}}) enables the AlwaysAdmit admission plugin',
  },
  remediation: 'Pass --enable-admission-plugins=NodeRestriction (plus the plugins you need, never AlwaysAdmit) and keep PodSecurity out of --disable-admission-plugins.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction', 'https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
  compliance: { cis: ['1.2.10', '1.2.14', '5.2.1'], mitre: ['T1611'] },
  check(ctx, resource) {
    checkComponent(ctx, resource, 'kube-apiserver', (c) => {
      const enable = c.flags.get('enable-admission-plugins');
      const disable = c.flags.get('disable-admission-plugins');
      const enabled = listValue(enable);
      const data = { origin: c.origin };
      if (!enabled.includes('NodeRestriction')) ctx.report({ messageId: 'noNodeRestriction', path: flagPath(c, 'enable-admission-plugins'), data });
      if (enabled.includes('AlwaysAdmit')) ctx.report({ messageId: 'alwaysAdmit', path: enable!.path, data });
      if (listValue(disable).includes('PodSecurity')) ctx.report({ messageId: 'podSecurityDisabled', path: disable!.path, data });
    });
  },
});
