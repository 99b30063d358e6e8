/**
 * Isolation report: which pods no NetworkPolicy selects for ingress and/or egress. A pod selected by no policy of a
 * direction accepts (ingress) or sends (egress) any traffic: "By default, a pod is non-isolated for ingress; all
 * inbound connections are allowed" (Kubernetes docs, "The two sorts of pod isolation").
 */
import type { NetCluster, NetPod } from './cluster.js';

export interface PodIsolation {
  pod: string;
  kind: string;
  namespace: string;
  ingressIsolated: boolean;
  egressIsolated: boolean;
  ingressPolicies: string[];
  egressPolicies: string[];
  hostNetwork: boolean;
}

export interface IsolationReport {
  pods: PodIsolation[];
  /** Pods isolated in neither direction. */
  unisolated: string[];
  summary: { pods: number; ingressIsolated: number; egressIsolated: number; fullyIsolated: number; unisolated: number; hostNetwork: number };
}

export function podIsolation(cluster: NetCluster, pod: NetPod): PodIsolation {
  const selecting = cluster.policies.filter((p) => p.namespace === pod.namespace && p.podSelector.matches(pod.labels));
  const ingressPolicies = selecting.filter((p) => p.affectsIngress).map((p) => p.key);
  const egressPolicies = selecting.filter((p) => p.affectsEgress).map((p) => p.key);
  return {
    pod: pod.key,
    kind: pod.kind,
    namespace: pod.namespace,
    ingressIsolated: ingressPolicies.length > 0,
    egressIsolated: egressPolicies.length > 0,
    ingressPolicies,
    egressPolicies,
    hostNetwork: pod.hostNetwork,
  };
}

export function isolation(cluster: NetCluster): IsolationReport {
  const pods = cluster.pods.map((p) => podIsolation(cluster, p)).sort((a, b) => a.pod.localeCompare(b.pod));
  const unisolated = pods.filter((p) => !p.ingressIsolated && !p.egressIsolated).map((p) => p.pod);
  return {
    pods,
    unisolated,
    summary: {
      pods: pods.length,
      ingressIsolated: pods.filter((p) => p.ingressIsolated).length,
      egressIsolated: pods.filter((p) => p.egressIsolated).length,
      fullyIsolated: pods.filter((p) => p.ingressIsolated && p.egressIsolated).length,
      unisolated: unisolated.length,
      hostNetwork: pods.filter((p) => p.hostNetwork).length,
    },
  };
}

export function renderIsolationTable(r: IsolationReport): string {
  const rows = r.pods.map((p) => {
    const ing = p.ingressIsolated ? `isolated (${p.ingressPolicies.join(', ')})` : 'OPEN';
    const eg = p.egressIsolated ? `isolated (${p.egressPolicies.join(', ')})` : 'OPEN';
    return `${p.pod}[${p.kind}]  ingress: ${ing}  egress: ${eg}${p.hostNetwork ? '  (hostNetwork: outside policy control)' : ''}`;
  });
  const s = r.summary;
  rows.push('', `${s.pods} pods: ${s.ingressIsolated} ingress-isolated, ${s.egressIsolated} egress-isolated, ${s.fullyIsolated} both, ${s.unisolated} neither${s.hostNetwork ? `, ${s.hostNetwork} hostNetwork` : ''}`);
  return rows.join('\n');
}
