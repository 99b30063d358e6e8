/**
 * Maps flow endpoints onto the network model: a workload key found in the resource set, else a pod whose labels
 * the flow carries, else a synthetic pod built from the flow's own labels (Hubble flows carry them).
 */
import type { NetCluster, NetNamespace, NetPod } from './cluster.js';
import { NAMESPACE_NAME_LABEL } from './cluster.js';
import type { Endpoint } from './evaluate.js';
import { workloadFromPodName, type Flow, type FlowEndpoint } from './flows.js';
import { parseIp } from './ip.js';

/** Labels that differ between pods of one workload or between revisions: never used to select a workload. */
const UNSTABLE_LABELS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
  'security.istio.io/tlsMode',
  'service.istio.io/canonical-revision',
]);

export function stableLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) if (!UNSTABLE_LABELS.has(k)) out[k] = labels[k];
  return out;
}

export interface ResolvedEndpoint {
  endpoint: Endpoint;
  /** Whether the workload was found in the resource set (false: synthesised from the flow). */
  known: boolean;
  /** True when neither the resource set nor the flow gave labels and `app: <workload>` was assumed. */
  assumedLabels?: boolean;
}

export function resolveFlowEndpoint(cluster: NetCluster, e: FlowEndpoint, index?: Map<string, NetPod>): ResolvedEndpoint {
  if (e.type === 'ip') {
    const ip = parseIp(e.ip);
    return { endpoint: { type: 'ip', ...ip, text: e.ip }, known: true };
  }
  const byKey = index ?? new Map(cluster.pods.map((p) => [p.key, p]));
  const direct = byKey.get(`${e.namespace}/${e.name}`) ?? byKey.get(`${e.namespace}/${workloadFromPodName(e.name)}`);
  if (direct) return { endpoint: { type: 'pod', pod: direct }, known: true };
  const labels = e.labels ?? {};
  if (Object.keys(labels).length > 0) {
    const want = stableLabels(labels);
    const match = cluster.pods.find((p) => p.namespace === e.namespace && Object.entries(want).every(([k, v]) => p.labels[k] === v));
    if (match) return { endpoint: { type: 'pod', pod: match }, known: true };
  }
  // Unknown workload without labels: assume the common `app: <workload>` convention (generate and simulate agree).
  const name = workloadFromPodName(e.name);
  const assumed = Object.keys(labels).length > 0 ? labels : { app: name };
  const pod: NetPod = { key: `${e.namespace}/${name}`, namespace: e.namespace, name, kind: 'Workload', labels: assumed, ports: [], ips: [], hostNetwork: false, members: 0 };
  return { endpoint: { type: 'pod', pod }, known: false, assumedLabels: Object.keys(labels).length === 0 };
}

/** A copy of the cluster that also knows the namespaces (and namespace labels) the flows mention. */
export function withFlowNamespaces(cluster: NetCluster, flows: readonly Flow[]): NetCluster {
  const namespaces = new Map<string, NetNamespace>(cluster.namespaces);
  for (const f of flows) {
    for (const e of [f.src, f.dst]) {
      if (e.type !== 'workload' || namespaces.get(e.namespace)?.declared) continue;
      const prev = namespaces.get(e.namespace);
      namespaces.set(e.namespace, {
        name: e.namespace,
        labels: { ...(prev?.labels ?? {}), ...(e.namespaceLabels ?? {}), [NAMESPACE_NAME_LABEL]: e.namespace },
        declared: false,
      });
    }
  }
  return { ...cluster, namespaces };
}
