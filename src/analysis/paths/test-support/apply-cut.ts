/** Applies a cut's patches to the objects they name (a missing object is created), as a user would (tests). */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../../../core/model.js';
import { isClusterScoped } from '../../../core/ref.js';
import type { ObjectPatch } from '../model.js';

export function objectId(o: KubeObject): string {
  const kind = o.kind ?? '';
  const name = o.metadata?.name ?? '';
  return isClusterScoped(kind) ? `${kind}/${name}` : `${kind}/${o.metadata?.namespace ?? 'default'}/${name}`;
}

export function applyPatches(objects: readonly KubeObject[], patches: readonly ObjectPatch[]): KubeObject[] {
  const out = objects.map((o) => structuredClone(o));
  for (const p of patches) {
    const i = out.findIndex((o) => objectId(o) === p.object);
    const doc = i >= 0 ? out[i] : {};
    const next = jsonpatch.applyPatch(doc, p.operations as Operation[], true, false).newDocument as KubeObject;
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  return out;
}
