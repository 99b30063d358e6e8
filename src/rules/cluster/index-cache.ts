/**
 * Per-scan lookups the cluster rules share, computed once per resource index through ResourceIndex.memo (a
 * cluster has thousands of namespaces: filtering every resource once per namespace would be quadratic).
 */
import type { KubeObject, Resource } from '../../core/model.js';
import type { ResourceIndex } from '../../core/resource-index.js';
import { isPodBearing } from '../../core/podspec.js';
import { controllerRef, namespaceOf } from '../../core/ref.js';

export function memo<T>(index: ResourceIndex, key: string, build: () => T): T {
  return index.memo(`cluster/${key}`, build);
}

function groupByNamespace(resources: Iterable<Resource>): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of resources) {
    const ns = namespaceOf(r.object) ?? '';
    const list = out.get(ns);
    if (list) list.push(r);
    else out.set(ns, [r]);
  }
  return out;
}

/**
 * Whether the object is managed by a controller that is itself in the scan (a Pod of a ReplicaSet, a ReplicaSet
 * of a Deployment, a Job of a CronJob): the controller's template then stands for it. An object whose controller
 * is not in the scan (a `kubectl get pods` dump) counts by itself.
 */
export function hasScannedController(index: ResourceIndex, obj: KubeObject): boolean {
  const controller = controllerRef(obj);
  if (!controller) return false;
  const uids = memo(index, 'uids', () => new Set(index.all.map((r) => r.object.metadata?.uid).filter((u): u is string => typeof u === 'string')));
  if (controller.uid && uids.has(controller.uid)) return true;
  // manifests without uids: match the owner by kind and name in the same namespace
  return index.ofKind(controller.kind).some((r) => r.ref.name === controller.name && namespaceOf(r.object) === namespaceOf(obj));
}

/** Every pod-bearing object (Pods, workloads, CronJobs…) by effective namespace. */
export function workloadsByNamespace(index: ResourceIndex): Map<string, Resource[]> {
  return memo(index, 'workloadsByNamespace', () => groupByNamespace(index.all.filter((r) => isPodBearing(r.object))));
}

/** Objects of one kind by effective namespace. */
export function kindByNamespace(index: ResourceIndex, kind: string): Map<string, Resource[]> {
  return memo(index, `byNamespace:${kind}`, () => groupByNamespace(index.ofKind(kind)));
}

export function workloadsIn(index: ResourceIndex, namespace: string): Resource[] {
  return workloadsByNamespace(index).get(namespace) ?? [];
}
