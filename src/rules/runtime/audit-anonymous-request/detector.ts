import { defineDetector } from '../../../core/detector.js';
import { AddressSet } from '../../../analysis/runtime/networks.js';

const HEALTH = /^\/(?:healthz|livez|readyz)(?:$|[/?])/;
/** Load balancers' documented health-check sources: Google Cloud (35.191.0.0/16, 130.211.0.0/22). */
const PROBER_NETWORKS = ['35.191.0.0/16', '130.211.0.0/22'];

/**
 * A request the API server answered for an unauthenticated user. Allowed requests are reported (Falco "Anonymous
 * Request Allowed"); refused ones too, at low severity, since they show the API server is reachable and probed
 * (Panther Amazon.EKS.AnonymousAPIAccess). Health probes (/healthz, /livez, /readyz) are routine from private
 * addresses and load-balancer probers; from anywhere else they are reported as an exposed API server.
 */
export default defineDetector({
  id: 'audit-anonymous-request',
  title: 'Anonymous request to the API server',
  description:
    'The API server received a request from an unauthenticated user (system:anonymous). An allowed one means anonymous ' +
    'access grants something beyond discovery; refused ones and health probes from public addresses mean the API ' +
    'server is reachable from where it should not be.',
  category: 'runtime',
  severity: 'medium',
  events: ['k8s.api'],
  messages: {
    allowed: 'Anonymous {{verb}} {{target}} was allowed (from {{source}})',
    refused: 'Anonymous {{verb}} {{target}} from {{source}} was refused: the API server is reachable and probed',
    publicHealth: 'Anonymous health probe {{target}} from public address {{source}}: the API server is reachable from outside',
  },
  remediation:
    'Disable anonymous authentication (--anonymous-auth=false, or an AuthenticationConfiguration allowing it only for ' +
    'health endpoints), remove RBAC bindings to system:anonymous or system:unauthenticated, and restrict the API ' +
    'server\'s network exposure.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'],
  compliance: { mitre: ['T1078.001', 'T1190'] },
  covers: { falco: ['Anonymous Request Allowed'], panther: ['Kubernetes.API.AnonymousAccess', 'Amazon.EKS.AnonymousAPIAccess'] },
  create() {
    const probers = new AddressSet(PROBER_NETWORKS);
    return (ctx, e) => {
      if (e.kind !== 'k8s.api') return;
      const a = e.api;
      if (a.user.username !== 'system:anonymous' && !a.user.groups?.includes('system:unauthenticated')) return;
      const source = a.sourceIPs?.[0];
      const internal = source === undefined || ctx.isClusterAddress(source) || probers.has(source);
      const r = a.resource;
      const target = a.requestURI ?? (r ? `${r.resource ?? ''}${r.subresource ? '/' + r.subresource : ''}${r.namespace ? ` in ${r.namespace}` : ''}${r.name ? ` ${r.name}` : ''}` : '?');
      const data = { verb: a.verb || 'request', target: target.length > 120 ? target.slice(0, 119) + '…' : target, source: source ?? 'unknown address' };
      const refused = a.decision === 'forbid' || (a.code !== undefined && a.code >= 400);
      if (a.requestURI && HEALTH.test(a.requestURI)) {
        if (!internal) ctx.report({ messageId: 'publicHealth', data, severity: 'low', key: 'health' });
        return;
      }
      // load-balancer probers list components to check health (GKE: componentstatuses)
      if (source !== undefined && probers.has(source)) return;
      if (refused) return ctx.report({ messageId: 'refused', data, severity: 'low', key: 'refused' });
      // neither a decision nor a status: whether anything was granted is unknown
      if (a.decision === 'allow' || (a.code !== undefined && a.code < 400)) ctx.report({ messageId: 'allowed', data, key: 'allowed' });
    };
  },
});
