/**
 * CEL runtime values. JSON-shaped data (the objects we evaluate) is used as is: a JS array is a CEL list,
 * a plain object a map with string keys, a JS number an int when integral (as Kubernetes decodes JSON
 * into int64) else a double. Values CEL creates use the classes below.
 *   int → bigint · uint → CelUint · double → number · string · bytes → Uint8Array · bool · null
 *   map → plain object (string keys) or CelMap · list → array · timestamp / duration / type / optional → classes
 * Library types (Quantity, IP, …) implement `CelObject`.
 */

export class CelUint {
  constructor(readonly v: bigint) {}
}

export class CelType {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

const libraryTypes = new Map<string, CelType>();
/** A library type (net.IP, kubernetes.Quantity, …): one instance per name, resolvable as a type identifier. */
export function libraryType(name: string): CelType {
  let t = libraryTypes.get(name);
  if (!t) libraryTypes.set(name, (t = new CelType(name)));
  return t;
}
export function lookupLibraryType(name: string): CelType | undefined {
  return libraryTypes.get(name);
}

/** Time as nanoseconds since the Unix epoch (CEL's range: years 0001 to 9999). */
export class CelTimestamp {
  constructor(readonly nanos: bigint) {}
}
export class CelDuration {
  constructor(readonly nanos: bigint) {}
}

export class CelOptional {
  static readonly NONE = new CelOptional(undefined);
  private constructor(readonly value: Value | undefined) {}
  static of(v: Value): CelOptional {
    return new CelOptional(v);
  }
  hasValue(): boolean {
    return this.value !== undefined;
  }
}

/** A library-defined value (Quantity, IP, CIDR, URL, Semver, Format, authorizer values). */
export interface CelObject {
  readonly celType: CelType;
  /** Equality with another value of the same type. */
  celEquals(other: CelObject): boolean;
}

/** A map whose keys are not all strings (CEL map literals with int/uint/bool keys). */
export class CelMap {
  /** normalised key → [original key, value] */
  readonly entries = new Map<string, [Value, Value]>();
  static keyOf(k: Value): string | undefined {
    switch (typeof k) {
      case 'string':
        return 's' + k;
      case 'bigint':
        return 'n' + k;
      case 'boolean':
        return k ? 'bt' : 'bf';
      case 'number':
        return Number.isInteger(k) ? 'n' + BigInt(k) : undefined;
      default:
        if (k instanceof CelUint) return 'n' + k.v;
        return undefined;
    }
  }
  get size(): number {
    return this.entries.size;
  }
  get(k: Value): Value | undefined {
    const n = CelMap.keyOf(k);
    return n === undefined ? undefined : this.entries.get(n)?.[1];
  }
}

/** A map computed entry by entry on first use (Kubernetes' `variables`). */
export interface LazyMap {
  readonly lazy: true;
  get(key: string): Value | undefined;
  has(key: string): boolean;
}

export type Value =
  | bigint
  | number
  | string
  | boolean
  | null
  | Uint8Array
  | CelUint
  | CelType
  | CelTimestamp
  | CelDuration
  | CelOptional
  | CelMap
  | CelObject
  | CelDouble
  | LazyMap
  | readonly unknown[]
  | { readonly [k: string]: unknown };

export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;
export const UINT64_MAX = 18446744073709551615n;

export function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}
export function isObjectValue(v: unknown): v is CelObject {
  return typeof v === 'object' && v !== null && 'celType' in v && 'celEquals' in v;
}

/** An integral JS number within int64 is a CEL int (Kubernetes decodes such JSON numbers as int64). */
export function isIntNumber(n: number): boolean {
  return Number.isInteger(n) && !Object.is(n, -0) && n < 9223372036854775808 && n >= -9223372036854775808;
}

export const TYPES = {
  int: new CelType('int'),
  uint: new CelType('uint'),
  double: new CelType('double'),
  bool: new CelType('bool'),
  string: new CelType('string'),
  bytes: new CelType('bytes'),
  list: new CelType('list'),
  map: new CelType('map'),
  null_type: new CelType('null_type'),
  type: new CelType('type'),
  timestamp: new CelType('google.protobuf.Timestamp'),
  duration: new CelType('google.protobuf.Duration'),
  optional_type: new CelType('optional_type'),
  dyn: new CelType('dyn'),
} as const;

export function typeOf(v: Value): CelType {
  switch (typeof v) {
    case 'bigint':
      return TYPES.int;
    case 'number':
      return isIntNumber(v) ? TYPES.int : TYPES.double;
    case 'string':
      return TYPES.string;
    case 'boolean':
      return TYPES.bool;
  }
  if (v === null) return TYPES.null_type;
  if (v instanceof Uint8Array) return TYPES.bytes;
  if (v instanceof CelUint) return TYPES.uint;
  if (v instanceof CelDouble) return TYPES.double;
  if (Array.isArray(v)) return TYPES.list;
  if (v instanceof CelMap || isPlainMap(v)) return TYPES.map;
  if (v instanceof CelType) return TYPES.type;
  if (v instanceof CelTimestamp) return TYPES.timestamp;
  if (v instanceof CelDuration) return TYPES.duration;
  if (v instanceof CelOptional) return TYPES.optional_type;
  if (isObjectValue(v)) return v.celType;
  return TYPES.dyn;
}

/**
 * A double whose value is integral (e.g. `1.0`, `double(2)`): a plain JS number would read back as an int,
 * so CEL-made doubles with integral values are boxed. JSON input keeps Kubernetes' decoding (integral → int).
 */
export class CelDouble {
  constructor(readonly v: number) {}
}

/** A double result: boxed when integral so that it stays a double. */
export function dbl(n: number): number | CelDouble {
  return isIntNumber(n) || Object.is(n, -0) || Number.isInteger(n) ? new CelDouble(n) : n;
}
