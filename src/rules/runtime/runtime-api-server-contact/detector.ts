import { defineDetector, type DetectorContext } from '../../../core/detector.js';
import type { NetEndpoint } from '../../../core/events/model.js';
import { inContainer, outgoing } from '../match.js';

interface Options extends Record<string, unknown> {
  /** API server addresses (`ip` or `ip:port`) besides those the cluster snapshot names: the common defaults. */
  apiServers: string[];
  /** Namespaces whose workloads talk to the API server by design. */
  ignoreNamespaces: string[];
}

const API_NAMES = /^kubernetes(?:\.default(?:\.svc(?:\.cluster\.local)?)?)?\.?$/;

/**
 * Falco's "Contact K8S API Server From Container" is the noisiest rule in the field (one report: 29k of 33k daily
 * detections), because most pods that call the API server are meant to. This detector keeps quiet where posture
 * or the baseline says the call is expected — the service account has API permissions, the baseline has the peer —
 * and reports, once per workload, a call from a workload whose service account may do nothing with the API (or
 * mounts no token: then the call is probing) and, when nothing is known, at low severity.
 */
export default defineDetector<Options>({
  id: 'runtime-api-server-contact',
  title: 'Container contacts the Kubernetes API server unexpectedly',
  description:
    'A container connected to the Kubernetes API server although its service account has no permissions to use there, ' +
    'mounts no token, or its baseline never did so. From a compromised container this is discovery and the path to ' +
    'privilege escalation. Where posture is not known the contact is reported at low severity, once per workload.',
  category: 'runtime',
  severity: 'low',
  events: ['network.connect', 'network.flow'],
  messages: {
    noPermissions: 'Container {{container}} contacted the API server ({{peer}}) but its service account {{sa}} has no API permissions',
    noToken: 'Container {{container}} contacted the API server ({{peer}}) without a service account token mounted (probing)',
    notInBaseline: 'Container {{container}} contacted the API server ({{peer}}), which its locked baseline does not include',
    contact: 'Container {{container}} contacted the API server ({{peer}})',
  },
  remediation:
    'If the workload does not need the API, set automountServiceAccountToken: false and deny egress to the API server ' +
    'with a NetworkPolicy; if it does, give it a dedicated service account with the least permissions and learn a baseline.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
  compliance: { mitre: ['T1613', 'T1552.007'] },
  covers: { falco: ['Contact K8S API Server From Container'] },
  defaultOptions: { apiServers: ['10.96.0.1:443', '10.100.0.1:443', '172.20.0.1:443', '10.0.0.1:443', '10.43.0.1:443', '10.152.183.1:443'], ignoreNamespaces: ['kube-system'] },
  optionsSchema: { type: 'object', properties: { apiServers: { type: 'array', items: { type: 'string' } }, ignoreNamespaces: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
  create(options) {
    const defaults = new Set(options.apiServers);
    const ignore = new Set(options.ignoreNamespaces);
    const isApi = (ctx: DetectorContext, d: NetEndpoint) =>
      d.reserved?.includes('kube-apiserver') ||
      d.names?.some((n) => API_NAMES.test(n)) ||
      (d.ip !== undefined && (ctx.isApiServer(d.ip, d.port) || defaults.has(d.ip) || (d.port !== undefined && defaults.has(`${d.ip}:${d.port}`))));
    return (ctx, e) => {
      if (!outgoing(e) || !inContainer(e.workload) || ignore.has(e.workload.namespace ?? '')) return;
      if (e.kind === 'network.flow' && e.network.verdict === 'DROPPED') return;
      const d = e.network.dst;
      if (!isApi(ctx, d)) return;
      const peer = `${d.ip ?? d.names?.[0] ?? '?'}${d.port ? ':' + d.port : ''}`;
      const baseline = ctx.baseline(e.workload);
      if (baseline?.hasPeer(d.ip ?? '', d.port, e.network.protocol) || (d.names ?? []).some((n) => baseline?.hasPeer(n, d.port, e.network.protocol))) return;
      const facts = ctx.facts(e.workload);
      const data = { container: e.workload.container ?? e.workload.pod ?? '?', peer, sa: e.workload.serviceAccount ?? 'default' };
      if (facts?.tokenMounted === false) return ctx.report({ messageId: 'noToken', data, severity: 'high' });
      if (facts?.apiPermissions === false) return ctx.report({ messageId: 'noPermissions', data, severity: 'medium' });
      if (facts?.apiPermissions === true) return;
      if (baseline) return ctx.report({ messageId: 'notInBaseline', data, severity: 'medium' });
      ctx.report({ messageId: 'contact', data });
    };
  },
});
