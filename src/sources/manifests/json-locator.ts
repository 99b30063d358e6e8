/**
 * Lines of fields in a JSON text. JSON.parse gives no positions, so one pass over the (already validated) text
 * numbers its nodes into the flat index of node-tree.ts — the same index the YAML path builds — without
 * allocating per field: a key is kept as its offset in the text and compared with a pointer token only when a
 * finding is located.
 */
import type { LineLocator } from '../../core/model.js';
import { MAP, NodeTree, SCALAR, SEQ } from './node-tree.js';

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COMMA = 44, COLON = 58, NEWLINE = 10;
const SPACE = 32, TAB = 9, CR = 13;
/** Deeper than this, a value is skipped without indexing its fields (no recursion limit to hit). */
const MAX_DEPTH = 500;

export class JsonLocator {
  private readonly tree: NodeTree;
  /** Offset of the opening quote of each key node. */
  private readonly keyOffsets: number[] = [];

  constructor(private readonly text: string) {
    this.tree = new NodeTree(text.length >> 4, (k, token) => this.keyIs(k, token));
    indexJson(text, this.tree, this.keyOffsets);
  }

  /** Node and line of each element of the top-level `items` array (kubectl List), or of a top-level array. */
  topLevelElements(): { node: number; line: number }[] {
    const { kind, end, line } = this.tree;
    let arr = 0;
    if (kind[0] === MAP) {
      arr = -1;
      for (let k = 1; k < end[0] && end[k] < end[0]; k = end[end[k]]) {
        if (this.keyIs(k, 'items')) {
          arr = end[k];
          break;
        }
      }
      if (arr === -1) return [];
    }
    const out: { node: number; line: number }[] = [];
    if (kind[arr] !== SEQ) return out;
    for (let c = arr + 1; c < end[arr]; c = end[c]) out.push({ node: c, line: line[c] });
    return out;
  }

  /** Line of the root node (the first value of the text). */
  get rootLine(): number {
    return this.tree.line[0];
  }

  /** A locator for `value`, parsed from the text at node `node` (0: the whole text). */
  locatorFor(value: unknown, node: number, line: number): LineLocator {
    const tree = this.tree;
    return (pointer) => tree.locate(node, value, pointer) ?? line;
  }

  private keyIs(k: number, token: string): boolean {
    const t = this.text;
    const off = this.keyOffsets[k] + 1;
    const close = skipString(t, off - 1) - 1;
    if (close - off === token.length && t.startsWith(token, off)) return true;
    // Escapes in the key: compare the decoded key.
    for (let i = off; i < close; i++) {
      if (t.charCodeAt(i) === BACKSLASH) return (JSON.parse(t.slice(off - 1, close + 1)) as string) === token;
    }
    return false;
  }
}

/** Offset just past the string opening at p. */
function skipString(t: string, p: number): number {
  for (;;) {
    const q = t.indexOf('"', p + 1);
    if (q === -1) return t.length;
    let b = q - 1;
    while (t.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1; // an even run of backslashes: the quote is not escaped
    p = q;
  }
}

/** Numbers the nodes of a valid JSON text into `tree`, recording each key's offset. */
function indexJson(t: string, tree: NodeTree, keyOffsets: number[]): void {
  const len = t.length;
  let p = 0;
  let line = 1;
  let n = 0;

  const ws = (): void => {
    while (p < len) {
      const c = t.charCodeAt(p);
      if (c === NEWLINE) line++;
      else if (c !== SPACE && c !== TAB && c !== CR) return;
      p++;
    }
  };

  const node = (kind: number): number => {
    if (n >= tree.line.length) tree.grow(n);
    tree.line[n] = line;
    tree.kind[n] = kind;
    return n++;
  };

  /** Skips a value without indexing it (past MAX_DEPTH), keeping the line count. */
  const skipDeep = (): void => {
    let depth = 0;
    for (; p < len; p++) {
      const c = t.charCodeAt(p);
      if (c === QUOTE) p = skipString(t, p) - 1;
      else if (c === NEWLINE) line++;
      else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        if (--depth === 0) {
          p++;
          return;
        }
      }
    }
  };

  const value = (depth: number): void => {
    const c = t.charCodeAt(p);
    if (c === LBRACE) {
      const i = node(MAP);
      if (depth > MAX_DEPTH) {
        skipDeep();
        tree.end[i] = n;
        return;
      }
      p++;
      ws();
      while (t.charCodeAt(p) === QUOTE) {
        const k = node(SCALAR);
        keyOffsets[k] = p;
        p = skipString(t, p);
        tree.end[k] = n;
        ws();
        if (t.charCodeAt(p) === COLON) p++;
        ws();
        value(depth + 1);
        ws();
        if (t.charCodeAt(p) === COMMA) {
          p++;
          ws();
        }
      }
      p++; // }
      tree.end[i] = n;
      return;
    }
    if (c === LBRACKET) {
      const i = node(SEQ);
      if (depth > MAX_DEPTH) {
        skipDeep();
        tree.end[i] = n;
        return;
      }
      p++;
      ws();
      while (p < len && t.charCodeAt(p) !== RBRACKET) {
        value(depth + 1);
        ws();
        if (t.charCodeAt(p) === COMMA) {
          p++;
          ws();
        }
      }
      p++; // ]
      tree.end[i] = n;
      return;
    }
    const i = node(SCALAR);
    if (c === QUOTE) p = skipString(t, p);
    else {
      while (p < len) {
        const d = t.charCodeAt(p);
        if (d === COMMA || d === RBRACE || d === RBRACKET || d === SPACE || d === NEWLINE || d === CR || d === TAB) break;
        p++;
      }
    }
    tree.end[i] = n;
  };

  ws();
  if (p < len) value(0);
}
