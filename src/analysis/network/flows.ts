/**
 * Observed flows, from two inputs:
 * - JSON lines `{ "src": "ns/pod-or-workload", "dst": "ns/name", "port": 8080, "protocol": "TCP" }`
 *   (src/dst may also be an IP address for traffic from/to outside the cluster);
 * - Hubble flow JSON (`hubble observe -o json`, the exporter's `{"flow": {...}}` lines): source/destination
 *   namespace, pod_name, labels (`k8s:key=value`, `reserved:world`), workloads; l4 TCP/UDP/SCTP destination_port.
 *   Replies (`is_reply` / `reply`), flows without an L4 port (ICMP) and endpoints that are neither pods nor
 *   IP addresses are skipped, with a count per reason.
 * Parsing is pure: callers hand in the text.
 */
import { isProtocol, type Protocol } from './conns.js';
import { parseIp } from './ip.js';
import { isJsonMap as isRecord } from '../../core/json.js';
import { parseJson } from '../../core/json-error.js';
import { workloadFromPodName } from '../../core/ref.js';

export type FlowEndpoint =
  | { type: 'workload'; namespace: string; name: string; labels?: Record<string, string>; namespaceLabels?: Record<string, string> }
  | { type: 'ip'; ip: string };

export interface Flow {
  src: FlowEndpoint;
  dst: FlowEndpoint;
  port: number;
  protocol: Protocol;
  /** Hubble verdict when known (FORWARDED, DROPPED, …). */
  verdict?: string;
  /** 1-based line in the input. */
  line: number;
}

export interface FlowParseResult {
  flows: Flow[];
  skipped: Record<string, number>;
  errors: { line: number; message: string }[];
}

export function endpointKey(e: FlowEndpoint): string {
  return e.type === 'ip' ? e.ip : `${e.namespace}/${e.name}`;
}

export function flowKey(f: Flow): string {
  return `${endpointKey(f.src)} -> ${endpointKey(f.dst)} ${f.protocol}/${f.port}`;
}

function parseSimpleEndpoint(v: unknown): FlowEndpoint | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  try {
    parseIp(v);
    return { type: 'ip', ip: v };
  } catch {
    /* not an IP */
  }
  const [ns, name, extra] = v.split('/');
  if (!ns || !name || extra !== undefined) return undefined;
  return { type: 'workload', namespace: ns, name };
}

export { workloadFromPodName };

const NS_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';

function hubbleEndpoint(e: unknown, ip: unknown): FlowEndpoint | string {
  if (!isRecord(e)) return 'no endpoint';
  const labels: Record<string, string> = {};
  const namespaceLabels: Record<string, string> = {};
  let world = false;
  for (const l of Array.isArray(e.labels) ? e.labels : []) {
    if (typeof l !== 'string') continue;
    if (l.startsWith('reserved:')) {
      if (l === 'reserved:world' || l.startsWith('reserved:world')) world = true;
      continue;
    }
    const m = /^k8s:([^=]+)=(.*)$/.exec(l);
    if (!m) continue;
    if (m[1].startsWith(NS_LABEL_PREFIX)) namespaceLabels[m[1].slice(NS_LABEL_PREFIX.length)] = m[2];
    else if (!m[1].startsWith('io.cilium.k8s.') && m[1] !== 'io.kubernetes.pod.namespace') labels[m[1]] = m[2];
  }
  if (typeof e.namespace === 'string' && e.namespace && typeof e.pod_name === 'string' && e.pod_name) {
    const w = Array.isArray(e.workloads) && isRecord(e.workloads[0]) && typeof e.workloads[0].name === 'string' ? e.workloads[0].name : workloadFromPodName(e.pod_name);
    return { type: 'workload', namespace: e.namespace, name: w, labels, namespaceLabels };
  }
  if (world && typeof ip === 'string') return { type: 'ip', ip };
  return Array.isArray(e.labels) && e.labels.some((l) => typeof l === 'string' && l.startsWith('reserved:')) ? 'reserved identity (host, health, …)' : 'endpoint without pod';
}

/** Parses JSON-lines flows in either format (detected per line). */
export function parseFlows(text: string): FlowParseResult {
  const flows: Flow[] = [];
  const skipped: Record<string, number> = {};
  const errors: FlowParseResult['errors'] = [];
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let v: unknown;
    try {
      v = parseJson(raw);
    } catch (e) {
      errors.push({ line, message: `not JSON: ${(e as Error).message}` });
      return;
    }
    if (!isRecord(v)) {
      errors.push({ line, message: 'not a JSON object' });
      return;
    }
    if ('src' in v || 'dst' in v) {
      const src = parseSimpleEndpoint(v.src);
      const dst = parseSimpleEndpoint(v.dst);
      const port = Number(v.port);
      const protocol = v.protocol === undefined ? 'TCP' : String(v.protocol).toUpperCase();
      if (!src || !dst) errors.push({ line, message: 'src and dst must be "namespace/name" or an IP address' });
      else if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push({ line, message: 'port must be 1-65535' });
      else if (!isProtocol(protocol)) errors.push({ line, message: 'protocol must be TCP, UDP or SCTP' });
      else flows.push({ src, dst, port, protocol, line });
      return;
    }
    const f = isRecord(v.flow) ? v.flow : v;
    if (!isRecord(f.l4) && !isRecord(f.source)) {
      errors.push({ line, message: 'neither a {src,dst,port,protocol} flow nor a Hubble flow' });
      return;
    }
    if (f.is_reply === true || f.reply === true) return skip('reply');
    const l4 = isRecord(f.l4) ? f.l4 : {};
    const proto = (['TCP', 'UDP', 'SCTP'] as const).find((p) => isRecord(l4[p]));
    if (!proto) return skip('no TCP/UDP/SCTP port (e.g. ICMP)');
    const port = Number((l4[proto] as Record<string, unknown>).destination_port);
    if (!Number.isInteger(port) || port < 1) return skip('no destination port');
    const ipInfo = isRecord(f.IP) ? f.IP : {};
    const src = hubbleEndpoint(f.source, ipInfo.source);
    const dst = hubbleEndpoint(f.destination, ipInfo.destination);
    if (typeof src === 'string') return skip(`source: ${src}`);
    if (typeof dst === 'string') return skip(`destination: ${dst}`);
    flows.push({ src, dst, port, protocol: proto, line, ...(typeof f.verdict === 'string' ? { verdict: f.verdict } : {}) });
  });
  return { flows, skipped, errors };
}

/** One flow per (src, dst, port, protocol), keeping the first and counting the repeats. */
export function dedupeFlows(flows: readonly Flow[]): { flow: Flow; count: number }[] {
  const m = new Map<string, { flow: Flow; count: number }>();
  for (const f of flows) {
    const k = flowKey(f);
    const e = m.get(k);
    if (e) {
      e.count++;
      // keep labels learnt from later lines
      if (f.src.type === 'workload' && e.flow.src.type === 'workload' && !e.flow.src.labels && f.src.labels) e.flow.src.labels = f.src.labels;
      if (f.dst.type === 'workload' && e.flow.dst.type === 'workload' && !e.flow.dst.labels && f.dst.labels) e.flow.dst.labels = f.dst.labels;
    } else m.set(k, { flow: { ...f, src: { ...f.src }, dst: { ...f.dst } } as Flow, count: 1 });
  }
  return [...m.values()];
}
