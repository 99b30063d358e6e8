/**
 * Helpers shared by the network rules: NetworkPolicies of a namespace and whether one selects a pod template.
 * Semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/): a policy selects the pods
 * of its own namespace matching spec.podSelector; `{}` selects every pod of the namespace.
 */
import type { KubeObject, Resource } from '../../core/model.js';
import { matchesSelector, type LabelSelector } from '../../core/label-selector.js';
import type { ResourceIndex } from '../../core/resource-index.js';
import { podTemplateOf } from '../../core/podspec.js';
import type { PodTemplateRef } from '../../core/podspec.js';
import { isJsonMap as isRecord } from '../../core/json.js';

/** The NetworkPolicies (networking.k8s.io) of a namespace. */
export function networkPoliciesIn(index: ResourceIndex, namespace: string): Resource[] {
  return index.memo(`network/policies:${namespace}`, () => index.inNamespace('NetworkPolicy', namespace).filter((r) => r.ref.apiVersion.startsWith('networking.k8s.io/')));
}

/** Pod templates (workloads and Pods, not PodTemplate objects) of a namespace. */
export function podTemplatesIn(index: ResourceIndex, namespace: string): PodTemplateRef[] {
  return index.memo(`network/templates:${namespace}`, () => {
    const out: PodTemplateRef[] = [];
    for (const r of index.podBearingIn(namespace)) {
      const t = r.object.kind === 'PodTemplate' ? undefined : podTemplateOf(r.object);
      if (t) out.push(t);
    }
    return out;
  });
}

export function podSelectorOf(policy: KubeObject): LabelSelector {
  const spec = isRecord(policy.spec) ? policy.spec : {};
  return isRecord(spec.podSelector) ? (spec.podSelector as LabelSelector) : {};
}

export function policySelects(policy: KubeObject, labels: Record<string, string> | undefined): boolean {
  return matchesSelector(podSelectorOf(policy), labels ?? {});
}

/** kubectl-style selector text: `app=web,tier in (a,b),!legacy`, `<all>` when empty. */
export { formatSelector } from '../../analysis/network/selector.js';
