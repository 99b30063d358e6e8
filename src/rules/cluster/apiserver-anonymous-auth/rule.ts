import { defineRule } from '../../../core/rule.js';
import { CONTROL_PLANE_KINDS, checkComponent, flagPath } from '../control-plane.js';

/**
 * kube-apiserver --anonymous-auth defaults to true: requests without credentials are served as
 * system:anonymous (kube-apiserver reference; CIS 1.2.1, kube-bench: flag --anonymous-auth eq false).
 * With --authentication-config (structured authentication) the setting lives in that file, which is not visible.
 */
export default defineRule({
  id: 'apiserver-anonymous-auth',
  title: 'API server accepts anonymous requests',
  description:
    'Unless --anonymous-auth=false, every request without credentials reaches the API server as system:anonymous; ' +
    'one RBAC binding to system:anonymous or system:unauthenticated then opens the cluster to anyone who can reach it.',
  category: 'cluster',
  severity: 'medium',
  severityReason: 'anonymous requests get only what RBAC grants system:anonymous (discovery and health by default); the risk is the next binding that names it',
  kinds: CONTROL_PLANE_KINDS,
  messages: {
    enabled: 'kube-apiserver ({{origin}}) sets --anonymous-auth={{value}}',
    unset: 'kube-apiserver ({{origin}}) does not set --anonymous-auth=false (the default is true)',
  },
  remediation: 'Set --anonymous-auth=false on kube-apiserver (in kubeadm: apiServer.extraArgs), keeping health checks on authenticated or dedicated endpoints.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'],
  compliance: { cis: ['1.2.1'], mitre: ['T1078'] },
  check(ctx, resource) {
    checkComponent(ctx, resource, 'kube-apiserver', (c) => {
      const flag = c.flags.get('anonymous-auth');
      if (!flag) {
        if (c.flags.has('authentication-config')) {
          ctx.couldNotEvaluate('anonymous authentication is configured in the --authentication-config file, which is not visible');
          return;
        }
        ctx.report({ messageId: 'unset', path: flagPath(c, 'anonymous-auth'), data: { origin: c.origin } });
      } else if (flag.value !== 'false') ctx.report({ messageId: 'enabled', path: flag.path, data: { origin: c.origin, value: flag.value } });
    });
  },
});
