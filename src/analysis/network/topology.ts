/**
 * A cluster's network model as plain JSON (what a whole-cluster scan uploads for the server to keep): the declared
 * namespaces with their labels, the pod representatives (NetPod without its bigint addresses), and the
 * NetworkPolicy objects. `clusterFromTopology` rebuilds the NetCluster the scan saw, so the server can run the same
 * analyses (a proposed policy's diff) without the cluster's objects.
 */
import type { KubeObject } from '../../core/model.js';
import { buildCluster, NAMESPACE_NAME_LABEL, type NamedPort, type NetCluster, type NetPod } from './cluster.js';
import { parseIp } from './ip.js';

export interface TopologyPod {
  namespace: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  ports: NamedPort[];
  ips: string[];
  hostNetwork: boolean;
  /** Pod objects this representative stands for (0: a workload's template). */
  pods: number;
}

export interface NetTopology {
  namespaces: { name: string; labels: Record<string, string> }[];
  pods: TopologyPod[];
  /** NetworkPolicy objects: apiVersion, kind, metadata.name/namespace and spec only. */
  policies: KubeObject[];
}

export function topologyPod(p: NetPod): TopologyPod {
  return { namespace: p.namespace, name: p.name, kind: p.kind, labels: p.labels, ports: p.ports, ips: p.ips.map((i) => i.text), hostNetwork: p.hostNetwork, pods: p.members };
}

/** The NetworkPolicy objects of a cluster as the topology keeps them (what NetworkPolicy semantics read). */
export function topologyPolicy(o: KubeObject): KubeObject {
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace ?? 'default' }, spec: o.spec };
}

export function topologyOf(cluster: NetCluster): NetTopology {
  return {
    namespaces: [...cluster.namespaces.values()].filter((n) => n.declared).map((n) => ({ name: n.name, labels: n.labels })),
    pods: cluster.pods.map(topologyPod),
    policies: cluster.policies.map((p) => topologyPolicy(p.object)),
  };
}

/**
 * The network model of a topology, with `policies` in place of its own NetworkPolicies when given (a proposal:
 * the cluster's policies with some added or replaced). Policies that do not parse are warnings, as in buildCluster.
 */
export function clusterFromTopology(t: NetTopology, policies: readonly KubeObject[] = t.policies): NetCluster {
  const parsed = buildCluster([...policies]);
  const namespaces: NetCluster['namespaces'] = new Map();
  const ensure = (name: string) => namespaces.get(name) ?? namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false }).get(name)!;
  for (const n of t.namespaces) namespaces.set(n.name, { name: n.name, labels: { ...n.labels, [NAMESPACE_NAME_LABEL]: n.name }, declared: true });
  const pods: NetPod[] = t.pods.map((p) => {
    ensure(p.namespace);
    const ips = p.ips.flatMap((text) => {
      try {
        return [{ ...parseIp(text), text }];
      } catch {
        return [];
      }
    });
    return { key: `${p.namespace}/${p.name}`, namespace: p.namespace, name: p.name, kind: p.kind, labels: p.labels, ports: p.ports, ips, hostNetwork: p.hostNetwork, members: p.pods };
  });
  for (const p of parsed.policies) ensure(p.namespace);
  return { namespaces, pods, policies: parsed.policies, services: [], ingresses: [], routes: [], warnings: parsed.warnings };
}
