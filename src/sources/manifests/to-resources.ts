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

/** Lists nest as deep as the input says: they are expanded with a stack, each item located from the document's root. */
export function documentToResources(doc: DocumentInput, out: Resource[], skipped: SkipNote[]): void {
  const { file } = doc;
  const stack: { value: unknown; line: number; prefix: string }[] = [{ value: doc.value, line: doc.line, prefix: '' }];
  while (stack.length > 0) {
    const { value, line, prefix } = stack.pop()!;
    if (value === null || value === undefined) continue; // empty document
    if (!isKubeObject(value)) {
      skipped.push({ file, line, reason: 'not a Kubernetes object (no apiVersion/kind)' });
      continue;
    }
    if (isList(value)) {
      const items = value.items;
      for (let i = items.length - 1; i >= 0; i--) {
        const at = `${prefix}/items/${i}`;
        stack.push({ value: items[i], line: doc.locate(at) ?? line, prefix: at });
      }
      continue;
    }
    const locate: LineLocator = prefix === '' ? doc.locate : (p) => doc.locate(prefix + p);
    out.push({ ref: refOf(value), object: value, source: { file, line, locate } });
  }
}
