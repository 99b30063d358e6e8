/**
 * Who owns a field of a live object, from `metadata.managedFields` (server-side apply field sets, FieldsV1:
 * `f:<name>` a field, `k:<json>` a list element by its map keys, `v:<json>` a set element, `.` the element itself;
 * sigs.k8s.io/structured-merge-diff fieldpath/serialize.go). A field under an atomic list or struct is owned by
 * whoever owns that list or struct.
 */
import { isJsonMap, type JsonMap } from '../../core/json.js';
import type { KubeObject } from '../../core/model.js';
import { elementKey, listKind } from './list-keys.js';

export interface FieldManager {
  manager: string;
  /** Apply (server-side apply) or Update (create, update, patch, client-side apply, edit). */
  operation?: string;
  subresource?: string;
  time?: string;
  fields: JsonMap;
}

export function fieldManagers(obj: KubeObject): FieldManager[] {
  const list = obj.metadata?.managedFields;
  if (!Array.isArray(list)) return [];
  const out: FieldManager[] = [];
  for (const e of list) {
    if (!isJsonMap(e) || typeof e.manager !== 'string' || !isJsonMap(e.fieldsV1)) continue;
    out.push({
      manager: e.manager,
      ...(typeof e.operation === 'string' ? { operation: e.operation } : {}),
      ...(typeof e.subresource === 'string' && e.subresource ? { subresource: e.subresource } : {}),
      ...(typeof e.time === 'string' ? { time: e.time } : {}),
      fields: e.fieldsV1,
    });
  }
  return out;
}

/** The managers that own the field at `tokens` of the live object. */
export function ownersOf(managers: readonly FieldManager[], live: unknown, tokens: readonly string[]): FieldManager[] {
  return managers.filter((m) => owns(m.fields, live, tokens));
}

function sortedJson(v: unknown): string | undefined {
  if (!isJsonMap(v)) return undefined;
  return JSON.stringify(Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])));
}

function owns(fields: JsonMap, live: unknown, tokens: readonly string[]): boolean {
  let set: JsonMap = fields;
  let cur: unknown = live;
  const seen: string[] = [];
  for (const t of tokens) {
    const children = Object.keys(set).filter((k) => k !== '.');
    // a leaf entry with tokens left: an atomic struct or list, owned whole
    if (children.length === 0 && seen.length > 0) return true;
    let next: unknown;
    if (Array.isArray(cur)) {
      const kind = listKind(seen);
      if (!kind) return true; // atomic list: its owner owns every element (reached only if the list entry has children)
      const el = cur[Number(t)];
      const want = elementKey(el, kind);
      const entry = Object.keys(set).find((k) => {
        if (kind === 'set') return k === `v:${want}`;
        if (!k.startsWith('k:')) return false;
        try {
          return sortedJson(JSON.parse(k.slice(2))) === want;
        } catch {
          return false;
        }
      });
      next = entry === undefined ? undefined : set[entry];
      cur = el;
    } else {
      next = set[`f:${t}`];
      cur = isJsonMap(cur) ? cur[t] : undefined;
    }
    if (!isJsonMap(next)) return false;
    set = next;
    seen.push(t);
  }
  return true;
}
