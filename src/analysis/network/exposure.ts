/**
 * Exposure: what traffic from outside the cluster can reach, combining
 * - NetworkPolicy ingress admitting public (internet) addresses: ipBlocks such as 0.0.0.0/0, rules without `from`,
 *   and pods selected by no ingress policy at all;
 * - the objects that route outside traffic to pods: Services of type LoadBalancer / NodePort or with externalIPs,
 *   Ingress backends and Gateway API route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) backendRefs
 *   (Service → pods by selector, port → targetPort,
 *   named targetPorts resolved on each pod).
 * Each routed (pod, port) says whether policies admit it.
 */
import type { KubeObject } from '../../core/model.js';
import type { NetCluster, NetPod } from './cluster.js';
import { ConnSet, isProtocol, type Protocol } from './conns.js';
import { evaluateDirection, rulePorts, type Endpoint } from './evaluate.js';
import { elementaryIntervals, formatInterval, parseIpBlock, type IpBlockSet, type IpInterval } from './ip.js';
import { isJsonMap as isRecord } from '../../core/json.js';

/** Private / special-purpose ranges (RFC 1918, 6598, 3927, loopback, RFC 4193, link-local v6): not the internet. */
const NON_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '0.0.0.0/8', 'fc00::/7', 'fe80::/10', '::1/128', '::/128'].map((c) => parseIpBlock(c));

function isPublic(r: IpInterval): boolean {
  return !NON_PUBLIC.some((b) => b.cidr.family === r.family && b.cidr.start <= r.start && r.end <= b.cidr.end);
}

export interface InternetIngress {
  pod: string;
  kind: string;
  /** Connections public addresses may open to the pod (policy level). */
  connections: string;
  /** Public address ranges admitted (all of the internet when the pod is not isolated). */
  ranges: string[];
  reason: 'not-isolated' | 'policy';
  allowedBy: string[];
}

export interface RoutedExposure {
  /** e.g. "Service/LoadBalancer shop/web", "Ingress shop/web", "HTTPRoute shop/web" */
  via: string;
  pod: string;
  port: number;
  protocol: Protocol;
  /** Whether NetworkPolicy lets outside traffic through to that pod port ('depends' when the source is a controller pod). */
  admitted: 'yes' | 'no' | 'depends';
  allowedBy: string[];
  notes: string[];
}

export interface ExposureReport {
  internet: InternetIngress[];
  routes: RoutedExposure[];
}

function nsOf(o: KubeObject): string {
  return typeof o.metadata?.namespace === 'string' && o.metadata.namespace ? o.metadata.namespace : 'default';
}

function allBlocks(cluster: NetCluster): IpBlockSet[] {
  return cluster.policies.flatMap((p) => p.ingress).flatMap((r) => r.peers ?? []).flatMap((p) => (p.type === 'ipBlock' ? [p.block] : []));
}

/** Pods a Service selects (same namespace, spec.selector as equality labels; no selector selects none). */
export function servicePods(cluster: NetCluster, svc: KubeObject): NetPod[] {
  const spec = isRecord(svc.spec) ? svc.spec : {};
  if (!isRecord(spec.selector) || Object.keys(spec.selector).length === 0) return [];
  const sel = spec.selector as Record<string, unknown>;
  const ns = nsOf(svc);
  return cluster.pods.filter((p) => p.namespace === ns && Object.entries(sel).every(([k, v]) => p.labels[k] === String(v)));
}

interface SvcPort {
  name?: string;
  port: number;
  protocol: Protocol;
  targetPort: number | string;
}

function servicePorts(svc: KubeObject): SvcPort[] {
  const spec = isRecord(svc.spec) ? svc.spec : {};
  const out: SvcPort[] = [];
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isRecord(p) || typeof p.port !== 'number') continue;
    const protocol = p.protocol === undefined ? 'TCP' : p.protocol;
    if (!isProtocol(protocol)) continue;
    const tp = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : p.port;
    out.push({ ...(typeof p.name === 'string' ? { name: p.name } : {}), port: p.port, protocol, targetPort: tp });
  }
  return out;
}

/** The container port a Service targetPort reaches on a pod (named targetPorts resolve per pod). */
function targetOn(pod: NetPod, sp: SvcPort): number | undefined {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  if (/^\d+$/.test(sp.targetPort)) return Number(sp.targetPort);
  return pod.ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol)?.port;
}

export function exposure(cluster: NetCluster): ExposureReport {
  // Only the policies of a pod's own namespace can select it.
  const byNs = new Map<string, NetCluster['policies']>();
  for (const p of cluster.policies) byNs.set(p.namespace, [...(byNs.get(p.namespace) ?? []), p]);
  const ingressOf = (pod: NetPod, from: Endpoint) => evaluateDirection(cluster, 'ingress', { type: 'pod', pod }, from, { type: 'pod', pod }, {}, byNs.get(pod.namespace) ?? []);
  // Elementary intervals cut at every ipBlock and at the private ranges: each is wholly public or wholly private.
  const intervals = elementaryIntervals([...allBlocks(cluster), ...NON_PUBLIC]).filter(isPublic);
  const internet: InternetIngress[] = [];
  const publicProbe = (r: IpInterval): Endpoint => ({ type: 'ip', family: r.family, value: r.start, text: formatInterval(r) });

  for (const pod of cluster.pods) {
    let conns = ConnSet.NONE;
    const ranges: string[] = [];
    const by = new Set<string>();
    let isolated = false;
    for (const r of intervals) {
      const v = ingressOf(pod, publicProbe(r));
      isolated = v.isolated;
      if (v.conns.isEmpty()) continue;
      conns = conns.union(v.conns);
      ranges.push(formatInterval(r));
      for (const c of v.contributions) by.add(c.policy);
    }
    if (conns.isEmpty()) continue;
    const every = ranges.length === intervals.length;
    internet.push({ pod: pod.key, kind: pod.kind, connections: conns.toString(), ranges: !isolated ? ['(any)'] : every ? ['(all public addresses)'] : ranges, reason: isolated ? 'policy' : 'not-isolated', allowedBy: [...by].sort() });
  }

  const routes: RoutedExposure[] = [];
  const services = new Map(cluster.services.map((s) => [`${nsOf(s)}/${s.metadata?.name ?? ''}`, s]));
  const fromInternet = (pod: NetPod, port: number, protocol: Protocol): { admitted: boolean; by: string[] } => {
    const by = new Set<string>();
    let admitted = false;
    for (const r of intervals) {
      const v = ingressOf(pod, publicProbe(r));
      if (v.conns.has(protocol, port)) {
        admitted = true;
        for (const c of v.contributions) if (c.conns.has(protocol, port)) by.add(c.policy);
      }
    }
    return { admitted, by: [...by].sort() };
  };
  /** Whether some source may reach the port at all (used when the real source is an unknown controller pod). */
  const fromSomewhere = (pod: NetPod, port: number, protocol: Protocol): { admitted: 'yes' | 'no' | 'depends'; by: string[] } => {
    const selecting = (byNs.get(pod.namespace) ?? []).filter((p) => p.affectsIngress && p.podSelector.matches(pod.labels));
    if (selecting.length === 0) return { admitted: 'yes', by: [] };
    const by: string[] = [];
    let anySource = false;
    for (const pol of selecting) {
      for (const rule of pol.ingress) {
        const ports = rulePorts(rule, { type: 'pod', pod });
        if (!ports.has(protocol, port)) continue;
        if (!by.includes(pol.key)) by.push(pol.key);
        if (!rule.peers) anySource = true;
      }
    }
    return { admitted: by.length === 0 ? 'no' : anySource ? 'yes' : 'depends', by };
  };

  const exposeService = (via: string, svc: KubeObject, pick: (sp: SvcPort) => boolean, source: 'internet' | 'controller', notes: string[]): void => {
    for (const sp of servicePorts(svc).filter(pick)) {
      for (const pod of servicePods(cluster, svc)) {
        const port = targetOn(pod, sp);
        if (port === undefined) continue;
        if (source === 'internet') {
          const r = fromInternet(pod, port, sp.protocol);
          routes.push({ via, pod: pod.key, port, protocol: sp.protocol, admitted: r.admitted ? 'yes' : 'no', allowedBy: r.by, notes });
        } else {
          const r = fromSomewhere(pod, port, sp.protocol);
          routes.push({ via, pod: pod.key, port, protocol: sp.protocol, admitted: r.admitted, allowedBy: r.by, notes });
        }
      }
    }
  };

  for (const svc of cluster.services) {
    const spec = isRecord(svc.spec) ? svc.spec : {};
    const name = `${nsOf(svc)}/${svc.metadata?.name ?? ''}`;
    const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
    const snat = spec.externalTrafficPolicy === 'Local' ? [] : ['externalTrafficPolicy Cluster: the client source IP may be replaced by a node IP before policies see it'];
    if (type === 'LoadBalancer' || type === 'NodePort') exposeService(`Service/${type} ${name}`, svc, () => true, 'internet', snat);
    if (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0) exposeService(`Service/externalIPs ${name}`, svc, () => true, 'internet', []);
  }

  const controllerNote = ['traffic arrives from the ingress/gateway controller pods: policies must admit them'];
  for (const ing of cluster.ingresses) {
    const ns = nsOf(ing);
    const spec = isRecord(ing.spec) ? ing.spec : {};
    const backends: unknown[] = [spec.defaultBackend];
    for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
      const http = isRecord(rule) && isRecord(rule.http) ? rule.http : undefined;
      for (const p of Array.isArray(http?.paths) ? http.paths : []) if (isRecord(p)) backends.push(p.backend);
    }
    for (const b of backends) {
      if (!isRecord(b) || !isRecord(b.service) || typeof b.service.name !== 'string') continue;
      const svc = services.get(`${ns}/${b.service.name}`);
      if (!svc) continue;
      const want = isRecord(b.service.port) ? b.service.port : {};
      exposeService(`Ingress ${ns}/${ing.metadata?.name ?? ''}`, svc, (sp) => (typeof want.number === 'number' ? sp.port === want.number : typeof want.name === 'string' ? sp.name === want.name : true), 'controller', controllerNote);
    }
  }
  for (const route of cluster.routes) {
    const ns = nsOf(route);
    const spec = isRecord(route.spec) ? route.spec : {};
    for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
      for (const ref of isRecord(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : []) {
        if (!isRecord(ref) || typeof ref.name !== 'string' || (ref.kind !== undefined && ref.kind !== 'Service')) continue;
        const svcNs = typeof ref.namespace === 'string' ? ref.namespace : ns;
        const svc = services.get(`${svcNs}/${ref.name}`);
        if (!svc) continue;
        exposeService(`${route.kind ?? 'Route'} ${ns}/${route.metadata?.name ?? ''}`, svc, (sp) => (typeof ref.port === 'number' ? sp.port === ref.port : true), 'controller', controllerNote);
      }
    }
  }
  const seen = new Set<string>();
  return {
    internet: internet.sort((a, b) => a.pod.localeCompare(b.pod)),
    routes: routes.filter((r) => {
      const k = `${r.via}|${r.pod}|${r.port}/${r.protocol}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  };
}

export function renderExposureTable(r: ExposureReport): string {
  const lines: string[] = ['Reachable from the internet (policy level):'];
  if (r.internet.length === 0) lines.push('  (none)');
  for (const e of r.internet) {
    lines.push(`  ${e.pod}[${e.kind}] : ${e.connections}  ${e.reason === 'not-isolated' ? '(no ingress policy selects it)' : `from ${e.ranges.join(', ')} via ${e.allowedBy.join(', ')}`}`);
  }
  lines.push('', 'Routed from outside (Services, Ingresses, Gateway API routes):');
  if (r.routes.length === 0) lines.push('  (none)');
  for (const e of r.routes) {
    lines.push(`  ${e.via} -> ${e.pod} ${e.port}/${e.protocol} : ${e.admitted === 'yes' ? 'ADMITTED' : e.admitted === 'no' ? 'blocked by policy' : 'admitted only from selected sources'}${e.allowedBy.length ? ` (${e.allowedBy.join(', ')})` : ''}`);
  }
  return lines.join('\n');
}
