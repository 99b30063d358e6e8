/**
 * What a plain (unquoted, untagged) YAML scalar means to kubectl. kubectl, Helm and client-go decode YAML with
 * sigs.k8s.io/yaml, which unmarshals with go-yaml v2 (go.yaml.in/yaml/v2) into interface{} and converts the result to
 * JSON. go-yaml v2 resolves plain scalars by YAML 1.1-ish rules, taken here from its resolve.go (branch v2, commit
 * 7649d4548cb5): `y`, `Yes`, `on`… are booleans; `0x1F`, `0o17`, `017` (octal), `0b101`, `1_000` are integers (Go's
 * strconv.ParseInt with base 0 after removing every `_`); `.5`, `1e3`, `685_230.15`, `.inf`, `.nan` are floats.
 * Base-60 numbers are deliberately not supported by go-yaml v2, and timestamps stay strings when decoded into
 * interface{} (decode.go), so both are strings here. Tested against go-yaml's own test table
 * (testdata/go-yaml-v2/SOURCE.md).
 */

import { isCalendarDate, isClockTime } from '../../core/datetime.js';

export type PlainTag = 'str' | 'null' | 'bool' | 'int' | 'float';

export interface Resolved {
  tag: PlainTag;
  value: unknown;
}

const STR: Resolved = { tag: 'str', value: undefined };

/** resolve.go's resolveMap: the words looked up whole. (`<<` is in it too, but its hint byte is 0: a string.) */
const WORDS = new Map<string, Resolved>();
function words(tag: PlainTag, value: unknown, list: string[]): void {
  for (const w of list) WORDS.set(w, { tag, value });
}
words('bool', true, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
words('bool', false, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
words('null', null, ['', '~', 'null', 'Null', 'NULL']);
words('float', NaN, ['.nan', '.NaN', '.NAN']);
words('float', Infinity, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
words('float', -Infinity, ['-.inf', '-.Inf', '-.INF']);

/** resolve.go's resolveTable: the hint given by the first byte; 0 means "a string, nothing to try". */
const HINT = new Uint8Array(128);
const SIGN = 1, DIGIT = 2, WORD = 3, DOT = 4;
HINT[43] = HINT[45] = SIGN;
for (let c = 48; c <= 57; c++) HINT[c] = DIGIT;
for (const c of 'yYnNtTfFoO~') HINT[c.charCodeAt(0)] = WORD;
HINT[46] = DOT;

/** Whether the first character of `s` lets it resolve to anything but a string (resolve.go's hint). */
export function mayResolvePlain(s: string): boolean {
  if (s === '') return true;
  const c = s.charCodeAt(0);
  return c < 128 && HINT[c] !== 0;
}

/** go-yaml v2's resolve() for a plain scalar: its tag and, unless a string, its value. */
export function resolvePlain(s: string): Resolved {
  if (!mayResolvePlain(s)) return STR;
  const word = WORDS.get(s);
  if (word) return word;
  const hint = HINT[s.charCodeAt(0)];
  if (hint === WORD) return STR;
  if (hint === DOT) return goFloat(s) ?? STR; // strconv.ParseFloat(in)
  // Sign or digit: timestamps (4 digits then `-`) stay strings in interface{}, and could be nothing else.
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const int = goInt(plain);
  if (int !== undefined) return { tag: 'int', value: int };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain); // the same correctly rounded double as strconv.ParseFloat
    if (Number.isFinite(f)) return { tag: 'float', value: f }; // out of range: ParseFloat fails, a string
  }
  return STR; // (resolve.go's own 0b fallback adds nothing to what base-0 parsing already accepts)
}

/** resolve.go's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * strconv.ParseFloat of a text starting with `.`: Go's float syntax, where `_` may stand only between digits.
 * (Hex floats, inf and nan cannot start with a dot.)
 */
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;

function goFloat(s: string): Resolved | undefined {
  if (!DOT_FLOAT.test(s)) return undefined;
  const f = Number(s.replace(/_/g, ''));
  return Number.isFinite(f) ? { tag: 'float', value: f } : undefined;
}

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const PREFIX: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const SMALL_DECIMAL = /^[-+]?[1-9][0-9]{0,14}$/;

/**
 * strconv.ParseInt(plain, 0, 64), else strconv.ParseUint(plain, 0, 64): an optional sign (ParseInt only), then a
 * base prefix 0b/0o/0x (either case, with at least one digit after it) or a leading 0 for octal.
 */
function goInt(plain: string): number | undefined {
  if (SMALL_DECIMAL.test(plain)) return Number(plain);
  let i = 0;
  const sign = plain.charCodeAt(0);
  const signed = sign === 43 || sign === 45;
  if (signed) i = 1;
  const rest = plain.length - i;
  if (rest === 0) return undefined;
  let base = 10;
  if (plain.charCodeAt(i) === 48) {
    const p = plain.charCodeAt(i + 1) | 0x20;
    if (rest >= 3 && p === 98) base = 2;
    else if (rest >= 3 && p === 111) base = 8;
    else if (rest >= 3 && p === 120) base = 16;
    else base = -8; // a leading 0: octal, the 0 being the first digit
  }
  const digits = base === -8 ? plain.slice(i + 1) : base === 10 ? plain.slice(i) : plain.slice(i + 2);
  if (base === -8) {
    base = 8;
    if (digits === '') return 0; // "0", "+0", "-0"
  }
  if (!DIGITS[base].test(digits)) return undefined;
  const magnitude = BigInt(PREFIX[base] + digits);
  if (sign === 45) return magnitude <= INT64_MAX + 1n ? (magnitude === 0n ? 0 : -Number(magnitude)) : undefined;
  if (magnitude <= INT64_MAX) return Number(magnitude);
  // ParseUint takes no sign
  return !signed && magnitude <= UINT64_MAX ? Number(magnitude) : undefined;
}

/**
 * resolve.go's parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (also with `t`),
 * "2006-1-2 15:4:5.999999999" or "2006-1-2" — for an explicit `!!timestamp`, which into interface{} stays the text.
 */
const GO_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2})))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?))?$/;

export function isGoTimestamp(s: string): boolean {
  const m = GO_TIMESTAMP.exec(s);
  if (!m) return false;
  const n = (i: number) => Number(m[i] ?? 0);
  if (!isCalendarDate(n(1), n(2), n(3))) return false;
  return isClockTime(n(4), n(5), n(6)) && isClockTime(n(7), n(8)) && isClockTime(n(9), n(10), n(11));
}
