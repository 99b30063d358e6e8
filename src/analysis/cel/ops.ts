/** CEL's core semantics over our value representation: kinds, equality, ordering, arithmetic, map lookup. */
import { CelEvalError, noSuchOverload } from './errors.js';
import {
  CelDouble,
  CelDuration,
  CelMap,
  CelOptional,
  CelTimestamp,
  CelType,
  CelUint,
  INT64_MAX,
  INT64_MIN,
  UINT64_MAX,
  dbl,
  isIntNumber,
  isObjectValue,
  isPlainMap,
  typeOf,
  type CelObject,
  type Value,
} from './values.js';

export type Kind = 'int' | 'uint' | 'double' | 'string' | 'bytes' | 'bool' | 'null' | 'list' | 'map' | 'type' | 'timestamp' | 'duration' | 'optional' | 'object';

export function kind(v: Value): Kind {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return isIntNumber(v) ? 'int' : 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (v instanceof CelDouble) return 'double';
  if (v instanceof CelUint) return 'uint';
  if (v instanceof Uint8Array) return 'bytes';
  if (isPlainMap(v) || v instanceof CelMap) return 'map';
  if (v instanceof CelTimestamp) return 'timestamp';
  if (v instanceof CelDuration) return 'duration';
  if (v instanceof CelType) return 'type';
  if (v instanceof CelOptional) return 'optional';
  return 'object';
}

export function typeName(v: Value): string {
  return typeOf(v).name;
}

/** int value as bigint (ints are bigints or integral JS numbers). */
export function big(v: Value): bigint {
  return typeof v === 'bigint' ? v : BigInt(v as number);
}
export function num(v: Value): number {
  return typeof v === 'number' ? v : v instanceof CelDouble ? v.v : Number(v as bigint);
}

export function checkInt(v: bigint): bigint {
  if (v > INT64_MAX || v < INT64_MIN) throw new CelEvalError('integer overflow');
  return v;
}
export function checkUint(v: bigint): CelUint {
  if (v > UINT64_MAX || v < 0n) throw new CelEvalError('unsigned integer overflow');
  return new CelUint(v);
}

// ---- equality (heterogeneous numeric equality, as cel-go with CrossTypeNumericComparisons)

export function equals(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  if (typeof a === 'string' || typeof b === 'string') return false;
  const ka = kind(a);
  const kb = kind(b);
  if (isNumeric(ka) && isNumeric(kb)) return compareNumbers(a, ka, b, kb) === 0;
  if (ka !== kb) return false;
  switch (ka) {
    case 'string':
    case 'bool':
      return a === b;
    case 'null':
      return true;
    case 'bytes':
      return bytesEqual(a as Uint8Array, b as Uint8Array);
    case 'list': {
      const la = a as readonly unknown[];
      const lb = b as readonly unknown[];
      if (la.length !== lb.length) return false;
      for (let i = 0; i < la.length; i++) if (!equals(la[i] as Value, lb[i] as Value)) return false;
      return true;
    }
    case 'map':
      return mapsEqual(a, b);
    case 'type':
      return (a as CelType).name === (b as CelType).name;
    case 'timestamp':
    case 'duration':
      return (a as CelTimestamp).nanos === (b as CelTimestamp).nanos;
    case 'optional': {
      const oa = a as CelOptional;
      const ob = b as CelOptional;
      return oa.hasValue() === ob.hasValue() && (!oa.hasValue() || equals(oa.value!, ob.value!));
    }
    case 'object':
      return (a as CelObject).celType.name === (b as CelObject).celType.name && (a as CelObject).celEquals(b as CelObject);
  }
  return false;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function mapsEqual(a: Value, b: Value): boolean {
  if (mapSize(a) !== mapSize(b)) return false;
  for (const [k, v] of mapEntries(a)) {
    const o = mapGet(b, k);
    if (o === undefined || !equals(v, o)) return false;
  }
  return true;
}

export function isNumeric(k: Kind): boolean {
  return k === 'int' || k === 'uint' || k === 'double';
}

/** -1/0/1, or NaN when a double is NaN. */
function compareNumbers(a: Value, ka: Kind, b: Value, kb: Kind): number {
  if (ka === 'double' || kb === 'double') {
    const x = ka === 'double' ? num(a) : ka === 'uint' ? Number((a as CelUint).v) : num(a);
    const y = kb === 'double' ? num(b) : kb === 'uint' ? Number((b as CelUint).v) : num(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
    // cel-go compares an int with a double as doubles (so 2^63-1 equals 2^63 as a double)
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = ka === 'uint' ? (a as CelUint).v : big(a);
  const y = kb === 'uint' ? (b as CelUint).v : big(b);
  return cmpBig(x, y);
}
function cmpBig(x: bigint, y: bigint): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Ordering for <, <=, >, >=: numbers across types, strings by code point, bytes, bools, timestamps, durations. */
export function compare(a: Value, b: Value, fn: string): number {
  // fast paths: JSON ints against int literals, strings
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint') && (ta === 'bigint' || Number.isSafeInteger(a)) && (tb === 'bigint' || Number.isSafeInteger(b))) {
    return a! < b! ? -1 : a! > b! ? 1 : 0;
  }
  const ka = kind(a);
  const kb = kind(b);
  if (isNumeric(ka) && isNumeric(kb)) return compareNumbers(a, ka, b, kb);
  if (ka !== kb) throw noSuchOverload(fn, typeName(a), typeName(b));
  switch (ka) {
    case 'string':
      return compareStrings(a as string, b as string);
    case 'bool':
      return a === b ? 0 : a ? 1 : -1;
    case 'bytes': {
      const x = a as Uint8Array;
      const y = b as Uint8Array;
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
    }
    case 'timestamp':
    case 'duration':
      return cmpBig((a as CelTimestamp).nanos, (b as CelTimestamp).nanos);
    case 'object': {
      const o = a as CelObject & { compareTo?: (b: CelObject) => number };
      if (typeof o.compareTo === 'function' && (b as CelObject).celType.name === o.celType.name) return o.compareTo(b as CelObject);
    }
  }
  throw noSuchOverload(fn, typeName(a), typeName(b));
}

/** Go compares strings bytewise (UTF-8), which is code point order; JS compares UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x >= 0xd800 && x < 0xe000) || (y >= 0xd800 && y < 0xe000)) {
      const cx = a.codePointAt(i)!;
      const cy = b.codePointAt(i)!;
      if (cx !== cy) return cx < cy ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

// ---- maps

export function mapSize(m: Value): number {
  return m instanceof CelMap ? m.size : Object.keys(m as object).length;
}
export function* mapEntries(m: Value): Iterable<[Value, Value]> {
  if (m instanceof CelMap) {
    for (const e of m.entries.values()) yield e;
    return;
  }
  for (const k of Object.keys(m as object)) yield [k, (m as Record<string, unknown>)[k] as Value];
}
export function mapKeys(m: Value): Value[] {
  return m instanceof CelMap ? [...m.entries.values()].map((e) => e[0]) : Object.keys(m as object);
}

/** The value under `k`, or undefined when absent. Keys of numeric types are equal across int/uint/double. */
export function mapGet(m: Value, k: Value): Value | undefined {
  if (m instanceof CelMap) {
    if (kind(k) === 'double') {
      const d = num(k);
      return Number.isInteger(d) ? m.get(BigInt(d)) : undefined;
    }
    return m.get(k);
  }
  if (typeof k !== 'string') {
    const kk = kind(k);
    if (kk === 'int' || kk === 'uint' || kk === 'bool' || kk === 'double') return undefined;
    throw new CelEvalError(`unsupported key type: ${typeName(k)}`);
  }
  const o = m as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(o, k)) return undefined;
  const v = o[k] as Value;
  // In objects from JSON/YAML (plain prototype) a null field is absent, as the API server decodes it;
  // maps CEL builds have a null prototype and keep null values.
  return v === null && Object.getPrototypeOf(o) === Object.prototype ? undefined : v;
}

export function validKey(k: Value): boolean {
  const kk = kind(k);
  return kk === 'string' || kk === 'int' || kk === 'uint' || kk === 'bool';
}

// ---- arithmetic

export function add(a: Value, b: Value): Value {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === kb) {
    switch (ka) {
      case 'int':
        return checkInt(big(a) + big(b));
      case 'uint':
        return checkUint((a as CelUint).v + (b as CelUint).v);
      case 'double':
        return dbl(num(a) + num(b));
      case 'string':
        return (a as string) + (b as string);
      case 'bytes': {
        const x = a as Uint8Array;
        const y = b as Uint8Array;
        const out = new Uint8Array(x.length + y.length);
        out.set(x);
        out.set(y, x.length);
        return out;
      }
      case 'list':
        return [...(a as unknown[]), ...(b as unknown[])];
      case 'duration':
        return durationOf((a as CelDuration).nanos + (b as CelDuration).nanos);
    }
  }
  if (ka === 'timestamp' && kb === 'duration') return timestampOf((a as CelTimestamp).nanos + (b as CelDuration).nanos);
  if (ka === 'duration' && kb === 'timestamp') return timestampOf((a as CelDuration).nanos + (b as CelTimestamp).nanos);
  throw noSuchOverload('_+_', typeName(a), typeName(b));
}

export function sub(a: Value, b: Value): Value {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === kb) {
    switch (ka) {
      case 'int':
        return checkInt(big(a) - big(b));
      case 'uint':
        return checkUint((a as CelUint).v - (b as CelUint).v);
      case 'double':
        return dbl(num(a) - num(b));
      case 'duration':
        return durationOf((a as CelDuration).nanos - (b as CelDuration).nanos);
      case 'timestamp':
        return durationOf((a as CelTimestamp).nanos - (b as CelTimestamp).nanos);
    }
  }
  if (ka === 'timestamp' && kb === 'duration') return timestampOf((a as CelTimestamp).nanos - (b as CelDuration).nanos);
  throw noSuchOverload('_-_', typeName(a), typeName(b));
}

export function mul(a: Value, b: Value): Value {
  const ka = kind(a);
  if (ka === kind(b)) {
    if (ka === 'int') return checkInt(big(a) * big(b));
    if (ka === 'uint') return checkUint((a as CelUint).v * (b as CelUint).v);
    if (ka === 'double') return dbl(num(a) * num(b));
  }
  throw noSuchOverload('_*_', typeName(a), typeName(b));
}

export function div(a: Value, b: Value): Value {
  const ka = kind(a);
  if (ka === kind(b)) {
    if (ka === 'int') {
      const y = big(b);
      if (y === 0n) throw new CelEvalError('division by zero');
      return checkInt(big(a) / y);
    }
    if (ka === 'uint') {
      const y = (b as CelUint).v;
      if (y === 0n) throw new CelEvalError('division by zero');
      return new CelUint((a as CelUint).v / y);
    }
    if (ka === 'double') return dbl(num(a) / num(b));
  }
  throw noSuchOverload('_/_', typeName(a), typeName(b));
}

export function mod(a: Value, b: Value): Value {
  const ka = kind(a);
  if (ka === kind(b)) {
    if (ka === 'int') {
      const y = big(b);
      if (y === 0n) throw new CelEvalError('modulus by zero');
      return big(a) % y;
    }
    if (ka === 'uint') {
      const y = (b as CelUint).v;
      if (y === 0n) throw new CelEvalError('modulus by zero');
      return new CelUint((a as CelUint).v % y);
    }
  }
  throw noSuchOverload('_%_', typeName(a), typeName(b));
}

export function neg(a: Value): Value {
  const ka = kind(a);
  if (ka === 'int') return checkInt(-big(a));
  if (ka === 'double') return dbl(-num(a));
  throw noSuchOverload('-_', typeName(a));
}

// Timestamps: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z; durations: ±(2^63-1) ns (Go's time.Duration).
export const MIN_TS = -62135596800n * 1_000_000_000n;
export const MAX_TS = 253402300799n * 1_000_000_000n + 999_999_999n;
export function timestampOf(nanos: bigint): CelTimestamp {
  if (nanos < MIN_TS || nanos > MAX_TS) throw new CelEvalError('timestamp out of range');
  return new CelTimestamp(nanos);
}
export function durationOf(nanos: bigint): CelDuration {
  if (nanos > INT64_MAX || nanos < INT64_MIN + 1n) throw new CelEvalError('duration out of range');
  return new CelDuration(nanos);
}

export function isObject(v: Value): v is CelObject {
  return isObjectValue(v);
}
