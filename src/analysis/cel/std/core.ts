/** CEL's standard definitions (cel-spec langdef.md "Standard Definitions"): operators, conversions, size, strings, optionals. */
import { CelEvalError } from '../errors.js';
import { add, big, compare, div, equals, kind, mapGet, mod, mul, neg, num, sub, checkInt, checkUint, timestampOf } from '../ops.js';
import type { CelType} from '../values.js';
import { CelDuration, CelOptional, CelTimestamp, CelUint, INT64_MAX, INT64_MIN, UINT64_MAX, dbl, typeOf, type Value } from '../values.js';
import { actualSize, both, codePoints, fn, method, overloadError, traversal, type Table } from './define.js';
import { formatDuration, formatTimestamp, parseDuration, parseTimestamp } from './time.js';
import type { Matcher } from '../regex.js';

export function registerCore(t: Table, regex: (pattern: string) => Matcher): void {
  // operators
  fn(t, '_+_', 2, ([a, b]) => add(a, b), ([a, b]) => (kind(a) === 'string' || kind(a) === 'bytes' ? Math.ceil((actualSize(a) + actualSize(b)) * 0.1) : 1));
  fn(t, '_-_', 2, ([a, b]) => sub(a, b));
  fn(t, '_*_', 2, ([a, b]) => mul(a, b));
  fn(t, '_/_', 2, ([a, b]) => div(a, b));
  fn(t, '_%_', 2, ([a, b]) => mod(a, b));
  fn(t, '-_', 1, ([a]) => neg(a));
  fn(t, '!_', 1, ([a]) => (typeof a === 'boolean' ? !a : overloadError('!_', [a])));
  const eqCost = ([a, b]: Value[]): number => Math.ceil(Math.min(actualSize(a), actualSize(b)) * 0.1);
  fn(t, '_==_', 2, ([a, b]) => equals(a, b), eqCost);
  fn(t, '_!=_', 2, ([a, b]) => !equals(a, b), eqCost);
  const cmpCost = ([a, b]: Value[]): number => (typeof a === 'string' || a instanceof Uint8Array ? eqCost([a, b]) : 1);
  fn(t, '_<_', 2, ([a, b]) => compare(a, b, '_<_') < 0, cmpCost);
  fn(t, '_<=_', 2, ([a, b]) => compare(a, b, '_<=_') <= 0, cmpCost);
  fn(t, '_>_', 2, ([a, b]) => compare(a, b, '_>_') > 0, cmpCost);
  fn(t, '_>=_', 2, ([a, b]) => compare(a, b, '_>=_') >= 0, cmpCost);
  fn(
    t,
    '@in',
    2,
    ([a, b]) => {
      const k = kind(b);
      if (k === 'list') return (b as Value[]).some((x) => equals(a, x));
      if (k === 'map') {
        const ka = kind(a);
        if (ka === 'double') {
          const d = num(a);
          return Number.isInteger(d) && mapGet(b, BigInt(d)) !== undefined;
        }
        return mapGet(b, a) !== undefined;
      }
      return overloadError('@in', [a, b]);
    },
    ([, b]) => (kind(b) === 'list' ? actualSize(b) : 1),
  );

  // size
  both(t, 'size', 0, ([a]) => {
    if (typeof a === 'string') return BigInt(codePoints(a));
    const k = kind(a);
    if (k === 'bytes' || k === 'list' || k === 'map') return BigInt(actualSize(a));
    return overloadError('size', [a]);
  });

  // type conversions
  fn(t, 'type', 1, ([a]) => typeOf(a));
  fn(t, 'dyn', 1, ([a]) => a);
  fn(t, 'int', 1, ([a]) => toInt(a));
  fn(t, 'uint', 1, ([a]) => toUint(a));
  fn(t, 'double', 1, ([a]) => toDouble(a));
  fn(t, 'bool', 1, ([a]) => {
    if (typeof a === 'boolean') return a;
    if (typeof a === 'string') {
      if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(a)) return true;
      if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(a)) return false;
      throw new CelEvalError('type conversion error: invalid bool string');
    }
    return overloadError('bool', [a]);
  });
  fn(t, 'string', 1, ([a]) => toString(a), ([a]) => (a instanceof Uint8Array ? traversal(a) : 1));
  fn(t, 'bytes', 1, ([a]) => {
    if (a instanceof Uint8Array) return a;
    if (typeof a === 'string') return new TextEncoder().encode(a);
    return overloadError('bytes', [a]);
  });
  fn(t, 'duration', 1, ([a]) => {
    if (a instanceof CelDuration) return a;
    if (typeof a === 'string') return parseDuration(a);
    return overloadError('duration', [a]);
  });
  fn(t, 'timestamp', 1, ([a]) => {
    if (a instanceof CelTimestamp) return a;
    if (typeof a === 'string') return parseTimestamp(a);
    if (kind(a) === 'int') return timestampOf(big(a) * 1_000_000_000n);
    return overloadError('timestamp', [a]);
  });

  // strings
  const strCost = ([a]: Value[]): number => traversal(a);
  method(t, 'contains', 1, ([s, x]) => (typeof s === 'string' && typeof x === 'string' ? s.includes(x) : overloadError('contains', [s, x])), ([s, x]) => traversal(s) * traversal(x));
  method(t, 'startsWith', 1, ([s, x]) => (typeof s === 'string' && typeof x === 'string' ? s.startsWith(x) : overloadError('startsWith', [s, x])), strCost);
  method(t, 'endsWith', 1, ([s, x]) => (typeof s === 'string' && typeof x === 'string' ? s.endsWith(x) : overloadError('endsWith', [s, x])), strCost);
  const matches = ([s, p]: Value[]): Value => (typeof s === 'string' && typeof p === 'string' ? regex(p).test(s) : overloadError('matches', [s, p]));
  const matchCost = ([s, p]: Value[]): number => Math.ceil((1 + actualSize(s)) * 0.1) * Math.ceil(actualSize(p) * 0.25);
  both(t, 'matches', 1, matches, matchCost);

  // optionals (cel-go OptionalTypes)
  fn(t, 'optional.of', 1, ([a]) => CelOptional.of(a));
  fn(t, 'optional.none', 0, () => CelOptional.NONE);
  fn(t, 'optional.ofNonZeroValue', 1, ([a]) => (isZeroValue(a) ? CelOptional.NONE : CelOptional.of(a)));
  method(t, 'hasValue', 0, ([o]) => (o instanceof CelOptional ? o.hasValue() : overloadError('hasValue', [o])));
  method(t, 'value', 0, ([o]) => {
    if (!(o instanceof CelOptional)) return overloadError('value', [o]);
    if (!o.hasValue()) throw new CelEvalError('optional.none() dereference');
    return o.value!;
  });
  method(t, 'or', 1, ([o, p]) => {
    if (!(o instanceof CelOptional) || !(p instanceof CelOptional)) return overloadError('or', [o, p]);
    return o.hasValue() ? o : p;
  });
  method(t, 'orValue', 1, ([o, v]) => {
    if (!(o instanceof CelOptional)) return overloadError('orValue', [o, v]);
    return o.hasValue() ? o.value! : v;
  });
}

export function isZeroValue(a: Value): boolean {
  switch (kind(a)) {
    case 'int':
      return big(a) === 0n;
    case 'uint':
      return (a as CelUint).v === 0n;
    case 'double':
      return num(a) === 0;
    case 'string':
      return a === '';
    case 'bool':
      return a === false;
    case 'null':
      return true;
    case 'bytes':
    case 'list':
    case 'map':
      return actualSize(a) === 0;
    case 'duration':
    case 'timestamp':
      return (a as CelDuration).nanos === 0n;
    case 'optional':
      return !(a as CelOptional).hasValue();
  }
  return false;
}

/** 2^63 as a double (exact) */
const TWO63 = 2 ** 63;

export function toInt(a: Value): Value {
  const k = kind(a);
  switch (k) {
    case 'int':
      return big(a);
    case 'uint':
      return checkInt((a as CelUint).v);
    case 'double': {
      const d = num(a);
      // cel-go: the double must fit strictly inside int64's range
      if (!Number.isFinite(d) || d <= -TWO63 || d >= TWO63) throw new CelEvalError('integer overflow');
      const r = BigInt(Math.trunc(d));
      if (r > INT64_MAX || r < INT64_MIN) throw new CelEvalError('integer overflow');
      return r;
    }
    case 'string': {
      if (!/^[-+]?[0-9]+$/.test(a as string)) throw new CelEvalError('type conversion error: invalid int string');
      return checkInt(BigInt(a as string));
    }
    case 'timestamp':
      return floorDiv((a as CelTimestamp).nanos, 1_000_000_000n);
    case 'duration':
      return (a as CelDuration).nanos;
  }
  return overloadError('int', [a]);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

export function toUint(a: Value): Value {
  const k = kind(a);
  switch (k) {
    case 'uint':
      return a;
    case 'int':
      return checkUint(big(a));
    case 'double': {
      const d = num(a);
      if (!Number.isFinite(d) || d < 0 || d >= 2 * TWO63) throw new CelEvalError('unsigned integer overflow');
      return checkUint(BigInt(Math.trunc(d)));
    }
    case 'string': {
      if (!/^\+?[0-9]+$/.test(a as string)) throw new CelEvalError('type conversion error: invalid uint string');
      const v = BigInt(a as string);
      if (v > UINT64_MAX) throw new CelEvalError('unsigned integer overflow');
      return new CelUint(v);
    }
  }
  return overloadError('uint', [a]);
}

export function toDouble(a: Value): Value {
  const k = kind(a);
  switch (k) {
    case 'double':
      return a;
    case 'int':
      return dbl(Number(big(a)));
    case 'uint':
      return dbl(Number((a as CelUint).v));
    case 'string': {
      const s = a as string;
      if (/^[-+]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
      if (/^nan$/i.test(s)) return NaN;
      if (!/^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(s)) throw new CelEvalError('type conversion error: invalid double string');
      return dbl(Number(s));
    }
  }
  return overloadError('double', [a]);
}

export function toString(a: Value): string {
  switch (kind(a)) {
    case 'string':
      return a as string;
    case 'int':
      return big(a).toString();
    case 'uint':
      return (a as CelUint).v.toString();
    case 'double':
      return formatDouble(num(a));
    case 'bool':
      return a ? 'true' : 'false';
    case 'bytes':
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(a as Uint8Array);
      } catch {
        throw new CelEvalError('invalid UTF-8 in bytes, cannot convert to string');
      }
    case 'timestamp':
      return formatTimestamp(a as CelTimestamp);
    case 'duration':
      return formatDuration(a as CelDuration);
    case 'type':
      return (a as CelType).name;
    case 'object': {
      const o = a as { celString?: () => string };
      if (typeof o.celString === 'function') return o.celString();
    }
  }
  return overloadError('string', [a]);
}

/** Go's strconv.FormatFloat(d, 'f', -1, 64), which cel-go uses for string(double): shortest digits, no exponent. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return '+Inf';
  if (d === -Infinity) return '-Inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mant, expS] = Math.abs(d).toExponential().split('e');
  const exp = Number(expS);
  const digits = mant.replace('.', '');
  let out: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    out = frac ? `${intPart}.${frac}` : intPart;
  } else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return d < 0 ? '-' + out : out;
}
