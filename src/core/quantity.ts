/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource, ParseQuantity): `<number><suffix>`
 * with binary (Ki … Ei), decimal SI (n u m '' k M G T P E) or exponent (e3, E-2) suffixes. The value is kept
 * exactly as unscaled × 10^-scale, rounded up (away from zero) to nano precision as ParseQuantity does, and
 * binary quantities are capped at 2^63-1.
 */
export class QuantityParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityParseError';
  }
}

export interface Quantity {
  /** value = unscaled × 10^-scale, scale ≤ 9 */
  unscaled: bigint;
  scale: number;
  format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
}

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_INT64 = (1n << 63n) - 1n;

/** parseQuantityString: sign, digits, optional fraction, suffix. */
function split(str: string): { negative: boolean; num: string; denom: string; suffix: string } {
  let pos = 0;
  let negative = false;
  if (str[0] === '-' || str[0] === '+') {
    negative = str[0] === '-';
    pos++;
  }
  const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(str.slice(pos))!;
  const num = m[1].replace(/^0+(?=[0-9])/, '') || '0';
  const denom = m[2] ?? '';
  const suffix = str.slice(pos + m[0].length);
  // the suffix is letters from "eEinumkKMGTP", optionally followed by a signed integer
  if (!/^[eEinumkKMGTP]*([-+]?[0-9]*)$/.test(suffix)) throw new QuantityParseError('quantities must match the regular expression');
  return { negative, num, denom, suffix };
}

export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityParseError('expected a quantity');
  if (str.length > 1024) throw new QuantityParseError('quantity too long');
  const { negative, num, denom, suffix } = split(str);
  let base = 10;
  let exponent: number;
  let format: Quantity['format'];
  if (suffix in DECIMAL) {
    exponent = DECIMAL[suffix];
    format = 'DecimalSI';
  } else if (suffix in BINARY) {
    base = 2;
    exponent = BINARY[suffix];
    format = 'BinarySI';
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    exponent = Number(suffix.slice(1));
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) throw new QuantityParseError('unable to parse quantity\'s suffix');
    format = 'DecimalExponent';
  } else throw new QuantityParseError("unable to parse quantity's suffix");

  let unscaled = BigInt(num + denom);
  let scale = denom.length;
  if (base === 10) scale -= exponent;
  else unscaled *= 1n << BigInt(exponent);
  // round up (away from zero) to nano precision
  if (scale > 9) {
    const div = 10n ** BigInt(scale - 9);
    const q = unscaled / div;
    unscaled = unscaled % div === 0n ? q : q + 1n;
    scale = 9;
  }
  if (format === 'BinarySI' && cmpAbs({ unscaled, scale }, MAX_INT64) > 0) {
    unscaled = MAX_INT64;
    scale = 0;
  }
  if (format === 'BinarySI' && unscaled !== 0n && cmpAbs({ unscaled, scale }, 1n) < 0) format = 'DecimalSI';
  return normalise({ unscaled: negative ? -unscaled : unscaled, scale, format });
}

function normalise(q: Quantity): Quantity {
  let { unscaled, scale } = q;
  while (scale > -30 && unscaled !== 0n && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  if (unscaled === 0n) scale = 0;
  return { unscaled, scale, format: q.format };
}

function cmpAbs(q: { unscaled: bigint; scale: number }, n: bigint): number {
  const a = q.unscaled < 0n ? -q.unscaled : q.unscaled;
  return compareQuantities({ unscaled: a, scale: q.scale, format: 'DecimalSI' }, { unscaled: n, scale: 0, format: 'DecimalSI' });
}

function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [a.unscaled * 10n ** BigInt(s - a.scale), b.unscaled * 10n ** BigInt(s - b.scale), s];
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const [x, y, s] = align(a, b);
  return normalise({ unscaled: x + y, scale: s, format: a.format });
}

export function negateQuantity(a: Quantity): Quantity {
  return { ...a, unscaled: -a.unscaled };
}

export function quantityFromInt(n: bigint): Quantity {
  return normalise({ unscaled: n, scale: 0, format: 'DecimalSI' });
}

export function quantitySign(q: Quantity): number {
  return q.unscaled < 0n ? -1 : q.unscaled > 0n ? 1 : 0;
}

/** Quantity.AsInt64: the value when it is an integer within int64. */
export function quantityAsInt(q: Quantity): bigint | undefined {
  if (q.scale > 0) {
    const d = 10n ** BigInt(q.scale);
    if (q.unscaled % d !== 0n) return undefined;
    return inRange(q.unscaled / d);
  }
  if (q.scale < -19) return q.unscaled === 0n ? 0n : undefined;
  return inRange(q.unscaled * 10n ** BigInt(-q.scale));
}
function inRange(v: bigint): bigint | undefined {
  return v > MAX_INT64 || v < -MAX_INT64 - 1n ? undefined : v;
}

export function quantityAsApproximateFloat(q: Quantity): number {
  return Number(q.unscaled) * 10 ** -q.scale;
}
