/**
 * Lists and sets: cel-go ext.Lists version 3 (slice, flatten, sort, sortBy, lists.range, reverse, distinct,
 * first, last), ext.Sets (sets.contains/equivalent/intersects) and Kubernetes' list library version 1
 * (isSorted, sum, max, min, indexOf, lastIndexOf, includes — k8s.io/apiserver/pkg/cel/library/lists.go).
 */
import { CelEvalError } from '../errors.js';
import { add, big, compare, equals, kind, typeName } from '../ops.js';
import { CelDuration, CelOptional, CelUint, dbl, type Value } from '../values.js';
import type { CelFunction } from '../interpret.js';
import { actualSize, fn, method, overloadError, traversal, type Table } from './define.js';

const COMPARABLE = new Set(['int', 'uint', 'double', 'bool', 'duration', 'timestamp', 'string', 'bytes']);

function list(v: Value, name: string, rest: Value[] = []): Value[] {
  if (kind(v) !== 'list') overloadError(name, [v, ...rest]);
  return v as Value[];
}

/** Registers a list overload beside an existing receiver function of the same name (e.g. string indexOf). */
function listMethod(t: Table, name: string, arity: number, impl: (a: Value[]) => Value, cost?: CelFunction['cost']): void {
  const key = `.${name}/${arity + 1}`;
  const prev = t.get(key);
  if (!prev) {
    method(t, name, arity, impl, cost);
    return;
  }
  t.set(key, {
    impl: (a, st) => (kind(a[0]) === 'list' ? impl(a) : prev.impl(a, st)),
    cost: (a, r) => (kind(a[0]) === 'list' ? (cost ? cost(a, r) : 1) : prev.cost ? prev.cost(a, r) : 1),
  });
}

function sameComparableType(l: Value[], name: string): void {
  if (l.length === 0) return;
  const k = kind(l[0]);
  if (!COMPARABLE.has(k)) throw new CelEvalError(`no such overload: ${name}(list(${typeName(l[0])}))`);
  for (const x of l) if (kind(x) !== k) throw new CelEvalError(`no such overload: ${name} on a list of mixed types`);
}

export function registerLists(t: Table): void {
  const traverse = ([l]: Value[]): number => actualSize(l);
  // Kubernetes lists library
  listMethod(t, 'isSorted', 0, ([l]) => {
    const a = list(l, 'isSorted');
    sameComparableType(a, 'isSorted');
    for (let i = 1; i < a.length; i++) if (compare(a[i - 1], a[i], 'isSorted') > 0) return false;
    return true;
  }, traverse);
  listMethod(t, 'sum', 0, ([l]) => {
    const a = list(l, 'sum');
    if (a.length === 0) return 0n;
    let s = a[0];
    for (let i = 1; i < a.length; i++) s = add(s, a[i]);
    const k = kind(s);
    if (!['int', 'uint', 'double', 'duration'].includes(k)) return overloadError('sum', [l]);
    return k === 'double' ? dbl(Number(s)) : s;
  }, traverse);
  const extreme = (name: string, sign: number) => ([l]: Value[]): Value => {
    const a = list(l, name);
    if (a.length === 0) throw new CelEvalError(`${name} of empty list`);
    sameComparableType(a, name);
    let m = a[0];
    for (const x of a) if (compare(x, m, name) * sign > 0) m = x;
    return m;
  };
  listMethod(t, 'max', 0, extreme('max', 1), traverse);
  listMethod(t, 'min', 0, extreme('min', -1), traverse);
  listMethod(t, 'indexOf', 1, ([l, x]) => BigInt(list(l, 'indexOf').findIndex((y) => equals(x, y))), traverse);
  listMethod(t, 'lastIndexOf', 1, ([l, x]) => {
    const a = list(l, 'lastIndexOf');
    for (let i = a.length - 1; i >= 0; i--) if (equals(x, a[i])) return BigInt(i);
    return -1n;
  }, traverse);
  listMethod(t, 'includes', 1, ([l, x]) => list(l, 'includes').some((y) => equals(x, y)), traverse);

  // cel-go ext.Lists v3
  listMethod(t, 'slice', 2, ([l, s, e]) => {
    const a = list(l, 'slice', [s, e]);
    const i = Number(big(s));
    const j = Number(big(e));
    if (i < 0 || j < 0) throw new CelEvalError(`cannot slice(${i}, ${j}), negative indexes not supported`);
    if (i > j) throw new CelEvalError(`cannot slice(${i}, ${j}), start index must be less than or equal to end index`);
    if (j > a.length) throw new CelEvalError(`cannot slice(${i}, ${j}), list is length ${a.length}`);
    return a.slice(i, j);
  }, (_a, r) => actualSize(r));
  const flatten = (a: Value[], depth: number): Value[] => {
    const out: Value[] = [];
    for (const x of a) {
      if (kind(x) === 'list' && depth > 0) out.push(...flatten(x as Value[], depth - 1));
      else out.push(x);
    }
    return out;
  };
  listMethod(t, 'flatten', 0, ([l]) => flatten(list(l, 'flatten'), 1), (_a, r) => actualSize(r));
  listMethod(t, 'flatten', 1, ([l, d]) => {
    const depth = Number(big(d));
    if (depth < 0) throw new CelEvalError('level must be non-negative');
    return flatten(list(l, 'flatten', [d]), depth);
  }, (_a, r) => actualSize(r));
  listMethod(t, 'sort', 0, ([l]) => {
    const a = list(l, 'sort');
    sameComparableType(a, 'sort');
    return [...a].sort((x, y) => compare(x, y, 'sort'));
  }, ([l]) => sortCost(actualSize(l)));
  fn(t, 'lists.range', 1, ([n]) => {
    if (kind(n) !== 'int') return overloadError('lists.range', [n]);
    const k = Number(big(n));
    if (k > 1_000_000) throw new CelEvalError('lists.range: too large');
    return Array.from({ length: Math.max(0, k) }, (_, i) => BigInt(i));
  }, (_a, r) => actualSize(r));
  listMethod(t, 'reverse', 0, ([l]) => [...list(l, 'reverse')].reverse(), (_a, r) => actualSize(r));
  listMethod(t, 'distinct', 0, ([l]) => {
    const out: Value[] = [];
    for (const x of list(l, 'distinct')) if (!out.some((y) => equals(x, y))) out.push(x);
    return out;
  }, ([l], r) => actualSize(l) * actualSize(r));
  listMethod(t, 'first', 0, ([l]) => {
    const a = list(l, 'first');
    return a.length ? CelOptional.of(a[0]) : CelOptional.NONE;
  });
  listMethod(t, 'last', 0, ([l]) => {
    const a = list(l, 'last');
    return a.length ? CelOptional.of(a[a.length - 1]) : CelOptional.NONE;
  });

  // cel-go ext.Sets
  fn(t, 'sets.contains', 2, ([a, b]) => list(b, 'sets.contains', [a]).every((x) => list(a, 'sets.contains').some((y) => equals(x, y))), ([a, b]) => actualSize(a) * actualSize(b));
  fn(t, 'sets.equivalent', 2, ([a, b]) => {
    const x = list(a, 'sets.equivalent');
    const y = list(b, 'sets.equivalent');
    return x.every((v) => y.some((w) => equals(v, w))) && y.every((v) => x.some((w) => equals(v, w)));
  }, ([a, b]) => actualSize(a) * actualSize(b));
  fn(t, 'sets.intersects', 2, ([a, b]) => list(a, 'sets.intersects').some((x) => list(b, 'sets.intersects').some((y) => equals(x, y))), ([a, b]) => actualSize(a) * actualSize(b));
  void traversal;
  void CelUint;
  void CelDuration;
}

function sortCost(n: number): number {
  return n <= 1 ? 1 : Math.ceil(n * Math.log2(n));
}
