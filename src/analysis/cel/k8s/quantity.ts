/** Kubernetes' quantity CEL library (k8s.io/apiserver/pkg/cel/library/quantity.go; Kubernetes ≥ 1.28). */
import { CelEvalError } from '../errors.js';
import { kind, big } from '../ops.js';
import { libraryType, dbl, type CelObject, type Value } from '../values.js';
import { fn, method, overloadError, traversal, type Table } from '../std/define.js';
import { addQuantities, compareQuantities, negateQuantity, parseQuantity, quantityAsApproximateFloat, quantityAsInt, quantityFromInt, quantitySign, QuantityParseError, type Quantity } from '../../../core/quantity.js';

const QUANTITY_TYPE = libraryType('kubernetes.Quantity');

export class CelQuantity implements CelObject {
  readonly celType = QUANTITY_TYPE;
  constructor(readonly q: Quantity) {}
  celEquals(o: CelObject): boolean {
    return o instanceof CelQuantity && compareQuantities(this.q, o.q) === 0;
  }
}

function parse(s: string): CelQuantity {
  try {
    return new CelQuantity(parseQuantity(s));
  } catch (e) {
    if (e instanceof QuantityParseError) throw new CelEvalError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
    throw e;
  }
}

export function registerQuantity(t: Table): void {
  const q = (name: string, a: Value[]): CelQuantity => (a[0] instanceof CelQuantity ? a[0] : overloadError(name, a));
  const other = (name: string, a: Value[]): Quantity => (a[1] instanceof CelQuantity ? a[1].q : kind(a[1]) === 'int' ? quantityFromInt(big(a[1])) : overloadError(name, a));
  const c1 = ([s]: Value[]): number => traversal(s);
  fn(t, 'quantity', 1, (a) => (typeof a[0] === 'string' ? parse(a[0]) : overloadError('quantity', a)), c1);
  fn(t, 'isQuantity', 1, (a) => {
    if (typeof a[0] !== 'string') return overloadError('isQuantity', a);
    try {
      parseQuantity(a[0]);
      return true;
    } catch {
      return false;
    }
  }, c1);
  method(t, 'sign', 0, (a) => BigInt(quantitySign(q('sign', a).q)));
  method(t, 'isInteger', 0, (a) => quantityAsInt(q('isInteger', a).q) !== undefined);
  method(t, 'asInteger', 0, (a) => {
    const v = quantityAsInt(q('asInteger', a).q);
    if (v === undefined) throw new CelEvalError('cannot convert value to integer');
    return v;
  });
  method(t, 'asApproximateFloat', 0, (a) => dbl(quantityAsApproximateFloat(q('asApproximateFloat', a).q)));
  method(t, 'isGreaterThan', 1, (a) => (a[1] instanceof CelQuantity ? compareQuantities(q('isGreaterThan', a).q, a[1].q) === 1 : overloadError('isGreaterThan', a)));
  method(t, 'isLessThan', 1, (a) => (a[1] instanceof CelQuantity ? compareQuantities(q('isLessThan', a).q, a[1].q) === -1 : overloadError('isLessThan', a)));
  method(t, 'compareTo', 1, (a) => (a[1] instanceof CelQuantity ? BigInt(compareQuantities(q('compareTo', a).q, a[1].q)) : overloadError('compareTo', a)));
  method(t, 'add', 1, (a) => new CelQuantity(addQuantities(q('add', a).q, other('add', a))));
  method(t, 'sub', 1, (a) => new CelQuantity(addQuantities(q('sub', a).q, negateQuantity(other('sub', a)))));
}
