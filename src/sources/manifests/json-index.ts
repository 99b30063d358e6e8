/**
 * Lines of fields in a JSON text. JSON.parse gives no positions, so one pass over the (valid) text numbers its
 * nodes into the flat index of node-tree.ts — the same index the YAML path builds — without allocating per
 * field: a key is kept as its offsets in the text and compared with a pointer token only when a finding is
 * located. It also runs on a helper thread (json-index-offload.ts), possibly before the text is known to be JSON.
 */
import { ESCAPED_KEY, MAP, NodeTree, SCALAR, SEQ } from './node-tree.js';

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, COMMA = 44, COLON = 58, NEWLINE = 10;
const SPACE = 32;

/** The node index of a JSON text (for text that is not JSON the index is meaningless, but always built). */
export function indexJsonText(text: string): NodeTree {
  const tree = new NodeTree(text.length >> 4, { text });
  indexJson(text, tree);
  return tree;
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

/**
 * Numbers the nodes of a valid JSON text into `tree`, recording each key's offsets. One loop with an explicit
 * stack of open containers (no recursion, no closures): every character is looked at once.
 */
function indexJson(t: string, tree: NodeTree): void {
  const len = t.length;
  const open: number[] = [];
  let top = 0;
  let inMap = false; // whether the innermost open container is an object
  let expectKey = false; // in an object, after `{` or `,`
  let line = 1;
  let n = 0;
  let lines = tree.line;
  let kinds = tree.kind;
  let keyStart = tree.keyStart!;
  let keyEnd = tree.keyEnd!;
  let ends = tree.end;
  for (let p = 0; p < len; ) {
    // Whitespace: runs of spaces (indentation) cost one comparison a character; the text is valid JSON
    // (JSON.parse accepted it), so anything else at or below space is a newline, CR or tab.
    let c = t.charCodeAt(p);
    for (;;) {
      while (c === SPACE) c = t.charCodeAt(++p);
      if (c > SPACE || p >= len) break;
      if (c === NEWLINE) line++;
      c = t.charCodeAt(++p);
    }
    if (p >= len) break;
    if (c === COMMA) {
      expectKey = inMap;
      p++;
      continue;
    }
    if (c === COLON) {
      p++;
      continue;
    }
    if (c === RBRACE || c === RBRACKET) {
      if (top > 0) ends[open[--top]] = n; // (a stray closer: only in text that is not JSON)
      inMap = top > 0 && kinds[open[top - 1]] === MAP;
      expectKey = false;
      p++;
      continue;
    }
    if (n >= lines.length) {
      tree.grow(n);
      lines = tree.line;
      ends = tree.end;
      kinds = tree.kind;
      keyStart = tree.keyStart!;
      keyEnd = tree.keyEnd!;
    }
    const i = n++;
    lines[i] = line;
    if (c === LBRACE || c === LBRACKET) {
      kinds[i] = c === LBRACE ? MAP : SEQ;
      open[top++] = i;
      inMap = expectKey = c === LBRACE;
      p++;
      continue;
    }
    kinds[i] = SCALAR;
    if (c === QUOTE) {
      if (expectKey) {
        keyStart[i] = p;
        p = skipString(t, p);
        keyEnd[i] = p;
        for (let j = keyStart[i] + 1; j < p - 1; j++) {
          if (t.charCodeAt(j) === BACKSLASH) {
            kinds[i] = ESCAPED_KEY;
            break;
          }
        }
        expectKey = false;
      } else p = skipString(t, p);
    } else {
      while (p < len) {
        const d = t.charCodeAt(p);
        if (d === COMMA || d === RBRACE || d === RBRACKET || d <= SPACE) break;
        p++;
      }
    }
    ends[i] = n;
  }
}
