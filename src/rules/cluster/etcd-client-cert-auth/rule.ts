import { defineRule } from '../../../core/rule.js';
import { CONTROL_PLANE_KINDS, checkComponent, flagPath } from '../control-plane.js';

function hosts(urls: string): { url: string; scheme: string; host: string }[] {
  return urls.split(',').map((u) => u.trim()).filter(Boolean).map((url) => {
    const m = /^(\w+):\/\/(\[[^\]]+\]|[^:/]+)/.exec(url);
    return { url, scheme: m?.[1] ?? '', host: (m?.[2] ?? '').replace(/^\[|\]$/g, '') };
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * etcd holds every object of the cluster, Secrets included: it must demand client certificates
 * (--client-cert-auth=true, CIS 2.2), serve TLS (--cert-file/--key-file, CIS 2.1), not self-sign (--auto-tls,
 * CIS 2.3), and authenticate peers (--peer-client-cert-auth, CIS 2.5); kube-bench reads the flags or the
 * ETCD_* variables. Listening on a non-loopback address over http:// or without client-cert auth exposes it.
 */
export default defineRule({
  id: 'etcd-client-cert-auth',
  title: 'etcd accepts clients without certificates, or is exposed',
  description:
    'Whoever can talk to etcd reads and writes every object of the cluster, Secrets included, bypassing authentication, ' +
    'authorization and admission. etcd must require client certificates, use real TLS, and not listen in plain text off the host.',
  category: 'cluster',
  severity: 'critical',
  severityReason: 'etcd without client certificates (or listening in plain text) lets whoever reaches it read and rewrite all cluster state, Secrets included',
  kinds: CONTROL_PLANE_KINDS,
  messages: {
    clientCertAuth: 'etcd ({{origin}}) does not require client certificates (--client-cert-auth={{value}})',
    noTls: 'etcd ({{origin}}) has no --cert-file/--key-file: clients talk to it without TLS',
    autoTls: 'etcd ({{origin}}) uses self-signed --auto-tls certificates',
    peerCertAuth: 'etcd ({{origin}}) does not authenticate peers (--peer-client-cert-auth={{value}})',
    plaintextListener: 'etcd ({{origin}}) listens for clients in plain text on {{url}}',
    exposed: 'etcd ({{origin}}) listens on {{url}} beyond the host without client-certificate authentication',
  },
  remediation: 'Run etcd with --client-cert-auth=true, --cert-file/--key-file and --trusted-ca-file from a dedicated CA, --peer-client-cert-auth=true, no --auto-tls, and https:// client URLs only.',
  references: ['https://etcd.io/docs/v3.5/op-guide/security/', 'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-etcd-clusters'],
  compliance: { cis: ['2.1', '2.2', '2.3', '2.5'], mitre: ['T1552.007'] },
  check(ctx, resource) {
    checkComponent(ctx, resource, 'etcd', (c) => {
      const data = { origin: c.origin };
      const at = (flag: string): string => flagPath(c, flag);
      const clientAuth = c.flags.get('client-cert-auth')?.value ?? 'false';
      if (clientAuth !== 'true') ctx.report({ messageId: 'clientCertAuth', path: at('client-cert-auth'), data: { ...data, value: clientAuth } });
      if (!c.flags.has('cert-file') || !c.flags.has('key-file')) ctx.report({ messageId: 'noTls', path: at(c.flags.has('cert-file') ? 'key-file' : 'cert-file'), data });
      if (c.flags.get('auto-tls')?.value === 'true') ctx.report({ messageId: 'autoTls', path: at('auto-tls'), data });
      const peerAuth = c.flags.get('peer-client-cert-auth')?.value ?? 'false';
      if (peerAuth !== 'true') ctx.report({ messageId: 'peerCertAuth', path: at('peer-client-cert-auth'), data: { ...data, value: peerAuth } });
      const listen = c.flags.get('listen-client-urls');
      // etcd's default listen-client-urls is http://localhost:2379
      for (const h of hosts(listen?.value ?? 'http://localhost:2379')) {
        if (isLoopback(h.host)) continue;
        if (h.scheme === 'http') ctx.report({ messageId: 'plaintextListener', path: at('listen-client-urls'), data: { ...data, url: h.url } });
        else if (clientAuth !== 'true') ctx.report({ messageId: 'exposed', path: at('listen-client-urls'), data: { ...data, url: h.url } });
      }
    });
  },
});
