/**
 * Read-only index over every resource of a scan, built once, for cross-object rules and analyses — and the one
 * home of two ideas they all need: which namespace an object is in, and which scanned object controls it.
 *
 * Namespace: the effective one (core/ref.ts namespaceOf): declared, else "default" as kubectl would place it;
 * cluster-scoped objects are in none. (core/namespaces.ts has already placed namespace-less objects for -n.)
 *
 * Ownership, as upstream defines it (https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/,
 * OwnerReference in k8s.io/apimachinery/pkg/apis/meta/v1/types.go):
 * - the controller of an object is its owner reference with `controller: true` (at most one);
 * - an owner reference names the owner by kind and name, and by uid: an object of that name with another uid is
 *   another object (a controller deleted and recreated) and does not own it — so the uids must agree when both
 *   are known (manifests usually carry none);
 * - a namespaced owner is in the dependent's namespace ("cross-namespace owner references are disallowed by
 *   design"; the garbage collector treats one that resolves elsewhere as absent); a cluster-scoped owner (a Node)
 *   has no namespace;
 * - a mirror pod — the API copy the kubelet makes of a static pod, whose controller reference names the Node —
 *   cannot be changed through the API: its spec comes from a file on that node
 *   (https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/). A Node carries no pod template, so
 *   nothing in the scan stands for a mirror pod: it is judged by itself.
 * Hence: an object is represented by a scanned controller only when that controller is found by kind, namespace
 * (the dependent's, for namespaced kinds) and name, with agreeing uid, and carries a pod template. Otherwise —
 * a `kubectl get pods` dump without its ReplicaSets, a recreated owner, an owner of the same name elsewhere, a
 * mirror pod — it stands for itself, so that some rule judges it.
 */
import type { KubeObject, Resource } from './model.js';
import { isPodBearing } from './podspec.js';
import { controllerRef, isClusterScoped, namespaceOf, refOf } from './ref.js';

export class ResourceIndex {
  readonly all: readonly Resource[];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly namespaces = new Set<string>();
  private readonly memos = new Map<string, unknown>();

  constructor(resources: readonly Resource[]) {
    this.all = resources;
    for (const r of resources) {
      const list = this.byKind.get(r.ref.kind);
      if (list) list.push(r);
      else this.byKind.set(r.ref.kind, [r]);
      if (r.ref.namespace) this.namespaces.add(r.ref.namespace);
      if (r.ref.kind === 'Namespace') this.namespaces.add(r.ref.name);
    }
  }

  /** An index over bare objects (analyses that take KubeObject lists). */
  static ofObjects(objects: readonly KubeObject[]): ResourceIndex {
    return new ResourceIndex(objects.map((object) => ({ ref: refOf(object), object })));
  }

  ofKind(kind: string): readonly Resource[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Objects of a kind in a namespace (effective namespace: an object that names none is in "default"). */
  inNamespace(kind: string, namespace: string): readonly Resource[] {
    return this.memo(`core/by-namespace:${kind}`, () => groupByNamespace(this.ofKind(kind))).get(namespace) ?? [];
  }

  /** Pod-bearing objects (Pods, workloads, CronJobs, PodTemplates…) in a namespace. */
  podBearingIn(namespace: string): readonly Resource[] {
    return this.memo('core/pod-bearing-by-namespace', () => groupByNamespace(this.all.filter((r) => isPodBearing(r.object)))).get(namespace) ?? [];
  }

  /** Namespaces the input names (declared namespaces and Namespace objects), sorted. */
  namespaceNames(): string[] {
    return [...this.namespaces].sort();
  }

  /** The scanned object that is `obj`'s controller (see the file comment), if it is in the scan. */
  controllerOf(obj: KubeObject): Resource | undefined {
    const ctl = controllerRef(obj);
    if (!ctl) return undefined;
    const byKey = this.memo('core/by-key', () => new Map(this.all.map((r) => [keyOf(r.ref.kind, namespaceOf(r.object), r.ref.name), r])));
    const owner = byKey.get(keyOf(ctl.kind, isClusterScoped(ctl.kind) ? undefined : namespaceOf(obj), ctl.name));
    if (!owner) return undefined;
    const uid = owner.object.metadata?.uid;
    return ctl.uid && typeof uid === 'string' && uid !== ctl.uid ? undefined : owner;
  }

  /**
   * The scanned controller whose pod template stands for `obj` (the ReplicaSet of a Pod, the Deployment of a
   * ReplicaSet, the CronJob of a Job). Undefined when `obj` stands for itself: no controller, a controller not in
   * the scan, or one without a pod template (the Node of a mirror pod).
   */
  templateControllerOf(obj: KubeObject): Resource | undefined {
    const owner = this.controllerOf(obj);
    return owner && isPodBearing(owner.object) ? owner : undefined;
  }

  /**
   * A value derived from the whole resource set, computed once per scan and shared by every rule that asks with
   * the same key (e.g. "namespaces selected by some NetworkPolicy"). Cross-object rules use this instead of
   * scanning all resources per object, which would make a scan quadratic in the number of objects.
   */
  memo<T>(key: string, build: (index: ResourceIndex) => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = build(this);
    this.memos.set(key, value);
    return value;
  }

  get size(): number {
    return this.all.length;
  }
}

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** By effective namespace; cluster-scoped objects have none and are left out. */
function groupByNamespace(resources: Iterable<Resource>): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of resources) {
    const ns = namespaceOf(r.object);
    if (ns === undefined) continue;
    const list = out.get(ns);
    if (list) list.push(r);
    else out.set(ns, [r]);
  }
  return out;
}
