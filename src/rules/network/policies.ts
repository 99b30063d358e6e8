/**
 * Helpers shared by the network rules: NetworkPolicies of a namespace and whether one selects a pod template.
 * Semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/): a policy selects the pods
 * of its own namespace matching spec.podSelector; `{}` selects every pod of the namespace.
 */
import type { KubeObject, Resource } from '../../core/model.js';
import { matchesSelector, type LabelSelector } from '../../core/label-selector.js';
import { controllerRef, namespaceOf } from '../../core/ref.js';
import type { ResourceIndex } from '../../core/resource-index.js';
import { podTemplateOf } from '../../core/podspec.js';
import type { PodTemplateRef } from '../../core/podspec.js';
import { isJsonMap as isRecord } from '../../core/json.js';

/** NetworkPolicies by namespace, indexed once per scan (ResourceIndex.memo) so rules stay linear. */
export function networkPoliciesIn(index: ResourceIndex, namespace: string): Resource[] {
  const byNamespace = index.memo('network/policies-by-namespace', (ix) => {
    const m = new Map<string, Resource[]>();
    for (const r of ix.ofKind('NetworkPolicy')) {
      if (!r.ref.apiVersion.startsWith('networking.k8s.io/')) continue;
      const ns = namespaceOf(r.object) ?? 'default';
      (m.get(ns) ?? m.set(ns, []).get(ns)!).push(r);
    }
    return m;
  });
  return byNamespace.get(namespace) ?? [];
}

/** Pod templates (workloads and Pods, not PodTemplate objects) by namespace, indexed once per scan. */
export function podTemplatesIn(index: ResourceIndex, namespace: string): PodTemplateRef[] {
  const byNamespace = index.memo('network/templates-by-namespace', (ix) => {
    const m = new Map<string, PodTemplateRef[]>();
    for (const r of ix.all) {
      if (r.object.kind === 'PodTemplate') continue;
      const t = podTemplateOf(r.object);
      if (!t) continue;
      const ns = namespaceOf(r.object) ?? 'default';
      (m.get(ns) ?? m.set(ns, []).get(ns)!).push(t);
    }
    return m;
  });
  return byNamespace.get(namespace) ?? [];
}

export function podSelectorOf(policy: KubeObject): LabelSelector {
  const spec = isRecord(policy.spec) ? policy.spec : {};
  return isRecord(spec.podSelector) ? (spec.podSelector as LabelSelector) : {};
}

export function policySelects(policy: KubeObject, labels: Record<string, string> | undefined): boolean {
  return matchesSelector(podSelectorOf(policy), labels ?? {});
}

/** Whether the object is managed by a controller (a Pod of a ReplicaSet, a Job of a CronJob, …): its owner reports. */
export function hasController(obj: KubeObject): boolean {
  const ctl = controllerRef(obj);
  return ctl !== undefined && ctl.kind !== 'Node';
}

/** kubectl-style selector text: `app=web,tier in (a,b),!legacy`, `<all>` when empty. */
export { formatSelector } from '../../analysis/network/selector.js';
