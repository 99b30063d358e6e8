/**
 * cel-go ext.Strings at version 2, as Kubernetes ≥ 1.29 enables it (charAt, indexOf, lastIndexOf, lowerAscii,
 * upperAscii, replace, split, substring, trim, join, format, strings.quote). Indices count code points.
 */
import { CelEvalError } from '../errors.js';
import { big, kind, mapEntries, num, typeName } from '../ops.js';
import type { CelUint} from '../values.js';
import { type Value } from '../values.js';
import { actualSize, fn, method, overloadError, traversal, type Table } from './define.js';
import { formatDouble, toString } from './core.js';

const cps = (s: string): string[] => Array.from(s);
const idx = (v: Value): number => Number(big(v));

function isStr(...v: Value[]): boolean {
  return v.every((x) => typeof x === 'string');
}
function isInt(v: Value): boolean {
  return kind(v) === 'int';
}

// Unicode White_Space, which Go's strings.TrimSpace uses (unicode.IsSpace).
const SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

export function registerStrings(t: Table): void {
  const c1 = ([s]: Value[]): number => traversal(s);
  const c2 = ([s]: Value[]): number => Math.ceil(actualSize(s) * 0.2);
  method(t, 'charAt', 1, ([s, i]) => {
    if (!isStr(s) || !isInt(i)) return overloadError('charAt', [s, i]);
    const a = cps(s as string);
    const n = idx(i);
    if (n < 0 || n > a.length) throw new CelEvalError(`index out of range: ${n}`);
    return a[n] ?? '';
  });
  const indexOf = (last: boolean) => (a: Value[]): Value => {
    const [s, sub, from] = a;
    if (!isStr(s, sub) || (from !== undefined && !isInt(from))) return overloadError(last ? 'lastIndexOf' : 'indexOf', a);
    const hay = cps(s as string);
    const needle = cps(sub as string);
    if (last && from === undefined && needle.length > hay.length) return -1n;
    const start = from === undefined ? (last ? hay.length - needle.length : 0) : idx(from);
    if (start < 0 || start > hay.length) throw new CelEvalError(`index out of range: ${start}`);
    if (needle.length === 0) return BigInt(start);
    const match = (p: number): boolean => needle.every((c, k) => hay[p + k] === c);
    if (last) {
      for (let p = Math.min(start, hay.length - needle.length); p >= 0; p--) if (match(p)) return BigInt(p);
    } else for (let p = start; p + needle.length <= hay.length; p++) if (match(p)) return BigInt(p);
    return -1n;
  };
  method(t, 'indexOf', 1, indexOf(false), c1);
  method(t, 'indexOf', 2, indexOf(false), c1);
  method(t, 'lastIndexOf', 1, indexOf(true), c1);
  method(t, 'lastIndexOf', 2, indexOf(true), c1);
  method(t, 'lowerAscii', 0, ([s]) => (isStr(s) ? (s as string).replace(/[A-Z]+/g, (m) => m.toLowerCase()) : overloadError('lowerAscii', [s])), c1);
  method(t, 'upperAscii', 0, ([s]) => (isStr(s) ? (s as string).replace(/[a-z]+/g, (m) => m.toUpperCase()) : overloadError('upperAscii', [s])), c1);
  const replace = (a: Value[]): Value => {
    const [s, from, to, n] = a;
    if (!isStr(s, from, to) || (n !== undefined && !isInt(n))) return overloadError('replace', a);
    let limit = n === undefined ? -1 : idx(n);
    if (limit === 0) return s;
    const str = s as string;
    const f = from as string;
    if (f === '') {
      // Go: an empty old string matches at the start and after each code point
      const parts = cps(str);
      let out = '';
      for (let i = 0; i <= parts.length; i++) {
        if (limit !== 0) {
          out += to as string;
          limit--;
        }
        if (i < parts.length) out += parts[i];
      }
      return out;
    }
    let out = '';
    let pos = 0;
    while (limit !== 0) {
      const at = str.indexOf(f, pos);
      if (at < 0) break;
      out += str.slice(pos, at) + (to as string);
      pos = at + f.length;
      limit--;
    }
    return out + str.slice(pos);
  };
  method(t, 'replace', 2, replace, c2);
  method(t, 'replace', 3, replace, c2);
  const split = (a: Value[]): Value => {
    const [s, sep, n] = a;
    if (!isStr(s, sep) || (n !== undefined && !isInt(n))) return overloadError('split', a);
    const limit = n === undefined ? -1 : idx(n);
    if (limit === 0) return [];
    const str = s as string;
    const d = sep as string;
    if (d === '') {
      const parts = cps(str);
      if (limit < 0 || limit >= parts.length) return parts;
      return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join('')];
    }
    const parts = str.split(d);
    if (limit < 0 || limit >= parts.length) return parts;
    return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(d)];
  };
  method(t, 'split', 1, split, c2);
  method(t, 'split', 2, split, c2);
  const substring = (a: Value[]): Value => {
    const [s, b, e] = a;
    if (!isStr(s) || !isInt(b) || (e !== undefined && !isInt(e))) return overloadError('substring', a);
    const p = cps(s as string);
    const start = idx(b);
    const end = e === undefined ? p.length : idx(e);
    if (start < 0 || start > p.length) throw new CelEvalError(`index out of range: ${start}`);
    if (end < 0 || end > p.length) throw new CelEvalError(`index out of range: ${end}`);
    if (start > end) throw new CelEvalError(`invalid substring range. start: ${start}, end: ${end}`);
    return p.slice(start, end).join('');
  };
  method(t, 'substring', 1, substring, c1);
  method(t, 'substring', 2, substring, c1);
  method(t, 'trim', 0, ([s]) => (isStr(s) ? (s as string).replace(SPACE, '') : overloadError('trim', [s])), c1);
  const join = (a: Value[]): Value => {
    const [l, sep] = a;
    if (kind(l) !== 'list' || (sep !== undefined && !isStr(sep))) return overloadError('join', a);
    const items = l as Value[];
    if (!items.every((x) => typeof x === 'string')) return overloadError('join', a);
    return items.join((sep as string | undefined) ?? '');
  };
  const joinCost = (_a: Value[], r: Value): number => Math.ceil(actualSize(r) * 0.2);
  method(t, 'join', 0, join, joinCost);
  method(t, 'join', 1, join, joinCost);
  fn(t, 'strings.quote', 1, ([s]) => (isStr(s) ? quote(s as string) : overloadError('strings.quote', [s])), c1);
  method(t, 'format', 1, ([s, args]) => (isStr(s) && kind(args) === 'list' ? format(s as string, args as Value[]) : overloadError('format', [s, args])), c1);
}

export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\v':
        out += '\\v';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      default:
        out += c === 0xfffd && ch !== '\ufffd' ? '\ufffd' : ch;
    }
  }
  return out + '"';
}

/** ext.Strings format: %s %d %f %e %b %o %x %X with optional precision, %% for a percent sign. */
function format(f: string, args: Value[]): string {
  let out = '';
  let ai = 0;
  for (let i = 0; i < f.length; i++) {
    const c = f[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    if (f[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const m = /^(?:\.([0-9]+))?([a-zA-Z])/.exec(f.slice(i + 1));
    if (!m) throw new CelEvalError('could not parse formatting clause: unrecognized formatting clause');
    i += m[0].length;
    if (ai >= args.length) throw new CelEvalError(`index ${ai} out of range`);
    const a = args[ai++];
    const prec = m[1] === undefined ? undefined : Number(m[1]);
    out += clause(m[2], prec, a);
  }
  return out;
}

function clause(verb: string, prec: number | undefined, a: Value): string {
  const k = kind(a);
  const special = (d: number): string | undefined => (Number.isNaN(d) ? 'NaN' : d === Infinity ? 'Infinity' : d === -Infinity ? '-Infinity' : undefined);
  switch (verb) {
    case 's':
      return formatString(a);
    case 'd':
      if (k === 'int') return big(a).toString();
      if (k === 'uint') return (a as CelUint).v.toString();
      if (k === 'double' && special(num(a))) return special(num(a))!;
      throw new CelEvalError(`error during formatting: decimal clause can only be used on integers, was given ${typeName(a)}`);
    case 'f':
    case 'e': {
      if (k !== 'double' && k !== 'int' && k !== 'uint') throw new CelEvalError(`error during formatting: ${verb === 'f' ? 'fixed-point' : 'scientific'} clause can only be used on doubles, was given ${typeName(a)}`);
      const d = k === 'uint' ? Number((a as CelUint).v) : num(a);
      if (special(d)) return special(d)!;
      if (verb === 'f') return d.toFixed(prec ?? 6);
      const [mant, exp] = d.toExponential(prec ?? 6).split('e');
      const e = Number(exp);
      return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
    }
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const radix = verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
      let s: string;
      if (k === 'int') s = big(a).toString(radix);
      else if (k === 'uint') s = (a as CelUint).v.toString(radix);
      else if (k === 'bool' && verb === 'b') s = a ? '1' : '0';
      else if ((k === 'string' || k === 'bytes') && radix === 16) {
        const b = typeof a === 'string' ? new TextEncoder().encode(a) : (a as Uint8Array);
        s = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      } else throw new CelEvalError(`error during formatting: only integers${radix === 16 ? ', byte buffers, and strings' : verb === 'b' ? ' and bools' : ''} can be formatted as ${verb === 'b' ? 'binary' : verb === 'o' ? 'octal' : 'hex'}, was given ${typeName(a)}`);
      return verb === 'X' ? s.toUpperCase() : s;
    }
  }
  throw new CelEvalError(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
}

function formatString(a: Value): string {
  const k = kind(a);
  switch (k) {
    case 'null':
      return 'null';
    case 'string':
      return a as string;
    case 'bytes':
      return new TextDecoder().decode(a as Uint8Array);
    case 'double': {
      const d = num(a);
      if (Number.isNaN(d)) return 'NaN';
      if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
      return formatDouble(d);
    }
    case 'list':
      return '[' + (a as Value[]).map(formatNested).join(', ') + ']';
    case 'map': {
      const entries = [...mapEntries(a)].map(([kk, v]) => [formatNested(kk), formatNested(v)] as const);
      entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      return '{' + entries.map(([kk, v]) => `${kk}: ${v}`).join(', ') + '}';
    }
  }
  return toString(a);
}
function formatNested(a: Value): string {
  return formatString(a);
}
