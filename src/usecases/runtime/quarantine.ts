/**
 * Opt-in response: quarantine a pod. The plan is shown first — the label patch for the pod (a JSON merge patch)
 * and a deny-all NetworkPolicy selecting quarantined pods — and checked by the API server with a server-side dry
 * run; only `apply` changes the cluster. NetworkPolicies add up: another policy that selects the pod and allows
 * traffic keeps allowing it, so the plan says which ones still would (the network analysis on the labels the pod
 * will have). `detach` also removes the labels its controller and Services select on, so the pod leaves the
 * Service and its ReplicaSet replaces it, and policies written for the app no longer select it.
 */
import type { KubeObject, Resource } from '../../core/model.js';
import { isJsonMap } from '../../core/json.js';
import type { ObjectClient } from '../../sources/cluster/object-client.js';
import { buildCluster } from '../../analysis/network/cluster.js';
import { isolation } from '../../analysis/network/isolation.js';

export const QUARANTINE_LABEL = 'kubeguard.io/quarantine';
export const QUARANTINE_POLICY = 'kubeguard-quarantine';

export interface QuarantinePlan {
  namespace: string;
  pod: string;
  /** JSON merge patch (RFC 7386) of the pod's labels. */
  podPatch: { metadata: { labels: Record<string, string | null> } };
  policy: KubeObject;
  /** Other NetworkPolicies that would still select the quarantined pod and allow traffic, by direction. */
  stillAllowedBy: { ingress: string[]; egress: string[] };
}

export function planQuarantine(pod: KubeObject, namespaceResources: readonly Resource[], options: { detach?: boolean; selectorLabels?: readonly string[] } = {}): QuarantinePlan {
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = pod.metadata?.name ?? '';
  const labels: Record<string, string | null> = { [QUARANTINE_LABEL]: 'true' };
  if (options.detach) for (const k of options.selectorLabels ?? Object.keys(pod.metadata?.labels ?? {})) if (k !== QUARANTINE_LABEL) labels[k] = null;
  const policy: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: QUARANTINE_POLICY, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubeguard' } },
    spec: { podSelector: { matchLabels: { [QUARANTINE_LABEL]: 'true' } }, policyTypes: ['Ingress', 'Egress'] },
  };
  // the pod as it will be, alone (no owner), among its namespace's policies and the quarantine policy
  const after: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...(pod.metadata?.labels ?? {}), ...labels })) if (v !== null) after[k] = v;
  const lone: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: after }, spec: pod.spec };
  const policies = namespaceResources.filter((r) => r.ref.kind === 'NetworkPolicy' && r.ref.namespace === namespace && r.ref.name !== QUARANTINE_POLICY).map((r) => r.object);
  const others = new Map(policies.map((p) => [p.metadata?.name ?? '', p]));
  const report = isolation(buildCluster([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, lone, policy, ...policies]));
  const entry = report.pods.find((p) => p.namespace === namespace && (p.pod === name || p.pod === `${namespace}/${name}`));
  const allows = (names: string[], dir: 'ingress' | 'egress') =>
    names.map((n) => n.split('/').pop()!).filter((n) => n !== QUARANTINE_POLICY && others.has(n)).filter((n) => {
      const spec = others.get(n)!.spec;
      return isJsonMap(spec) && Array.isArray(spec[dir]) && spec[dir].length > 0;
    });
  return { namespace, pod: name, podPatch: { metadata: { labels } }, policy, stillAllowedBy: { ingress: allows(entry?.ingressPolicies ?? [], 'ingress'), egress: allows(entry?.egressPolicies ?? [], 'egress') } };
}

export interface QuarantineResult {
  dryRun: boolean;
  pod: KubeObject;
  /** The policy as the server answered, or `exists` when it was already there. */
  policy: KubeObject | 'exists';
}

/** Sends the plan: with `dryRun` the server validates and answers without storing anything. */
export async function sendQuarantine(client: ObjectClient, plan: QuarantinePlan, dryRun: boolean): Promise<QuarantineResult> {
  const q = dryRun ? '?dryRun=All' : '';
  const ns = encodeURIComponent(plan.namespace);
  const pod = await client.send<KubeObject>('PATCH', `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(plan.pod)}${q}`, plan.podPatch, 'application/merge-patch+json');
  let policy: KubeObject | 'exists';
  try {
    policy = await client.send<KubeObject>('POST', `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies${q}`, plan.policy, 'application/json');
  } catch (e) {
    if ((e as { status?: number }).status !== 409) throw e;
    policy = 'exists';
  }
  return { dryRun, pod, policy };
}
