/** Parsed documents → Resources: `kind: List` expanded, non-Kubernetes documents skipped with a note. */
import type { KubeObject, LineLocator, Resource, SkipNote } from '../../core/model.js';
import { refOf } from '../../core/ref.js';

export interface DocumentInput {
  value: unknown;
  file: string;
  line: number;
  locate: LineLocator;
}

function isKubeObject(v: unknown): v is KubeObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as KubeObject;
  return typeof o.kind === 'string' && o.kind !== '' && typeof o.apiVersion === 'string';
}

/** kubectl's List (and the typed lists of `kubectl get -o json/yaml`, e.g. PodList). */
export function isList(o: unknown): o is KubeObject & { items: unknown[] } {
  if (!isKubeObject(o)) return false;
  return Array.isArray(o.items) && (o.kind === 'List' || (o.kind ?? '').endsWith('List'));
}

export function documentToResources(doc: DocumentInput, out: Resource[], skipped: SkipNote[]): void {
  const { value, file, line, locate } = doc;
  if (value === null || value === undefined) return; // empty document
  if (!isKubeObject(value)) {
    skipped.push({ file, line, reason: 'not a Kubernetes object (no apiVersion/kind)' });
    return;
  }
  if (isList(value)) {
    (value.items as unknown[]).forEach((item, i) => {
      const prefix = `/items/${i}`;
      const itemLocate: LineLocator = (p) => locate(prefix + p);
      documentToResources({ value: item, file, line: locate(prefix) ?? line, locate: itemLocate }, out, skipped);
    });
    return;
  }
  out.push({ ref: refOf(value), object: value, source: { file, line, locate } });
}
