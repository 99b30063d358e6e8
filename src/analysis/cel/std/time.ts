/** Timestamps and durations: RFC 3339 and Go duration syntax, accessors with time zones (IANA names or ±HH:MM). */
import { CelEvalError } from '../errors.js';
import { big, durationOf, kind, timestampOf } from '../ops.js';
import { CelDuration, CelTimestamp, type Value } from '../values.js';
import { method, overloadError, type Table } from './define.js';

const NS = 1_000_000_000n;

export function parseTimestamp(s: string): CelTimestamp {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(s);
  if (!m) throw new CelEvalError('timestamp parse error: not RFC 3339');
  const [, y, mo, d, h, mi, sec, frac, , sign, oh, om] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  const dt = new Date(ms);
  if (dt.getUTCDate() !== Number(d) || dt.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) throw new CelEvalError('timestamp parse error: invalid date');
  let secs = BigInt(Math.floor(ms / 1000));
  if (Number(y) < 100) secs = BigInt(Math.floor(utcYearFix(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec))));
  if (sign) secs -= BigInt((sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60));
  const nanos = frac ? BigInt(frac.padEnd(9, '0')) : 0n;
  return timestampOf(secs * NS + nanos);
}

/** Date.UTC maps years 0-99 to 1900-1999; compute those directly. */
function utcYearFix(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d);
  dt.setUTCHours(h, mi, s, 0);
  return dt.getTime() / 1000;
}

export function formatTimestamp(t: CelTimestamp): string {
  const secs = floorDiv(t.nanos, NS);
  const nanos = Number(t.nanos - secs * NS);
  const dt = new Date(0);
  dt.setUTCFullYear(1970, 0, 1);
  dt.setTime(Number(secs) * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const frac = nanos ? '.' + String(nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}T${pad(dt.getUTCHours())}:${pad(dt.getUTCMinutes())}:${pad(dt.getUTCSeconds())}${frac}Z`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: NS, m: 60n * NS, h: 3600n * NS };

/** Go's time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ */
export function parseDuration(s: string): CelDuration {
  let rest = s;
  let neg = false;
  if (rest[0] === '-' || rest[0] === '+') {
    neg = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return new CelDuration(0n);
  if (rest === '') throw new CelEvalError('invalid duration');
  let total = 0n;
  while (rest) {
    const m = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) throw new CelEvalError('invalid duration');
    const unit = UNITS[m[3]];
    let v = BigInt(m[1] || '0') * unit;
    if (m[2]) v += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    total += v;
    if (total > 9223372036854775807n) throw new CelEvalError('invalid duration: out of range');
    rest = rest.slice(m[0].length);
  }
  return durationOf(neg ? -total : total);
}

/** cel-go: seconds with up to 9 fractional digits and an "s" suffix. */
export function formatDuration(d: CelDuration): string {
  const neg = d.nanos < 0n;
  const a = neg ? -d.nanos : d.nanos;
  const secs = a / NS;
  const frac = a % NS;
  const f = frac ? '.' + String(frac).padStart(9, '0').replace(/0+$/, '') : '';
  return `${neg ? '-' : ''}${secs}${f}s`;
}

/** Calendar fields of a timestamp in a zone ("UTC" by default, as Kubernetes sets DefaultUTCTimeZone). */
function fields(t: CelTimestamp, tz: string | undefined): { y: number; mo: number; d: number; h: number; mi: number; s: number; dow: number; doy: number; ms: number } {
  const secs = floorDiv(t.nanos, NS);
  const ms = Number((t.nanos - secs * NS) / 1_000_000n);
  const offset = tz === undefined ? 0 : zoneOffsetSeconds(tz, Number(secs));
  const dt = new Date((Number(secs) + offset) * 1000);
  const start = new Date(0);
  start.setUTCFullYear(dt.getUTCFullYear(), 0, 1);
  start.setUTCHours(0, 0, 0, 0);
  const doy = Math.floor((dt.getTime() - start.getTime()) / 86_400_000);
  return { y: dt.getUTCFullYear(), mo: dt.getUTCMonth(), d: dt.getUTCDate(), h: dt.getUTCHours(), mi: dt.getUTCMinutes(), s: dt.getUTCSeconds(), dow: dt.getUTCDay(), doy, ms };
}

function zoneOffsetSeconds(tz: string, secs: number): number {
  const fixed = /^([+-])?(\d{2}):(\d{2})$/.exec(tz);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60);
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
  } catch {
    throw new CelEvalError('invalid time zone');
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(secs * 1000)).map((p) => [p.type, p.value]));
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const d = new Date(0);
  d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  d.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return Math.round(d.getTime() / 1000 - secs);
}

export function registerTime(t: Table): void {
  const ts = (name: string, pick: (f: ReturnType<typeof fields>) => number): void => {
    const impl = (a: Value[]): Value => {
      const [x, tz] = a;
      if (x instanceof CelTimestamp && (tz === undefined || typeof tz === 'string')) return BigInt(pick(fields(x, tz as string | undefined)));
      return overloadError(name, a);
    };
    method(t, name, 0, impl);
    method(t, name, 1, impl);
  };
  ts('getFullYear', (f) => f.y);
  ts('getMonth', (f) => f.mo);
  ts('getDayOfYear', (f) => f.doy);
  ts('getDayOfMonth', (f) => f.d - 1);
  ts('getDate', (f) => f.d);
  ts('getDayOfWeek', (f) => f.dow);
  const both = (name: string, pickTs: (f: ReturnType<typeof fields>) => number, unit: bigint): void => {
    const impl = (a: Value[]): Value => {
      const [x, tz] = a;
      if (x instanceof CelDuration && tz === undefined) return x.nanos / unit;
      if (x instanceof CelTimestamp && (tz === undefined || typeof tz === 'string')) return BigInt(pickTs(fields(x, tz as string | undefined)));
      return overloadError(name, a);
    };
    method(t, name, 0, impl);
    method(t, name, 1, impl);
  };
  both('getHours', (f) => f.h, 3600n * NS);
  both('getMinutes', (f) => f.mi, 60n * NS);
  both('getSeconds', (f) => f.s, NS);
  both('getMilliseconds', (f) => f.ms, 1_000_000n);
  void kind;
  void big;
}
