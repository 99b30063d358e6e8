/**
 * Repair, both ways: a JSON patch (RFC 6902) that returns the live object to the manifest, and a manifest snippet
 * that adopts the live change instead (strategic-merge shape: an element of a map list keeps its key fields, so the
 * snippet can be merged into the manifest or applied with `kubectl patch --type strategic`).
 */
import type { JsonPatchOp, KubeObject, ResourceRef } from '../../core/model.js';
import { isJsonMap, type JsonMap } from '../../core/json.js';
import { getAt, parsePointer, pointer } from '../../core/pointer.js';
import type { Difference } from './compare.js';
import { listKind } from './list-keys.js';
import { SERVER_SET } from './server-set.js';

export function revertPatch(d: Difference, live: KubeObject): JsonPatchOp[] {
  if (d.op === 'changed') return [{ op: 'replace', path: d.path, value: d.manifest }];
  if (d.op === 'added') return [{ op: 'remove', path: d.path }];
  const tokens = parsePointer(d.path);
  const parent = tokens.slice(0, -1);
  // an element only the manifest has goes to the end of the live list
  if (Array.isArray(getAt(live, pointer(...parent)))) return [{ op: 'add', path: pointer(...parent, '-'), value: d.manifest }];
  return [{ op: 'add', path: d.path, value: d.manifest }];
}

/** The manifest snippet holding the live value at the difference's path (null where adopting means deleting). */
export function adoptSnippet(ref: ResourceRef, live: KubeObject, d: Difference): unknown {
  const root: JsonMap = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
  const tokens = parsePointer(d.path);
  const value = d.op === 'removed' ? null : d.live;
  let out: JsonMap = root;
  let cur: unknown = live;
  const seen: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const last = i === tokens.length - 1;
    const next = isJsonMap(cur) ? cur[t] : undefined;
    const keys = Array.isArray(next) ? listKind([...seen, t]) : undefined;
    if (last) {
      out[t] = value;
      break;
    }
    if (Array.isArray(next)) {
      if (!keys || keys === 'set') {
        // an atomic list (or a set) is adopted whole, as it is live
        out[t] = structuredClone(next);
        break;
      }
      const idx = Number(tokens[i + 1]);
      const el = next[idx];
      const elOut: JsonMap = {};
      for (const k of keys) if (isJsonMap(el) && el[k] !== undefined) elOut[k] = el[k];
      out[t] = [elOut];
      if (i + 1 === tokens.length - 1) {
        if (d.op === 'removed') elOut.$patch = 'delete';
        else if (isJsonMap(value)) Object.assign(elOut, value);
        break;
      }
      out = elOut;
      cur = el;
      seen.push(t, tokens[i + 1]);
      i++;
      continue;
    }
    const child: JsonMap = isJsonMap(out[t]) ? (out[t] as JsonMap) : {};
    out[t] = child;
    out = child;
    cur = next;
    seen.push(t);
  }
  return root;
}

/** A live object as a manifest: without what the server keeps for itself (status, uid, managedFields...). */
export function cleanLive(o: KubeObject): KubeObject {
  const copy = structuredClone(o) as JsonMap;
  for (const f of SERVER_SET) {
    if (f.mode !== 'always' || f.kinds || f.pointer.includes('*')) continue;
    const tokens = parsePointer(f.pointer);
    const parent = getAt(copy, pointer(...tokens.slice(0, -1)));
    if (isJsonMap(parent)) delete parent[tokens[tokens.length - 1]];
  }
  const meta = copy.metadata;
  if (isJsonMap(meta) && isJsonMap(meta.annotations) && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  return copy as KubeObject;
}
