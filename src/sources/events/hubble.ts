/**
 * Hubble flows (`hubble observe -o json`, the Hubble exporter): `{"flow": {…}, "node_name", "time"}` or a bare flow.
 * A flow is attributed to the endpoint its `traffic_direction` refers to (EGRESS: the source, INGRESS: the
 * destination); L7 DNS and HTTP records are kept. Identities: `k8s:` labels (pod labels, namespace labels under
 * `io.cilium.k8s.namespace.labels.`, the service account under `io.cilium.k8s.policy.serviceaccount`), `reserved:`
 * identities (world, host, kube-apiserver, …). Field names: cilium/api/v1/flow/flow.proto.
 */
import { isJsonMap, type JsonMap } from '../../core/json.js';
import type { NetEndpoint, NetworkInfo, Protocol, RuntimeEvent, WorkloadIdentity } from '../../core/events/model.js';
import { compact, int, labelMap, ownerOf, str } from './identity.js';

export function isHubbleFlow(v: JsonMap): boolean {
  const f = isJsonMap(v.flow) ? v.flow : v;
  return typeof f.verdict === 'string' && (isJsonMap(f.IP) || isJsonMap(f.l4) || isJsonMap(f.source) || isJsonMap(f.l7));
}

const CILIUM = 'io.cilium.k8s.';

/** Pod labels of a Hubble endpoint (its `k8s:` labels without Cilium's own and the namespace label), and all of them. */
function podLabels(x: JsonMap): { labels?: Record<string, string>; all: Record<string, string> } {
  const all = labelMap(x.labels, 'k8s:');
  const labels: Record<string, string> = {};
  for (const [k, val] of Object.entries(all)) if (!k.startsWith(CILIUM) && k !== 'io.kubernetes.pod.namespace') labels[k] = val;
  return { all, ...(Object.keys(labels).length ? { labels } : {}) };
}

function endpointOf(e: unknown, ip: string | undefined, port: number | undefined, names: unknown): NetEndpoint {
  const x = isJsonMap(e) ? e : {};
  const { labels } = podLabels(x);
  const reserved = Object.keys(labelMap(x.labels, 'reserved:'));
  const workloads = Array.isArray(x.workloads) ? x.workloads.filter(isJsonMap) : [];
  const pod = str(x.pod_name);
  return compact({
    ip,
    port,
    namespace: str(x.namespace),
    pod,
    workload: str(workloads[0]?.name) ?? (pod ? ownerOf(pod)?.name : undefined),
    labels,
    reserved: reserved.length ? reserved : undefined,
    names: Array.isArray(names) && names.length ? names.filter((n): n is string => typeof n === 'string') : undefined,
  });
}

function identityOf(e: unknown, node: string | undefined): WorkloadIdentity {
  const x = isJsonMap(e) ? e : {};
  const { all, labels } = podLabels(x);
  const workloads = Array.isArray(x.workloads) ? x.workloads.filter(isJsonMap) : [];
  const pod = str(x.pod_name);
  const reserved = Object.keys(labelMap(x.labels, 'reserved:'));
  return compact({
    cluster: all[`${CILIUM}policy.cluster`],
    node,
    namespace: str(x.namespace),
    pod,
    owner: ownerOf(pod, str(workloads[0]?.name), str(workloads[0]?.kind)),
    serviceAccount: all[`${CILIUM}policy.serviceaccount`],
    labels,
    host: reserved.includes('host') && !pod ? true : undefined,
  });
}

const L4: [string, Protocol][] = [['TCP', 'TCP'], ['UDP', 'UDP'], ['SCTP', 'SCTP'], ['ICMPv4', 'ICMP'], ['ICMPv6', 'ICMPv6']];

/** The event a Hubble flow line describes, or the reason it describes none. */
export function adaptHubble(v: JsonMap): RuntimeEvent | string {
  const f = isJsonMap(v.flow) ? v.flow : v;
  const time = str(f.time) ?? str(v.time);
  if (!time) return 'Hubble flow without a time';
  const node = str(v.node_name) ?? str(f.node_name);
  const ipInfo = isJsonMap(f.IP) ? f.IP : {};
  const l4 = isJsonMap(f.l4) ? f.l4 : {};
  const found = L4.find(([k]) => isJsonMap(l4[k]));
  const ports = found ? (l4[found[0]] as JsonMap) : {};
  const src = endpointOf(f.source, str(ipInfo.source), int(ports.source_port), f.source_names);
  const dst = endpointOf(f.destination, str(ipInfo.destination), int(ports.destination_port), f.destination_names);
  const dir = str(f.traffic_direction);
  const direction = dir === 'EGRESS' ? 'egress' : dir === 'INGRESS' ? 'ingress' : undefined;
  const local = direction === 'ingress' || (!direction && !src.pod && dst.pod) ? f.destination : f.source;
  const network: NetworkInfo = compact({
    protocol: found ? found[1] : 'OTHER',
    src,
    dst,
    direction,
    verdict: str(f.verdict),
    reply: f.is_reply === true || f.reply === true ? true : undefined,
  });
  const l7 = isJsonMap(f.l7) ? f.l7 : undefined;
  if (l7) {
    const response = l7.type === 'RESPONSE';
    if (isJsonMap(l7.dns) && str(l7.dns.query)) {
      const d = l7.dns;
      const list = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : undefined);
      network.dns = compact({ query: d.query as string, qtypes: list(d.qtypes), rcode: response ? (int(d.rcode) ?? 0) : undefined, ips: list(d.ips), response });
    }
    if (isJsonMap(l7.http)) {
      const h = l7.http;
      network.http = compact({ method: str(h.method), url: str(h.url), code: int(h.code), response });
    }
  }
  return { kind: 'network.flow', time, ts: 0, workload: identityOf(local, node), origin: { source: 'hubble' }, network };
}
