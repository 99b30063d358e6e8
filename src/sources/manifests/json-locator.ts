/**
 * Lines of fields in a JSON text, found lazily: JSON.parse gives no positions, and most objects never need one.
 * A pointer is resolved by walking the text and skipping the values not on its path. The element offsets of the
 * top-level `items` array (kubectl List dumps) are tabled once, so locating inside item N costs the size of item N.
 */
import { LineIndex } from './line-index.js';
import { parsePointer } from '../../core/pointer.js';

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COMMA = 44, COLON = 58;

export class JsonLocator {
  private lines: LineIndex | undefined;
  private itemOffsets: number[] | undefined;
  /** Offsets of pointer prefixes already walked: findings cluster on the same containers. */
  private readonly prefixes = new Map<string, { keyOffset: number; valueOffset: number }>();

  constructor(private readonly text: string) {}

  /** 1-based line of the deepest existing field on the pointer's path. */
  locate(pointer: string): number {
    const tokens = parsePointer(pointer);
    let offset = this.ws(0);
    let found = offset;
    let i = 0;
    if (tokens[0] === 'items' && tokens.length > 1 && this.text.charCodeAt(offset) === LBRACE) {
      const items = this.items();
      const at = items[Number(tokens[1])];
      if (at !== undefined) {
        offset = found = at;
        i = 2;
      }
    }
    let prefix = tokens.slice(0, i).join('/');
    for (; i < tokens.length; i++) {
      prefix += '/' + tokens[i];
      let next = this.prefixes.get(prefix);
      if (next === undefined) {
        next = this.child(offset, tokens[i]);
        if (next === undefined) break;
        this.prefixes.set(prefix, next);
      }
      found = next.keyOffset;
      offset = next.valueOffset;
    }
    return (this.lines ??= new LineIndex(this.text)).lineOf(found);
  }

  private items(): number[] {
    if (this.itemOffsets) return this.itemOffsets;
    const arr = this.child(this.ws(0), 'items');
    this.itemOffsets = arr ? this.elements(arr.valueOffset) : [];
    return this.itemOffsets;
  }

  private child(offset: number, token: string): { keyOffset: number; valueOffset: number } | undefined {
    const c = this.text.charCodeAt(offset);
    if (c === LBRACKET) {
      const idx = Number(token);
      if (!Number.isInteger(idx) || idx < 0) return undefined;
      let p = this.ws(offset + 1);
      for (let n = 0; this.text.charCodeAt(p) !== RBRACKET && p < this.text.length; n++) {
        if (n === idx) return { keyOffset: p, valueOffset: p };
        p = this.ws(this.skipValue(p));
        if (this.text.charCodeAt(p) === COMMA) p = this.ws(p + 1);
      }
      return undefined;
    }
    if (c !== LBRACE) return undefined;
    let p = this.ws(offset + 1);
    while (this.text.charCodeAt(p) === QUOTE) {
      const keyStart = p;
      const keyEnd = this.skipString(p);
      const raw = this.text.slice(keyStart + 1, keyEnd - 1);
      const key = raw.includes('\\') ? (JSON.parse(this.text.slice(keyStart, keyEnd)) as string) : raw;
      p = this.ws(keyEnd);
      if (this.text.charCodeAt(p) === COLON) p = this.ws(p + 1);
      if (key === token) return { keyOffset: keyStart, valueOffset: p };
      p = this.ws(this.skipValue(p));
      if (this.text.charCodeAt(p) === COMMA) p = this.ws(p + 1);
    }
    return undefined;
  }

  private elements(offset: number): number[] {
    const out: number[] = [];
    if (this.text.charCodeAt(offset) !== LBRACKET) return out;
    let p = this.ws(offset + 1);
    while (p < this.text.length && this.text.charCodeAt(p) !== RBRACKET) {
      out.push(p);
      p = this.ws(this.skipValue(p));
      if (this.text.charCodeAt(p) === COMMA) p = this.ws(p + 1);
    }
    return out;
  }

  private ws(p: number): number {
    const t = this.text;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
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
      if (d === COMMA || d === RBRACE || d === RBRACKET || d === 32 || d === 10 || d === 13 || d === 9) break;
      p++;
    }
    return p;
  }
}
