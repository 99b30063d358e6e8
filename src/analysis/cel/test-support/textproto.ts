/**
 * A reader for protobuf text format, enough for cel-spec's conformance files (SimpleTestFile):
 * fields `name: value` / `name { ... }` / `name: [a, b]`, extension and Any names in brackets,
 * adjacent string concatenation, C escapes (bytes kept as bytes), `#` comments.
 * It yields an untyped tree; the harness gives it meaning.
 */

export type TextScalar = { kind: 'str'; bytes: Uint8Array } | { kind: 'num'; text: string } | { kind: 'ident'; text: string };
export type TextValue = TextScalar | TextMessage;
export interface TextMessage {
  kind: 'msg';
  fields: Array<[string, TextValue]>;
}

export function field(m: TextMessage, name: string): TextValue | undefined {
  for (const [k, v] of m.fields) if (k === name) return v;
  return undefined;
}
export function fields(m: TextMessage, name: string): TextValue[] {
  return m.fields.filter(([k]) => k === name).map(([, v]) => v);
}
export function str(v: TextValue | undefined): string | undefined {
  return v?.kind === 'str' ? new TextDecoder().decode(v.bytes) : v?.kind === 'ident' || v?.kind === 'num' ? v.text : undefined;
}
export function msg(v: TextValue | undefined): TextMessage | undefined {
  return v?.kind === 'msg' ? v : undefined;
}

export function parseTextProto(text: string): TextMessage {
  const p = new Reader(text);
  const m = p.message(null);
  return m;
}

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  private skip(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === '#') {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else if (c === ' ' || c === '\n' || c === '\t' || c === '\r') this.i++;
      else return;
    }
  }
  private peek(): string | undefined {
    this.skip();
    return this.s[this.i];
  }
  private fail(what: string): never {
    const line = this.s.slice(0, this.i).split('\n').length;
    throw new Error(`textproto: ${what} at line ${line}`);
  }

  message(close: string | null): TextMessage {
    const out: TextMessage = { kind: 'msg', fields: [] };
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        if (close) this.fail('unexpected end');
        return out;
      }
      if (c === close) {
        this.i++;
        return out;
      }
      if (c === ',' || c === ';') {
        this.i++;
        continue;
      }
      const name = this.fieldName();
      let c2 = this.peek();
      if (c2 === ':') {
        this.i++;
        c2 = this.peek();
      }
      if (c2 === '[') {
        this.i++;
        while (this.peek() !== ']') {
          out.fields.push([name, this.value()]);
          if (this.peek() === ',') this.i++;
        }
        this.i++;
      } else out.fields.push([name, this.value()]);
    }
  }

  private fieldName(): string {
    if (this.s[this.i] === '[') {
      const end = this.s.indexOf(']', this.i);
      if (end < 0) this.fail('unclosed [');
      const n = this.s.slice(this.i, end + 1).replace(/\s+/g, '');
      this.i = end + 1;
      return n;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i, this.i + 200));
    if (!m) this.fail('field name expected');
    this.i += m[0].length;
    return m[0];
  }

  private value(): TextValue {
    const c = this.peek();
    if (c === '{') {
      this.i++;
      return this.message('}');
    }
    if (c === '<') {
      this.i++;
      return this.message('>');
    }
    if (c === '"' || c === "'") {
      const parts: number[] = [];
      while (this.peek() === '"' || this.peek() === "'") parts.push(...this.quoted());
      return { kind: 'str', bytes: Uint8Array.from(parts) };
    }
    const m = /^-?\s*(?:[A-Za-z_][A-Za-z0-9_.]*|0x[0-9a-fA-F]+|[0-9.][0-9.eE+-]*[fFuU]?)/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('value expected');
    this.i += m[0].length;
    const t = m[0].replace(/\s+/g, '');
    if (/^-?[0-9.]/.test(t) || /^-?(inf|infinity|nan)$/i.test(t)) return { kind: 'num', text: t };
    return { kind: 'ident', text: t };
  }

  private quoted(): number[] {
    const q = this.s[this.i++];
    const out: number[] = [];
    const enc = new TextEncoder();
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail('unterminated string');
      if (c === q) return out;
      if (c !== '\\') {
        const cp = this.s.codePointAt(this.i - 1)!;
        if (cp > 0xffff) this.i++;
        out.push(...enc.encode(String.fromCodePoint(cp)));
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };
      if (e in simple) out.push(simple[e]);
      else if (e === 'x' || e === 'X') {
        const h = /^[0-9a-fA-F]{1,2}/.exec(this.s.slice(this.i))![0];
        this.i += h.length;
        out.push(parseInt(h, 16));
      } else if (e >= '0' && e <= '7') {
        const o = /^[0-7]{1,3}/.exec(this.s.slice(this.i - 1))![0];
        this.i += o.length - 1;
        out.push(parseInt(o, 8) & 0xff);
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const cp = parseInt(this.s.slice(this.i, this.i + n), 16);
        this.i += n;
        out.push(...enc.encode(String.fromCodePoint(cp)));
      } else this.fail(`unknown escape \\${e}`);
    }
  }
}
