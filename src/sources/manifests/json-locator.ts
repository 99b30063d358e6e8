/**
 * Lines of fields in a JSON text, found lazily: JSON.parse gives no positions, and most documents never need one.
 * On the first request for a document, one pass walks its text alongside its parsed value and records, for every
 * object and array, the line of each key or element — the same index the YAML path builds (see yaml-documents.ts).
 * The offsets of the top-level `items` array (kubectl List dumps) are tabled once per file.
 */
import type { LineLocator } from '../../core/model.js';
import { locateIn, type KeyLines } from './key-lines.js';

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COMMA = 44, COLON = 58, NEWLINE = 10;

export class JsonLocator {
  private readonly keyLines = new Map<object, KeyLines>();
  /** Line counting cursor: walks are monotonic within a document. */
  private cursorPos = 0;
  private cursorLine = 1;
  /** First newline at or after cursorPos (Infinity when none): each newline is visited once per walk. */
  private nextNewline = -1;

  /** Offset of the last newline: past it, no scan for one is needed (compact JSON has none at all). */
  private readonly lastNewline: number;

  constructor(private readonly text: string) {
    this.lastNewline = text.lastIndexOf('\n');
  }

  /** Start offsets and lines of the elements of the top-level `items` array, or of a top-level array. */
  topLevelElements(): { offset: number; line: number }[] {
    let p = this.ws(0);
    if (this.text.charCodeAt(p) === LBRACE) {
      const items = this.findKey(p, 'items');
      if (items === undefined) return [];
      p = items;
    }
    const out: { offset: number; line: number }[] = [];
    if (this.text.charCodeAt(p) !== LBRACKET) return out;
    p = this.ws(p + 1);
    while (p < this.text.length && this.text.charCodeAt(p) !== RBRACKET) {
      out.push({ offset: p, line: this.lineAt(p) });
      p = this.ws(this.skipValue(p));
      if (this.text.charCodeAt(p) === COMMA) p = this.ws(p + 1);
    }
    return out;
  }

  /** A locator for the value parsed from the text at `offset` (built on first use). */
  locatorFor(value: unknown, offset: number, line: number): LineLocator {
    let built = false;
    return (pointer) => {
      if (!built) {
        built = true;
        this.moveCursor(offset, line);
        this.walk(offset, value);
      }
      return locateIn(value, pointer, this.keyLines) ?? line;
    };
  }

  /** Records key/element lines of `value` (parsed from the text at p), recursively; returns the end offset. */
  private walk(p: number, value: unknown): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === LBRACE && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const lines: KeyLines = [];
      this.keyLines.set(value, lines);
      p = this.ws(p + 1);
      while (t.charCodeAt(p) === QUOTE) {
        const keyEnd = this.skipString(p);
        const raw = t.slice(p + 1, keyEnd - 1);
        const key = raw.includes('\\') ? (JSON.parse(t.slice(p, keyEnd)) as string) : raw;
        lines.push(key, this.lineAt(p));
        p = this.ws(keyEnd);
        if (t.charCodeAt(p) === COLON) p = this.ws(p + 1);
        const child = (value as Record<string, unknown>)[key];
        p = this.ws(child !== null && typeof child === 'object' ? this.walk(p, child) : this.skipValue(p));
        if (t.charCodeAt(p) === COMMA) p = this.ws(p + 1);
      }
      return p + 1;
    }
    if (c === LBRACKET && Array.isArray(value)) {
      const lines: KeyLines = [];
      this.keyLines.set(value, lines);
      p = this.ws(p + 1);
      for (let i = 0; p < t.length && t.charCodeAt(p) !== RBRACKET; i++) {
        lines.push(this.lineAt(p));
        const child = value[i];
        p = this.ws(child !== null && typeof child === 'object' ? this.walk(p, child) : this.skipValue(p));
        if (t.charCodeAt(p) === COMMA) p = this.ws(p + 1);
      }
      return p + 1;
    }
    return this.skipValue(p);
  }

  private moveCursor(offset: number, line: number): void {
    this.cursorPos = offset;
    this.cursorLine = line;
    const nl = offset > this.lastNewline ? -1 : this.text.indexOf('\n', offset);
    this.nextNewline = nl === -1 ? Infinity : nl;
  }

  private lineAt(offset: number): number {
    if (offset < this.cursorPos || this.nextNewline === -1) this.moveCursor(0, 1);
    while (this.nextNewline < offset) {
      this.cursorLine++;
      const nl = this.nextNewline >= this.lastNewline ? -1 : this.text.indexOf('\n', this.nextNewline + 1);
      this.nextNewline = nl === -1 ? Infinity : nl;
    }
    this.cursorPos = offset;
    return this.cursorLine;
  }

  private findKey(p: number, token: string): number | undefined {
    const t = this.text;
    p = this.ws(p + 1);
    while (t.charCodeAt(p) === QUOTE) {
      const keyEnd = this.skipString(p);
      const key = JSON.parse(t.slice(p, keyEnd)) as string;
      p = this.ws(keyEnd);
      if (t.charCodeAt(p) === COLON) p = this.ws(p + 1);
      if (key === token) return p;
      p = this.ws(this.skipValue(p));
      if (t.charCodeAt(p) === COMMA) p = this.ws(p + 1);
    }
    return undefined;
  }

  private ws(p: number): number {
    const t = this.text;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c !== 32 && c !== NEWLINE && c !== 13 && c !== 9) break;
      p++;
    }
    return p;
  }

  private skipString(p: number): number {
    const t = this.text;
    for (p++; p < t.length; p++) {
      const c = t.charCodeAt(p);
      if (c === BACKSLASH) p++;
      else if (c === QUOTE) return p + 1;
    }
    return p;
  }

  private skipValue(p: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === QUOTE) return this.skipString(p);
    if (c === LBRACE || c === LBRACKET) {
      let depth = 0;
      for (; p < t.length; p++) {
        const d = t.charCodeAt(p);
        if (d === QUOTE) p = this.skipString(p) - 1;
        else if (d === LBRACE || d === LBRACKET) depth++;
        else if (d === RBRACE || d === RBRACKET) {
          if (--depth === 0) return p + 1;
        }
      }
      return p;
    }
    while (p < t.length) {
      const d = t.charCodeAt(p);
      if (d === COMMA || d === RBRACE || d === RBRACKET || d === 32 || d === NEWLINE || d === 13 || d === 9) break;
      p++;
    }
    return p;
  }
}
