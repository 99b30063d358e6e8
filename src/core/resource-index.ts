/** Read-only index over every resource of a scan, built once, for cross-object rules and analyses. */
import type { Resource } from './model.js';

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

  ofKind(kind: string): readonly Resource[] {
    return this.byKind.get(kind) ?? [];
  }

  inNamespace(kind: string, namespace: string): Resource[] {
    return this.ofKind(kind).filter((r) => r.ref.namespace === namespace);
  }

  namespaceNames(): string[] {
    return [...this.namespaces].sort();
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
