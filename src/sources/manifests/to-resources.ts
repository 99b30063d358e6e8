/**
 * Parsed documents → Resources: `kind: List` expanded, non-Kubernetes documents skipped with a note, objects whose
 * metadata kubectl cannot decode refused with an error.
 */
import type { KubeObject, LineLocator, Resource, ScanError, SkipNote } from '../../core/model.js';
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

/** String fields of ObjectMeta that name the object, and its maps of strings. */
const META_STRINGS = ['name', 'namespace', 'generateName'] as const;
const META_STRING_MAPS = ['labels', 'annotations'] as const;

/**
 * Where an object's metadata has a type kubectl cannot decode (ObjectMeta in k8s.io/apimachinery: `metadata` an
 * object, name/namespace/generateName strings, labels and annotations maps of strings), as a pointer; kubectl
 * refuses such a document ("cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type
 * string"), so the scan must not judge it under another identity. null counts as absent, as in Go's JSON decoding.
 */
function metadataTypeError(o: KubeObject): string | undefined {
  const meta: unknown = o.metadata;
  if (meta === undefined || meta === null) return undefined;
  if (typeof meta !== 'object' || Array.isArray(meta)) return '/metadata';
  const m = meta as Record<string, unknown>;
  for (const k of META_STRINGS) if (m[k] !== undefined && m[k] !== null && typeof m[k] !== 'string') return `/metadata/${k}`;
  for (const k of META_STRING_MAPS) {
    const map = m[k];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map)) return `/metadata/${k}`;
    for (const [key, v] of Object.entries(map)) if (v !== null && typeof v !== 'string') return `/metadata/${k}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  }
  return undefined;
}

/** Lists nest as deep as the input says: they are expanded with a stack, each item located from the document's root. */
export function documentToResources(doc: DocumentInput, out: { resources: Resource[]; skipped: SkipNote[]; errors: ScanError[] }): void {
  const { file } = doc;
  const stack: { value: unknown; line: number; prefix: string }[] = [{ value: doc.value, line: doc.line, prefix: '' }];
  while (stack.length > 0) {
    const { value, line, prefix } = stack.pop()!;
    if (value === null || value === undefined) continue; // empty document
    if (!isKubeObject(value)) {
      out.skipped.push({ file, line, reason: 'not a Kubernetes object (no apiVersion/kind)' });
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
    const wrongType = metadataTypeError(value);
    if (wrongType !== undefined) {
      const field = prefix + wrongType;
      out.errors.push({ kind: 'parse', file, line: doc.locate(field) ?? line, message: `${field}: wrong type for ObjectMeta (strings expected); kubectl refuses this document` });
      continue;
    }
    const locate: LineLocator = prefix === '' ? doc.locate : (p) => doc.locate(prefix + p);
    out.resources.push({ ref: refOf(value), object: value, source: { file, line, locate } });
  }
}
