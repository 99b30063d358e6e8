import { defineRule } from '../../../core/rule.js';
import { CONTROL_PLANE_KINDS, checkComponent } from '../control-plane.js';

function isLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === 'localhost';
}

/**
 * The insecure port serves the API over plain HTTP with no authentication and no authorization. It had to be 0
 * from Kubernetes 1.20 and the flags were removed in 1.24; older clusters (CIS Kubernetes Benchmark v1.20,
 * 1.2.17 --insecure-bind-address not set and 1.2.18 --insecure-port=0) still carry them. --secure-port=0
 * (1.2.19 of that benchmark) turns TLS off.
 */
export default defineRule({
  id: 'apiserver-insecure-port',
  title: 'API server serves an unauthenticated HTTP port',
  description:
    'kube-apiserver\'s insecure port bypasses authentication and authorization entirely: whoever reaches it is cluster-admin. ' +
    'It is bound to a non-loopback address with --insecure-bind-address, or enabled with a non-zero --insecure-port.',
  category: 'cluster',
  severity: 'critical',
  severityReason: 'an unauthenticated, unauthorised HTTP port is full control of the cluster for anyone who reaches it',
  kinds: CONTROL_PLANE_KINDS,
  messages: {
    port: 'kube-apiserver ({{origin}}) serves the unauthenticated insecure port {{value}}',
    bind: 'kube-apiserver ({{origin}}) binds the insecure port to {{value}}, reachable from the network',
    securePortOff: 'kube-apiserver ({{origin}}) sets --secure-port=0: no TLS endpoint',
  },
  remediation: 'Remove --insecure-bind-address and set --insecure-port=0 (or upgrade: the flags are gone since Kubernetes 1.24); keep --secure-port non-zero.',
  references: ['https://kubernetes.io/docs/concepts/security/controlling-access/#transport-security', 'https://github.com/kubernetes/kubernetes/pull/95856'],
  compliance: { mitre: ['T1190'] },
  check(ctx, resource) {
    checkComponent(ctx, resource, 'kube-apiserver', (c) => {
      const port = c.flags.get('insecure-port');
      const bind = c.flags.get('insecure-bind-address');
      const secure = c.flags.get('secure-port');
      if (port && port.value !== '0') ctx.report({ messageId: 'port', path: port.path, data: { origin: c.origin, value: port.value } });
      if (bind && !isLoopback(bind.value) && port?.value !== '0') ctx.report({ messageId: 'bind', path: bind.path, data: { origin: c.origin, value: bind.value } });
      if (secure?.value === '0') ctx.report({ messageId: 'securePortOff', path: secure.path, data: { origin: c.origin } });
    });
  },
});
