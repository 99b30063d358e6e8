/**
 * The field-by-field comparison of a (defaulted) manifest with its live object. Semantic equality where Kubernetes
 * has it: quantities ("1000m" == "1", resource.Quantity), int-or-string values (8080 == "8080"), and lists that are
 * maps or sets (list-keys.ts) matched by key, not by position. Every differing leaf is judged by `keep` (server-set
 * fields, defaults, controllers' fields and ignore rules drop out there); what is kept is grouped back to the
 * highest field that one side lacks entirely, so one added securityContext is one difference, not five.
 */
import { isJsonMap, type JsonMap } from '../../core/json.js';
import { pointer } from '../../core/pointer.js';
import { compareQuantities, parseQuantity } from '../../core/quantity.js';
import { elementKey, listKind } from './list-keys.js';

export type DiffOp = 'changed' | 'added' | 'removed';

/**
 * One differing leaf. Tokens index the live object; an element only the manifest has keeps its manifest index
 * (the live list has no place for it yet).
 */
export interface Leaf {
  op: DiffOp;
  tokens: string[];
  manifest: unknown;
  live: unknown;
  /** Where one side starts to lack the field (equal to tokens for a changed value). */
  anchor: string[];
}

export interface Difference {
  op: DiffOp;
  /** JSON pointer into the live object (an element only the manifest has: its index in the manifest's list). */
  path: string;
  manifest: unknown;
  live: unknown;
}

const QUANTITY_PARENTS = new Set(['limits', 'requests', 'overhead', 'hard', 'capacity', 'allocatable']);
const QUANTITY_FIELDS = new Set(['sizeLimit']);
/** IntOrString fields (k8s.io/apimachinery util/intstr): ports by number or name, percentages or counts. */
const INT_OR_STRING = new Set(['targetPort', 'port', 'maxSurge', 'maxUnavailable', 'minAvailable']);

function isQuantityPath(tokens: readonly string[]): boolean {
  const n = tokens.length;
  return QUANTITY_FIELDS.has(tokens[n - 1] ?? '') || QUANTITY_PARENTS.has(tokens[n - 2] ?? '');
}

/** Equal scalars, as the API server would store them. */
export function sameScalar(a: unknown, b: unknown, tokens: readonly string[]): boolean {
  if (a === b) return true;
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) {
    if (isQuantityPath(tokens)) {
      try {
        return compareQuantities(parseQuantity(String(a)), parseQuantity(String(b))) === 0;
      } catch {
        return false;
      }
    }
    if (INT_OR_STRING.has(tokens[tokens.length - 1] ?? '') && typeof a !== typeof b) return String(a) === String(b);
  }
  return false;
}

/** Every differing leaf between manifest and live. */
export function diffLeaves(manifest: unknown, live: unknown): Leaf[] {
  const out: Leaf[] = [];
  walk(manifest, live, [], [], undefined, out);
  return out;
}

function emptyLike(v: unknown): unknown {
  return Array.isArray(v) ? [] : isJsonMap(v) ? {} : undefined;
}

/** Deeper than this (no Kubernetes object is; a hostile one may be), a subtree is compared whole. */
const MAX_DEPTH = 100;

function walk(m: unknown, l: unknown, mTokens: string[], lTokens: string[], anchor: string[] | undefined, out: Leaf[]): void {
  if (m === undefined && l === undefined) return;
  if (lTokens.length > MAX_DEPTH) {
    if (JSON.stringify(m) !== JSON.stringify(l)) out.push({ op: m === undefined ? 'added' : l === undefined ? 'removed' : 'changed', tokens: lTokens, manifest: m, live: l, anchor: anchor ?? lTokens });
    return;
  }
  if (m === undefined || l === undefined) {
    const present = m === undefined ? l : m;
    const here = anchor ?? lTokens;
    const container = Array.isArray(present) && !listKind(lTokens) ? undefined : emptyLike(present);
    // descend so each leaf can be judged on its own (an annotation the server adds next to one a person added);
    // an atomic list is one leaf
    if (container !== undefined && !isEmpty(present)) {
      if (m === undefined) walk(container, l, mTokens, lTokens, here, out);
      else walk(m, container, mTokens, lTokens, here, out);
      return;
    }
    out.push(m === undefined ? { op: 'added', tokens: lTokens, manifest: undefined, live: l, anchor: here } : { op: 'removed', tokens: lTokens, manifest: m, live: undefined, anchor: here });
    return;
  }
  if (isJsonMap(m) && isJsonMap(l)) {
    for (const k of new Set([...Object.keys(m), ...Object.keys(l)])) walk(m[k], l[k], [...mTokens, k], [...lTokens, k], anchor, out);
    return;
  }
  if (Array.isArray(m) && Array.isArray(l)) {
    const keys = listKind(lTokens);
    if (keys) return walkKeyed(m, l, keys, mTokens, lTokens, anchor, out);
    if (!sameList(m, l, mTokens, lTokens)) out.push({ op: 'changed', tokens: lTokens, manifest: m, live: l, anchor: anchor ?? lTokens });
    return;
  }
  if (isJsonMap(m) || isJsonMap(l) || Array.isArray(m) || Array.isArray(l) || !sameScalar(m, l, lTokens)) {
    out.push({ op: 'changed', tokens: lTokens, manifest: m, live: l, anchor: anchor ?? lTokens });
  }
}

function walkKeyed(m: unknown[], l: unknown[], keys: readonly string[] | 'set', mTokens: string[], lTokens: string[], anchor: string[] | undefined, out: Leaf[]): void {
  const liveByKey = new Map<string, number>();
  l.forEach((el, i) => {
    const k = elementKey(el, keys);
    if (k !== undefined && !liveByKey.has(k)) liveByKey.set(k, i);
  });
  const matched = new Set<number>();
  m.forEach((el, i) => {
    const k = elementKey(el, keys);
    const j = k === undefined ? undefined : liveByKey.get(k);
    if (j === undefined) walk(el, undefined, [...mTokens, String(i)], [...lTokens, String(i)], anchor, out);
    else {
      matched.add(j);
      walk(el, l[j], [...mTokens, String(i)], [...lTokens, String(j)], anchor, out);
    }
  });
  l.forEach((el, j) => {
    if (!matched.has(j)) walk(undefined, el, [...mTokens, String(j)], [...lTokens, String(j)], anchor, out);
  });
}

/** An atomic list: same length, each element equal in order. */
function sameList(m: unknown[], l: unknown[], mTokens: string[], lTokens: string[]): boolean {
  if (m.length !== l.length) return false;
  return m.every((el, i) => {
    const o: Leaf[] = [];
    walk(el, l[i], [...mTokens, String(i)], [...lTokens, String(i)], undefined, o);
    return o.length === 0;
  });
}

function isEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isJsonMap(v) ? Object.keys(v).length === 0 : false;
}

/** Deep equality with the semantic scalar rules and keyed lists. */
export function sameValue(a: unknown, b: unknown, tokens: readonly string[] = []): boolean {
  const out: Leaf[] = [];
  walk(a, b, [...tokens], [...tokens], undefined, out);
  return out.length === 0;
}

/** Kept leaves grouped by anchor: one difference per field one side lacks, or per changed value. */
export function groupLeaves(kept: readonly Leaf[]): Difference[] {
  const groups = new Map<string, Leaf[]>();
  for (const leaf of kept) {
    const id = `${leaf.op}\u0000${pointer(...leaf.anchor)}`;
    (groups.get(id) ?? groups.set(id, []).get(id)!).push(leaf);
  }
  const out: Difference[] = [];
  for (const leaves of groups.values()) {
    const { op, anchor } = leaves[0];
    if (op === 'changed') {
      for (const leaf of leaves) out.push({ op, path: pointer(...leaf.tokens), manifest: leaf.manifest, live: leaf.live });
      continue;
    }
    const side = op === 'added' ? 'live' : 'manifest';
    // the value rebuilt from the kept leaves only (what an ignore rule dropped is not shown)
    let value: unknown;
    for (const leaf of leaves) value = setAt(value, leaf.tokens.slice(anchor.length), leaf[side]);
    value = compact(value);
    out.push({ op, path: pointer(...anchor), manifest: op === 'removed' ? value : undefined, live: op === 'added' ? value : undefined });
  }
  return out;
}

function setAt(root: unknown, rel: readonly string[], value: unknown): unknown {
  if (rel.length === 0) return value;
  const [head, ...rest] = rel;
  const isIndex = /^\d+$/.test(head);
  const container: JsonMap | unknown[] = root !== undefined ? (root as JsonMap | unknown[]) : isIndex ? [] : {};
  if (Array.isArray(container)) {
    const i = Number(head);
    container[i] = setAt(container[i], rest, value);
    return container;
  }
  container[head] = setAt(container[head], rest, value);
  return container;
}

/** Lists without the holes left by dropped elements. */
function compact(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (isJsonMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]));
  return v;
}
