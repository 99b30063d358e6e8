/**
 * Alpine apk version comparison (apk-tools src/version.c, the v3 tokenizer):
 * `digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}`.
 * - the first component and dot components are numbers; a dot component with a leading zero is compared
 *   as a string (as Gentoo does), so 8.2.0 < 8.2.001;
 * - one lowercase letter may follow a number;
 * - suffixes `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`, each with an optional number;
 * - `~hash` (hex commit id) compares as a string; `-rN` is the package revision.
 * When every leading token is equal, the longer version is newer unless its next token is a pre-release suffix.
 * Strings that do not tokenise fall back to a plain byte comparison ("invalid: do string sort").
 */
import { sign, type VersionScheme } from './scheme.js';

const enum T {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNo,
  CommitHash,
  RevisionNo,
  End,
  Invalid,
}

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const SUFFIX_NONE = 4;

interface Token {
  type: T;
  /** numeric value (digits, suffix numbers, revision) or suffix rank */
  num: bigint;
  /** raw text (digits with a leading zero, letters, hashes) */
  text: string;
}

class Tokenizer {
  pos = 0;
  tok: Token = { type: T.InitialDigit, num: 0n, text: '' };
  constructor(private readonly s: string) {
    this.digits(T.InitialDigit);
  }

  private digits(type: T): void {
    const start = this.pos;
    while (this.pos < this.s.length && isDigit(this.s.charCodeAt(this.pos))) this.pos++;
    const text = this.s.slice(start, this.pos);
    this.tok = text === '' ? { type: T.Invalid, num: 0n, text } : { type, num: BigInt(text), text };
  }

  next(): void {
    const s = this.s;
    const prev = this.tok.type;
    if (prev === T.Invalid || prev === T.End) return;
    if (this.pos >= s.length) {
      this.tok = { type: T.End, num: 0n, text: '' };
      return;
    }
    const c = s.charCodeAt(this.pos);
    if (c >= 97 && c <= 122) {
      if (prev > T.Digit) return this.invalid();
      this.tok = { type: T.Letter, num: BigInt(c), text: s[this.pos] };
      this.pos++;
    } else if (c === 46 /* . */) {
      if (prev > T.Digit) return this.invalid();
      this.pos++;
      this.digits(T.Digit);
    } else if (c === 95 /* _ */) {
      if (prev > T.SuffixNo) return this.invalid();
      this.pos++;
      const start = this.pos;
      while (this.pos < s.length && s.charCodeAt(this.pos) >= 97 && s.charCodeAt(this.pos) <= 122) this.pos++;
      const name = s.slice(start, this.pos);
      const rank = name === '' ? -1 : SUFFIXES.indexOf(name);
      if (rank < 0) return this.invalid();
      this.tok = { type: T.Suffix, num: BigInt(rank), text: name };
    } else if (isDigit(c)) {
      if (prev !== T.Suffix) return this.invalid();
      this.digits(T.SuffixNo);
    } else if (c === 126 /* ~ */) {
      if (prev >= T.CommitHash) return this.invalid();
      this.pos++;
      const start = this.pos;
      while (this.pos < s.length && isHex(s.charCodeAt(this.pos))) this.pos++;
      if (this.pos === start) return this.invalid();
      this.tok = { type: T.CommitHash, num: 0n, text: s.slice(start, this.pos) };
    } else if (c === 45 /* - */) {
      if (prev >= T.RevisionNo || s[this.pos + 1] !== 'r') return this.invalid();
      this.pos += 2;
      this.digits(T.RevisionNo);
    } else {
      this.invalid();
    }
  }

  private invalid(): void {
    this.tok = { type: T.Invalid, num: 0n, text: '' };
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102);

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tokenCompare(a: Token, b: Token): number {
  switch (a.type) {
    case T.Digit:
      // A leading zero in either dot component: raw string comparison (Gentoo rule).
      if (a.text[0] === '0' || b.text[0] === '0') return byteCompare(a.text, b.text);
      return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
    case T.InitialDigit:
    case T.SuffixNo:
    case T.RevisionNo:
    case T.Letter:
    case T.Suffix:
      return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
    default:
      return byteCompare(a.text, b.text);
  }
}

function compareTokens(a: string, b: string, fuzzy: boolean): number {
  const ta = new Tokenizer(a);
  const tb = new Tokenizer(b);
  while (ta.tok.type === tb.tok.type && ta.tok.type < T.End) {
    const r = tokenCompare(ta.tok, tb.tok);
    if (r) return r;
    ta.next();
    tb.next();
  }
  const at = ta.tok.type;
  const bt = tb.tok.type;
  if (at === bt) return 0;
  if (fuzzy && bt === T.End) return 0;
  if (at === T.Invalid || bt === T.Invalid) return byteCompare(a, b);
  if (at === T.Suffix && ta.tok.num < SUFFIX_NONE) return -1;
  if (bt === T.Suffix && tb.tok.num < SUFFIX_NONE) return 1;
  return at > bt ? -1 : 1;
}

export function isValidApk(v: string): boolean {
  const t = new Tokenizer(v);
  while (t.tok.type < T.End) t.next();
  return t.tok.type === T.End;
}

export function compareApk(a: string, b: string): number {
  return sign(compareTokens(a, b, false));
}

/** apk's fuzzy match (`pkg~ver`): a equals b when compared only over b's components. */
export function apkFuzzyEqual(a: string, b: string): boolean {
  return compareTokens(a, b, true) === 0;
}

export const apkScheme: VersionScheme = {
  name: 'apk',
  isValid: isValidApk,
  compare: compareApk,
};
