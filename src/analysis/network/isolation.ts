/**
 * Isolation report: which pods no NetworkPolicy selects for ingress and/or egress. A pod selected by no policy of a
 * direction accepts (ingress) or sends (egress) any traffic: "By default, a pod is non-isolated for ingress; all
 * inbound connections are allowed" (Kubernetes docs, "The two sorts of pod isolation").
 * A selected pod is isolated in the API's words even when one of its policies allows everything in that direction
 * (a rule with no peers and no ports: `egress: [{}]`); the report says so rather than "isolated", which would read
 * as protected.
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
  /** Policies of the direction with a rule allowing every peer on every port: isolated, yet all is allowed. */
  ingressAllowAll: string[];
  egressAllowAll: string[];
  hostNetwork: boolean;
}

export interface IsolationReport {
  pods: PodIsolation[];
  /** Pods isolated in neither direction. */
  unisolated: string[];
  summary: { pods: number; ingressIsolated: number; egressIsolated: number; fullyIsolated: number; unisolated: number; hostNetwork: number; allowAll: number };
}

export function podIsolation(cluster: NetCluster, pod: NetPod): PodIsolation {
  const selecting = cluster.policies.filter((p) => p.namespace === pod.namespace && p.podSelector.matches(pod.labels));
  const ingressPolicies = selecting.filter((p) => p.affectsIngress).map((p) => p.key);
  const egressPolicies = selecting.filter((p) => p.affectsEgress).map((p) => p.key);
  const allowAll = (rules: readonly { peers?: unknown; ports?: unknown }[]) => rules.some((r) => r.peers === undefined && r.ports === undefined);
  const ingressAllowAll = selecting.filter((p) => p.affectsIngress && allowAll(p.ingress)).map((p) => p.key);
  const egressAllowAll = selecting.filter((p) => p.affectsEgress && allowAll(p.egress)).map((p) => p.key);
  return {
    pod: pod.key,
    kind: pod.kind,
    namespace: pod.namespace,
    ingressIsolated: ingressPolicies.length > 0,
    egressIsolated: egressPolicies.length > 0,
    ingressPolicies,
    egressPolicies,
    ingressAllowAll,
    egressAllowAll,
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
      allowAll: pods.filter((p) => p.ingressAllowAll.length || p.egressAllowAll.length).length,
    },
  };
}

export function renderIsolationTable(r: IsolationReport): string {
  const side = (isolated: boolean, policies: string[], allowAll: string[], dir: string) =>
    !isolated ? 'OPEN' : allowAll.length ? `all allowed (${allowAll.join(', ')} allows all ${dir})` : `isolated (${policies.join(', ')})`;
  const rows = r.pods.map((p) => {
    const ing = side(p.ingressIsolated, p.ingressPolicies, p.ingressAllowAll, 'ingress');
    const eg = side(p.egressIsolated, p.egressPolicies, p.egressAllowAll, 'egress');
    return `${p.pod}[${p.kind}]  ingress: ${ing}  egress: ${eg}${p.hostNetwork ? '  (hostNetwork: outside policy control)' : ''}`;
  });
  const s = r.summary;
  rows.push('', `${s.pods} pods: ${s.ingressIsolated} ingress-isolated, ${s.egressIsolated} egress-isolated, ${s.fullyIsolated} both, ${s.unisolated} neither${s.allowAll ? `; ${s.allowAll} selected by a policy that allows all traffic in a direction` : ''}${s.hostNetwork ? `, ${s.hostNetwork} hostNetwork` : ''}`);
  return rows.join('\n');
}
