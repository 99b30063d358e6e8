/**
 * Bindings named "system:*", and the bootstrap policy's own objects (label kubernetes.io/bootstrapping:
 * rbac-defaults, e.g. the cluster-admin ClusterRoleBinding of system:masters in every cluster), are created and
 * reconciled by Kubernetes itself; the binding rules skip them unless ignoreSystemBindings is false.
 */
import type { KubeObject } from '../../core/model.js';

export interface BindingRiskOptions extends Record<string, unknown> {
  ignoreSystemBindings: boolean;
}

export const BINDING_RISK_OPTIONS = {
  optionsSchema: { type: 'object', properties: { ignoreSystemBindings: { type: 'boolean' } }, additionalProperties: false },
  defaultOptions: { ignoreSystemBindings: true },
};

export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';

export function isSystemBinding(obj: KubeObject): boolean {
  return (obj.metadata?.name ?? '').startsWith('system:') || obj.metadata?.labels?.[BOOTSTRAP_LABEL] === 'rbac-defaults';
}

/** Subjects of the raw object with their index (for pointers), skipping malformed entries. */
export function rawSubjects(obj: KubeObject): { index: number; kind: string; name: string; namespace?: string }[] {
  if (!Array.isArray(obj.subjects)) return [];
  const out: { index: number; kind: string; name: string; namespace?: string }[] = [];
  obj.subjects.forEach((s: unknown, index: number) => {
    if (typeof s !== 'object' || s === null) return;
    const m = s as Record<string, unknown>;
    if (typeof m.kind !== 'string' || typeof m.name !== 'string') return;
    out.push({ index, kind: m.kind, name: m.name, ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}) });
  });
  return out;
}
