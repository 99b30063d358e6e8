/** Helpers to declare functions for the table the interpreter dispatches on. */
import type { CelFunction, EvalState } from '../interpret.js';
import { noSuchOverload } from '../errors.js';
import { typeName } from '../ops.js';
import type { Value } from '../values.js';

export type Table = Map<string, CelFunction>;

/** A global function `name(args...)`. */
export function fn(t: Table, name: string, arity: number, impl: (a: Value[], st: EvalState) => Value, cost?: CelFunction['cost']): void {
  t.set(`${name}/${arity}`, { impl, cost });
}
/** A receiver-style function `recv.name(args...)`; the receiver is a[0]. */
export function method(t: Table, name: string, arity: number, impl: (a: Value[], st: EvalState) => Value, cost?: CelFunction['cost']): void {
  t.set(`.${name}/${arity + 1}`, { impl, cost });
}
/** Both call styles (CEL declares some functions, e.g. size, as both). */
export function both(t: Table, name: string, arity: number, impl: (a: Value[], st: EvalState) => Value, cost?: CelFunction['cost']): void {
  fn(t, name, arity + 1, impl, cost);
  method(t, name, arity, impl, cost);
}

export function overloadError(name: string, args: Value[]): never {
  throw noSuchOverload(name, ...args.map(typeName));
}

/** Size in cel-go's sense (code points, bytes, elements, entries; 1 for anything else). */
export function actualSize(v: Value): number {
  if (typeof v === 'string') return codePoints(v);
  if (v instanceof Uint8Array) return v.length;
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'object' && v !== null) {
    const s = (v as { size?: unknown }).size;
    if (typeof s === 'number') return s;
    const p = Object.getPrototypeOf(v);
    if (p === Object.prototype || p === null) return Object.keys(v).length;
  }
  return 1;
}

export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}

/** cel-go cost: ceil(size × 0.1) (StringTraversalCostFactor). */
export function traversal(v: Value): number {
  return Math.ceil(actualSize(v) * 0.1);
}
