import { defineRule } from '../../../core/rule.js';
import { isJsonMap as isRecord } from '../../../core/json.js';

/** Whether a TLS host entry covers a rule host (exact, or a single-label wildcard `*.example.com`). */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (tlsHost.startsWith('*.')) {
    const suffix = tlsHost.slice(1);
    return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
  }
  return false;
}

export default defineRule({
  id: 'ingress-without-tls',
  title: 'Ingress serves plain HTTP',
  description:
    'An Ingress without spec.tls (or whose rule hosts no tls entry covers) serves its backends over unencrypted ' +
    'HTTP from outside the cluster: credentials and session cookies cross the network in clear text and can be ' +
    'read or altered in transit.',
  category: 'network',
  severity: 'medium',
  severityReason: 'traffic (credentials, cookies) crosses the network in clear text; medium because TLS is often terminated in front of the Ingress',
  kinds: ['Ingress'],
  messages: {
    noTls: 'Ingress "{{name}}" has no spec.tls: its routes are served over plain HTTP',
    hostNotCovered: 'host "{{host}}" of Ingress "{{name}}" is not covered by any spec.tls entry',
  },
  remediation:
    'Add spec.tls with the hosts and a certificate Secret (for example issued by cert-manager), and have the ' +
    'controller redirect HTTP to HTTPS.',
  references: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
  compliance: { nsa: ['Network separation and hardening'], mitre: ['T1557', 'T1040'] },
  check(ctx, resource) {
    const obj = resource.object;
    const spec = isRecord(obj.spec) ? obj.spec : {};
    const name = obj.metadata?.name ?? '';
    const tls = (Array.isArray(spec.tls) ? spec.tls : []).filter(isRecord);
    if (tls.length === 0) {
      ctx.report({ messageId: 'noTls', path: isRecord(obj.spec) ? '/spec' : '', data: { name } });
      return;
    }
    const tlsHosts = tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.map(String) : []));
    // A tls entry without hosts applies to the default (wildcard) server: it covers every host.
    if (tls.some((t) => !Array.isArray(t.hosts) || t.hosts.length === 0)) return;
    const rules = Array.isArray(spec.rules) ? spec.rules : [];
    rules.forEach((rule, i) => {
      if (!isRecord(rule) || typeof rule.host !== 'string' || rule.host === '') return;
      const host = rule.host;
      if (!tlsHosts.some((h) => covers(h, host))) ctx.report({ messageId: 'hostNotCovered', path: `/spec/rules/${i}/host`, data: { host, name } });
    });
  },
});
