/** Read-only index over every resource of a scan, built once, for cross-object rules and analyses. */
import type { Resource } from './model.js';

export class ResourceIndex {
  readonly all: readonly Resource[];
  private readonly byKind = new Map<string, Resource[]>();
  private readonly namespaces = new Set<string>();

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

  get size(): number {
    return this.all.length;
  }
}
