/**
 * CEL parser (grammar of cel-spec langdef.md, with cel-go's optional syntax `a.?b`, `a[?i]`, `[?x]`,
 * `{?k: v}`) and macro expansion. Bounded: expression length, nesting depth and node count, so hostile
 * policies cannot exhaust the stack. Errors name the offset, never the surrounding text.
 */
import type { Comprehension, Expr } from './ast.js';
import { CelParseError } from './errors.js';
import { CelUint, INT64_MAX, UINT64_MAX, dbl } from './values.js';

export const PARSE_LIMITS = { maxLength: 100_000, maxDepth: 250, maxNodes: 100_000 };

const RESERVED = new Set(['as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

type Tok =
  | { t: 'id'; v: string; at: number }
  /** a backtick-quoted field name (only after '.') */
  | { t: 'qid'; v: string; at: number }
  | { t: 'int'; v: string; at: number }
  | { t: 'uint'; v: string; at: number }
  | { t: 'double'; v: string; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'bytes'; v: Uint8Array; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'eof'; at: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '.?', '[?', '{?', '<', '>', '+', '-', '*', '/', '%', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}'];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    const at = i;
    // string and bytes literals with optional r/b prefixes
    const pm = /^([rRbB]{0,2})(['"])/.exec(src.slice(i, i + 3));
    if (pm && /^(|r|R|b|B|rb|rB|Rb|RB|br|bR|Br|BR)$/.test(pm[1])) {
      const prefix = pm[1].toLowerCase();
      i += pm[1].length;
      const q = src[i];
      const triple = src.startsWith(q.repeat(3), i);
      const delim = triple ? q.repeat(3) : q;
      i += delim.length;
      const start = i;
      let end = -1;
      while (i < n) {
        if (src.startsWith(delim, i)) {
          end = i;
          break;
        }
        if (src[i] === '\\' && !prefix.includes('r')) i += 2;
        else if (src[i] === '\\') i += src[i + 1] === q || src[i + 1] === '\\' ? 2 : 1;
        else if (!triple && (src[i] === '\n' || src[i] === '\r')) throw new CelParseError('newline in string literal', at);
        else i++;
      }
      if (end < 0) throw new CelParseError('unterminated string literal', at);
      const raw = src.slice(start, end);
      i = end + delim.length;
      const bytes = prefix.includes('b');
      const decoded = prefix.includes('r') ? utf8(raw) : unescape(raw, bytes, at);
      out.push(bytes ? { t: 'bytes', v: decoded, at } : { t: 'str', v: toUtf8String(decoded, at), at });
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0 || !/^[A-Za-z0-9_.\-/ ]+$/.test(src.slice(i + 1, end))) throw new CelParseError('bad quoted identifier', at);
      out.push({ t: 'qid', v: src.slice(i + 1, end), at });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j])) j++;
      out.push({ t: 'id', v: src.slice(i, j), at });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const hex = /^0[xX][0-9a-fA-F]+[uU]?/.exec(src.slice(i, i + 40));
      if (hex) {
        const u = /[uU]$/.test(hex[0]);
        out.push({ t: u ? 'uint' : 'int', v: BigInt(hex[0].replace(/[uU]$/, '')).toString(), at });
        i += hex[0].length;
        continue;
      }
      const m = /^(?:[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[uU]?)/.exec(src.slice(i, i + 400));
      if (!m) throw new CelParseError('bad number', at);
      const s = m[0];
      i += s.length;
      if (/[uU]$/.test(s)) out.push({ t: 'uint', v: s.slice(0, -1), at });
      else if (/[.eE]/.test(s)) out.push({ t: 'double', v: s, at });
      else out.push({ t: 'int', v: s, at });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new CelParseError('unexpected character', at);
    out.push({ t: 'op', v: op, at });
    i += op.length;
  }
  out.push({ t: 'eof', at: n });
  return out;
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
function toUtf8String(b: Uint8Array, at: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw new CelParseError('invalid UTF-8 in string literal', at);
  }
}

/** CEL escapes: \a \b \f \n \r \t \v \\ \' \" \` \? \xHH \ooo \uHHHH \UHHHHHHHH (octal/hex are bytes). */
function unescape(raw: string, isBytes: boolean, at: number): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < raw.length; ) {
    const c = raw[i];
    if (c !== '\\') {
      const cp = raw.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = raw[i + 1];
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34, '`': 96, '?': 63 };
    if (e !== undefined && e in simple) {
      out.push(simple[e]);
      i += 2;
    } else if (e === 'x' || e === 'X') {
      const h = raw.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new CelParseError('bad \\x escape', at);
      pushCode(parseInt(h, 16));
      i += 4;
    } else if (e !== undefined && e >= '0' && e <= '3') {
      const o = raw.slice(i + 1, i + 4);
      if (!/^[0-3][0-7]{2}$/.test(o)) throw new CelParseError('bad octal escape', at);
      pushCode(parseInt(o, 8));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      if (isBytes) throw new CelParseError('unicode escape in bytes literal', at);
      const len = e === 'u' ? 4 : 8;
      const h = raw.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new CelParseError('bad unicode escape', at);
      const cp = parseInt(h, 16);
      if ((cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff) throw new CelParseError('invalid code point in escape', at);
      out.push(...enc.encode(String.fromCodePoint(cp)));
      i += 2 + len;
    } else throw new CelParseError('unknown escape sequence', at);
  }
  return Uint8Array.from(out);

  function pushCode(v: number): void {
    // In strings, \x and octal escapes denote code points; in bytes, bytes.
    if (isBytes) out.push(v);
    else out.push(...enc.encode(String.fromCodePoint(v)));
  }
}

export function parse(src: string, limits = PARSE_LIMITS): Expr {
  if (src.length > limits.maxLength) throw new CelParseError(`expression longer than ${limits.maxLength} characters`, 0);
  const p = new Parser(lex(src), limits);
  const e = p.expr();
  p.expect('eof');
  return e;
}

class Parser {
  private i = 0;
  private depth = 0;
  private nodes = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly limits: typeof PARSE_LIMITS,
  ) {}

  private peek(): Tok {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.toks[this.i];
    return t.t === 'op' && t.v === v;
  }
  private eat(v: string): boolean {
    if (this.isOp(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(v: string): Tok {
    const t = this.toks[this.i];
    if (v === 'eof' ? t.t !== 'eof' : !(t.t === 'op' && t.v === v)) throw new CelParseError(v === 'eof' ? 'unexpected input after expression' : `expected '${v}'`, t.at);
    this.i++;
    return t;
  }
  private node<E extends Expr>(e: E): E {
    if (++this.nodes > this.limits.maxNodes) throw new CelParseError(`expression has more than ${this.limits.maxNodes} nodes`, e.at);
    return e;
  }
  private enter(at: number): void {
    if (++this.depth > this.limits.maxDepth) throw new CelParseError(`expression nested deeper than ${this.limits.maxDepth}`, at);
  }

  expr(): Expr {
    const at = this.peek().at;
    this.enter(at);
    const test = this.or();
    let out = test;
    if (this.eat('?')) {
      const then = this.or();
      this.expect(':');
      const els = this.expr();
      out = this.node({ k: 'cond', at, test, then, else: els });
    }
    this.depth--;
    return out;
  }
  private or(): Expr {
    let l = this.and();
    while (this.isOp('||')) {
      const at = this.peek().at;
      this.i++;
      l = this.node({ k: 'or', at, left: l, right: this.and() });
    }
    return l;
  }
  private and(): Expr {
    let l = this.rel();
    while (this.isOp('&&')) {
      const at = this.peek().at;
      this.i++;
      l = this.node({ k: 'and', at, left: l, right: this.rel() });
    }
    return l;
  }
  private rel(): Expr {
    let l = this.add();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.v)) {
        this.i++;
        l = this.node({ k: 'call', at: t.at, fn: `_${t.v}_`, args: [l, this.add()] });
      } else if (t.t === 'id' && t.v === 'in') {
        this.i++;
        l = this.node({ k: 'call', at: t.at, fn: '@in', args: [l, this.add()] });
      } else return l;
    }
  }
  private add(): Expr {
    let l = this.mul();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (t.v === '+' || t.v === '-')) {
        this.i++;
        l = this.node({ k: 'call', at: t.at, fn: `_${t.v}_`, args: [l, this.mul()] });
      } else return l;
    }
  }
  private mul(): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (t.v === '*' || t.v === '/' || t.v === '%')) {
        this.i++;
        l = this.node({ k: 'call', at: t.at, fn: `_${t.v}_`, args: [l, this.unary()] });
      } else return l;
    }
  }
  private unary(): Expr {
    const t = this.peek();
    if (t.t === 'op' && t.v === '!') {
      let n = 0;
      while (this.eat('!')) n++;
      let e = this.member();
      for (let k = 0; k < n; k++) e = this.node({ k: 'call', at: t.at, fn: '!_', args: [e] });
      return e;
    }
    if (t.t === 'op' && t.v === '-') {
      let n = 0;
      while (this.eat('-')) n++;
      const nt = this.peek();
      // A single minus directly before a number is a negative literal (so -9223372036854775808 parses).
      if ((nt.t === 'int' || nt.t === 'double') && n % 2 === 1) {
        this.i++;
        let e: Expr = this.node({ k: 'lit', at: t.at, v: nt.t === 'int' ? intLit('-' + nt.v, nt.at) : dbl(-Number(nt.v)) });
        e = this.postfix(e);
        for (let k = 1; k < n; k++) e = this.node({ k: 'call', at: t.at, fn: '-_', args: [e] });
        return e;
      }
      let e = this.member();
      for (let k = 0; k < n; k++) e = this.node({ k: 'call', at: t.at, fn: '-_', args: [e] });
      return e;
    }
    return this.member();
  }
  private member(): Expr {
    return this.postfix(this.primary());
  }
  private postfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op') return e;
      if (t.v === '.' || t.v === '.?') {
        this.i++;
        const id = this.peek();
        if (id.t !== 'id' && id.t !== 'qid') throw new CelParseError('expected field name', id.at);
        this.i++;
        if (t.v === '.' && id.t === 'id' && this.isOp('(')) {
          this.i++;
          const args = this.args(')');
          e = this.call(id.at, id.v, e, args);
        } else e = this.node({ k: 'select', at: id.at, operand: e, field: id.v, opt: t.v === '.?' || undefined });
      } else if (t.v === '[' || t.v === '[?') {
        this.i++;
        this.enter(t.at);
        const index = this.expr();
        this.depth--;
        this.expect(']');
        e = this.node({ k: 'index', at: t.at, operand: e, index, opt: t.v === '[?' || undefined });
      } else if (t.v === '{' && qualifiedName(e) !== undefined) {
        this.i++;
        e = this.struct(t.at, qualifiedName(e)!);
      } else return e;
    }
  }
  private struct(at: number, type: string): Expr {
    const fields: Array<{ name: string; value: Expr; opt: boolean }> = [];
    while (!this.isOp('}')) {
      const opt = this.eat('?');
      const id = this.peek();
      if (id.t !== 'id') throw new CelParseError('expected field name', id.at);
      this.i++;
      this.expect(':');
      fields.push({ name: id.v, value: this.expr(), opt });
      if (!this.eat(',')) break;
    }
    this.expect('}');
    return this.node({ k: 'struct', at, type, fields });
  }
  private args(close: string): Expr[] {
    const out: Expr[] = [];
    this.enter(this.peek().at);
    while (!this.isOp(close)) {
      out.push(this.expr());
      if (!this.eat(',')) break;
    }
    this.depth--;
    this.expect(close);
    return out;
  }
  private primary(): Expr {
    const t = this.peek();
    this.i++;
    switch (t.t) {
      case 'int':
        return this.node({ k: 'lit', at: t.at, v: intLit(t.v, t.at) });
      case 'uint': {
        const v = BigInt(t.v);
        if (v > UINT64_MAX) throw new CelParseError('uint literal out of range', t.at);
        return this.node({ k: 'lit', at: t.at, v: new CelUint(v) });
      }
      case 'double':
        return this.node({ k: 'lit', at: t.at, v: dbl(Number(t.v)) });
      case 'str':
        return this.node({ k: 'lit', at: t.at, v: t.v });
      case 'bytes':
        return this.node({ k: 'lit', at: t.at, v: t.v });
      case 'eof':
        throw new CelParseError('unexpected end of expression', t.at);
      case 'id': {
        if (t.v === 'true' || t.v === 'false') return this.node({ k: 'lit', at: t.at, v: t.v === 'true' });
        if (t.v === 'null') return this.node({ k: 'lit', at: t.at, v: null });
        if (RESERVED.has(t.v) || t.v === 'in') throw new CelParseError('reserved identifier', t.at);
        if (this.eat('(')) return this.call(t.at, t.v, undefined, this.args(')'));
        return this.node({ k: 'ident', at: t.at, name: t.v });
      }
      case 'op':
        if (t.v === '(') {
          this.enter(t.at);
          const e = this.expr();
          this.depth--;
          this.expect(')');
          return e;
        }
        if (t.v === '.') {
          // leading dot: root-scoped name
          const id = this.peek();
          if (id.t !== 'id') throw new CelParseError('expected identifier', id.at);
          this.i++;
          if (this.eat('(')) return this.call(id.at, id.v, undefined, this.args(')'));
          return this.node({ k: 'ident', at: id.at, name: '.' + id.v });
        }
        if (t.v === '[' || t.v === '[?') {
          if (t.v === '[?') this.i--; // `[?x, ...]`: the '?' belongs to the first element
          return this.list(t.at, t.v === '[?');
        }
        if (t.v === '{' || t.v === '{?') {
          if (t.v === '{?') this.i--; // `{?k: v}`: the '?' belongs to the first entry
          return this.map(t.at, t.v === '{?');
        }
    }
    throw new CelParseError('unexpected token', t.at);
  }
  private list(at: number, firstOpt: boolean): Expr {
    if (firstOpt) this.i++;
    const elems: Expr[] = [];
    const opt: boolean[] = [];
    this.enter(at);
    while (!this.isOp(']')) {
      opt.push(elems.length === 0 && firstOpt ? true : this.eat('?'));
      elems.push(this.expr());
      if (!this.eat(',')) break;
    }
    this.depth--;
    this.expect(']');
    return this.node({ k: 'list', at, elems, opt });
  }
  private map(at: number, firstOpt: boolean): Expr {
    if (firstOpt) this.i++;
    const entries: Array<{ key: Expr; value: Expr; opt: boolean }> = [];
    this.enter(at);
    let first = true;
    while (!this.isOp('}')) {
      const opt = first && firstOpt ? true : this.eat('?');
      first = false;
      const key = this.expr();
      this.expect(':');
      entries.push({ key, value: this.expr(), opt });
      if (!this.eat(',')) break;
    }
    this.depth--;
    this.expect('}');
    return this.node({ k: 'map', at, entries });
  }

  /** A call, or the macro it names (has, all, exists, exists_one/existsOne, map, filter, transform*, cel.bind, optMap, optFlatMap, sortBy). */
  private call(at: number, fn: string, target: Expr | undefined, args: Expr[]): Expr {
    const ident = (e: Expr | undefined): string | undefined => (e?.k === 'ident' && !e.name.startsWith('.') ? e.name : undefined);
    if (!target && fn === 'has' && args.length === 1) {
      const a = args[0];
      if (a.k !== 'select' || a.opt) throw new CelParseError('invalid argument to has() macro', at);
      return this.node({ k: 'select', at, operand: a.operand, field: a.field, test: true });
    }
    if (target && ident(target) === 'cel' && fn === 'bind' && args.length === 3) {
      const name = ident(args[0]);
      if (!name) throw new CelParseError('cel.bind() variable must be a simple name', at);
      return this.node({ k: 'bind', at, name, init: args[1], body: args[2] });
    }
    if (target) {
      const comp = (kind: Comprehension['kind'], v1: string, v2: string | undefined, body: Expr, filter?: Expr): Expr =>
        this.node({ k: 'comp', at, macro: { kind, range: target, v1, v2, body, filter } });
      const v1 = ident(args[0]);
      const v2 = ident(args[1]);
      const oneVar = ['all', 'exists', 'exists_one', 'existsOne', 'map', 'filter', 'optMap', 'optFlatMap', 'sortBy'];
      if (args.length === 2 && oneVar.includes(fn)) {
        if (!v1) throw new CelParseError(`${fn}() variable must be a simple name`, at);
        const kind = (fn === 'exists_one' ? 'existsOne' : fn) as Comprehension['kind'];
        return comp(kind, v1, undefined, args[1]);
      }
      if (args.length === 3 && fn === 'map') {
        if (!v1) throw new CelParseError('map() variable must be a simple name', at);
        return comp('map', v1, undefined, args[2], args[1]);
      }
      const twoVar = ['all', 'exists', 'existsOne', 'exists_one', 'transformList', 'transformMap', 'transformMapEntry'];
      if ((args.length === 3 || args.length === 4) && twoVar.includes(fn) && v1 && v2) {
        if (v1 === v2) throw new CelParseError('duplicate variable name', at);
        if (v1 === '@result' || v2 === '@result') throw new CelParseError('iteration variable overwrites accumulator variable', at);
        if (args.length === 4 && !fn.startsWith('transform')) throw new CelParseError(`${fn}() takes 3 arguments`, at);
        const kind = (fn === 'exists_one' ? 'existsOne' : fn) as Comprehension['kind'];
        return args.length === 4 ? comp(kind, v1, v2, args[3], args[2]) : comp(kind, v1, v2, args[2]);
      }
    }
    return this.node({ k: 'call', at, fn, target, args });
  }
}

function intLit(text: string, at: number): bigint {
  const v = BigInt(text);
  if (v > INT64_MAX || v < -INT64_MAX - 1n) throw new CelParseError('int literal out of range', at);
  return v;
}

/** `a.b.c` as a dotted name (for message construction `a.b.C{...}`), or undefined. */
export function qualifiedName(e: Expr): string | undefined {
  if (e.k === 'ident') return e.name;
  if (e.k === 'select' && !e.test && !e.opt) {
    const o = qualifiedName(e.operand);
    return o === undefined ? undefined : `${o}.${e.field}`;
  }
  return undefined;
}

