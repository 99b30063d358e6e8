import { defineRule } from '../../../core/rule.js';
import { CONTROL_PLANE_KINDS, checkComponent, flagPath, listValue } from '../control-plane.js';

/**
 * kube-apiserver --authorization-mode defaults to AlwaysAllow (kube-apiserver reference): every authenticated
 * request is allowed. CIS 1.2.6 (nothave AlwaysAllow), 1.2.7 (has Node), 1.2.8 (has RBAC), as kube-bench tests them.
 * With --authorization-config (structured authorization) the chain is in a file that is not visible.
 */
export default defineRule({
  id: 'apiserver-authorization-mode',
  title: 'API server authorizes everything, or without Node and RBAC',
  description:
    'With AlwaysAllow (the default when --authorization-mode is not set) any authenticated identity may do anything. ' +
    'Without the Node authorizer kubelets are not confined to their own node\'s objects; without RBAC, roles and bindings are ignored.',
  category: 'cluster',
  severity: 'critical',
  severityReason: 'AlwaysAllow, or no RBAC, lets every authenticated request do anything',
  kinds: CONTROL_PLANE_KINDS,
  messages: {
    alwaysAllow: 'kube-apiserver ({{origin}}) authorizes with AlwaysAllow: every authenticated request is allowed',
    unset: 'kube-apiserver ({{origin}}) does not set --authorization-mode: the default is AlwaysAllow',
    missingNode: 'kube-apiserver ({{origin}}) authorization modes ({{modes}}) do not include Node',
    missingRbac: 'kube-apiserver ({{origin}}) authorization modes ({{modes}}) do not include RBAC',
  },
  remediation: 'Set --authorization-mode=Node,RBAC on kube-apiserver (kubeadm\'s default) and never AlwaysAllow.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/authorization/#authorization-modules'],
  compliance: { cis: ['1.2.6', '1.2.7', '1.2.8'], mitre: ['T1078'] },
  check(ctx, resource) {
    checkComponent(ctx, resource, 'kube-apiserver', (c) => {
      const flag = c.flags.get('authorization-mode');
      if (!flag) {
        if (c.flags.has('authorization-config')) ctx.couldNotEvaluate('authorization is configured in the --authorization-config file, which is not visible');
        else ctx.report({ messageId: 'unset', path: flagPath(c, 'authorization-mode'), data: { origin: c.origin } });
        return;
      }
      const modes = listValue(flag);
      const data = { origin: c.origin, modes: modes.join(',') };
      if (modes.includes('AlwaysAllow')) ctx.report({ messageId: 'alwaysAllow', path: flag.path, data });
      if (!modes.includes('Node')) ctx.report({ messageId: 'missingNode', path: flag.path, data });
      if (!modes.includes('RBAC')) ctx.report({ messageId: 'missingRbac', path: flag.path, data });
    });
  },
});
