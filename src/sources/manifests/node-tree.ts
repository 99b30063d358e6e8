/**
 * The line index shared by the YAML and JSON paths, as flat arrays rather than one object per container.
 *
 * Every node of a parsed text (mapping, sequence, scalar, and each mapping key) gets a number in document order
 * (pre-order). For node i: `line[i]` is its 1-based line, `end[i]` the number of the first node after its subtree,
 * `kind[i]` MAP / SEQ / SCALAR / ALIAS. The children of a container i are i+1, end[i+1], end[end[i+1]], … < end[i];
 * a mapping's children alternate key, value. Recording a node costs a few integer stores: no array or map per
 * container, which is what made the index cost as much as the parse.
 *
 * A JSON pointer is located by walking these arrays from a document's root node (see locate()).
 */
export const MAP = 1;
export const SEQ = 2;
export const SCALAR = 3;
/** A YAML alias: no children of its own; it continues at its anchor's node (NodeTree.anchors). */
export const ALIAS = 4;
/** A JSON key written with escapes (`"a\\"b"`), or a YAML key whose value is not its text: compared after decoding. */
export const ESCAPED_KEY = 5;

/**
 * How key nodes are compared with pointer tokens: js-yaml's listener keeps each key's constructed value
 * (`values[k]`); JSON and the YAML block reader keep the text and, per key node, offsets around the key's text as
 * if it were quoted (JSON: its quotes; YAML: the characters before and after its plain or quoted text).
 */
export type KeySource = { values: unknown[]; text?: undefined } | { text: string; values?: undefined };

/** A tree's node arrays, as they travel between threads. */
export interface NodeArrays {
  line: Int32Array;
  end: Int32Array;
  kind: Uint8Array;
  keyStart: Int32Array | undefined;
  keyEnd: Int32Array | undefined;
}

export class NodeTree {
  line: Int32Array;
  end: Int32Array;
  kind: Uint8Array;
  /** JSON only: offsets of each key's opening quote and just past its closing quote. */
  keyStart: Int32Array | undefined;
  keyEnd: Int32Array | undefined;
  /** YAML anchors: the container an alias resolves to → the node it was defined at. */
  anchors: Map<object, number> | undefined;
  /**
   * YAML keys whose value is not their text (`"a\\"b"`, `1.0`, `true`): their value by node (kind ESCAPED_KEY).
   * Without it, an ESCAPED_KEY is a JSON string to decode.
   */
  escapedKeys: Map<number, unknown> | undefined;
  private readonly keyValues: unknown[] | undefined;
  private readonly keyText: string | undefined;

  /** An empty tree with room for `capacity` nodes, or one adopting the arrays another thread built. */
  constructor(capacity: number | NodeArrays, keys: KeySource) {
    this.keyValues = keys.values;
    this.keyText = keys.text;
    if (typeof capacity !== 'number') {
      ({ line: this.line, end: this.end, kind: this.kind, keyStart: this.keyStart, keyEnd: this.keyEnd } = capacity);
      return;
    }
    const n = Math.max(16, capacity);
    this.line = new Int32Array(n);
    this.end = new Int32Array(n);
    this.kind = new Uint8Array(n);
    if (keys.text !== undefined) {
      this.keyStart = new Int32Array(n);
      this.keyEnd = new Int32Array(n);
    }
  }

  /** The arrays, to hand the tree to another thread (their buffers are transferable). */
  arrays(): NodeArrays {
    return { line: this.line, end: this.end, kind: this.kind, keyStart: this.keyStart, keyEnd: this.keyEnd };
  }

  /** Makes room for node `i`. */
  grow(i: number): void {
    if (i < this.line.length) return;
    const n = Math.max(i + 1, this.line.length * 2);
    const widen = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.line = widen(this.line, (k) => new Int32Array(k));
    this.end = widen(this.end, (k) => new Int32Array(k));
    this.kind = widen(this.kind, (k) => new Uint8Array(k));
    if (this.keyStart) this.keyStart = widen(this.keyStart, (k) => new Int32Array(k));
    if (this.keyEnd) this.keyEnd = widen(this.keyEnd, (k) => new Int32Array(k));
  }

  /**
   * Gives back the room beyond the first `count` nodes once a text is read (capacity is guessed from its size),
   * when it is more than what is used: copying costs more than the memory it would give back.
   */
  trim(count: number): void {
    if (count >= this.line.length / 2) return;
    const n = Math.max(1, count);
    this.line = this.line.slice(0, n);
    this.end = this.end.slice(0, n);
    this.kind = this.kind.slice(0, n);
    if (this.keyStart) this.keyStart = this.keyStart.slice(0, n);
    if (this.keyEnd) this.keyEnd = this.keyEnd.slice(0, n);
  }

  /** Whether key node k spells `token` (compared inline in locate(); this is the general case). */
  private keyIs(k: number, token: string): boolean {
    const text = this.keyText;
    if (text === undefined) {
      const v = this.keyValues![k];
      return typeof v === 'string' ? v === token : String(v) === token;
    }
    const start = this.keyStart![k];
    const stop = this.keyEnd![k];
    if (this.kind[k] === ESCAPED_KEY) {
      if (this.escapedKeys === undefined) return (JSON.parse(text.slice(start, stop)) as string) === token;
      return String(this.escapedKeys.get(k)) === token;
    }
    return stop - start - 2 === token.length && text.startsWith(token, start + 1);
  }

  /**
   * The line of the deepest existing field on the pointer's path, from the document whose root node is `root`
   * and whose parsed value is `value`: a pointer to a missing field (e.g. an absent securityContext) points at
   * its closest ancestor that exists. Undefined for the empty pointer or when not even the first token exists.
   */
  locate(root: number, value: unknown, pointer: string): number | undefined {
    if (pointer === '') return undefined;
    const { line: lines, end, kind, keyText, keyStart, keyEnd } = this;
    const memo = this.memo;
    let node = root;
    let cur: unknown = value;
    let line: number | undefined;
    let start = 1;
    let depth = 0;
    // Findings on one object arrive together and share prefixes (/spec/template/spec/containers/0/…): resume from
    // the deepest token boundary the previous pointer of the same document resolved.
    if (memo.root === root && memo.value === value && memo.depth > 0) {
      const prev = memo.pointer;
      const max = Math.min(prev.length, pointer.length);
      let same = 0;
      while (same < max && prev.charCodeAt(same) === pointer.charCodeAt(same)) same++;
      for (let j = memo.depth - 1; j >= 0; j--) {
        const e = memo.ends[j];
        if (e <= same && (e === pointer.length || pointer.charCodeAt(e) === SLASH)) {
          depth = j + 1;
          node = memo.nodes[j];
          cur = memo.values[j];
          line = memo.lines[j];
          start = e + 1;
          break;
        }
      }
    }
    memo.root = root;
    memo.value = value;
    memo.pointer = pointer;
    while (start <= pointer.length) {
      let stop = pointer.indexOf('/', start);
      if (stop === -1) stop = pointer.length;
      if (cur === null || typeof cur !== 'object') break;
      if (kind[node] === ALIAS) {
        const anchored = this.anchors?.get(cur);
        if (anchored === undefined) break;
        node = anchored;
      }
      const raw = pointer.slice(start, stop);
      const token = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
      const last = end[node];
      let found = -1;
      if (kind[node] === MAP && !Array.isArray(cur)) {
        for (let k = node + 1; k < last; ) {
          const v = end[k]; // the key's value node
          if (v >= last) break; // a key without a value node
          const match =
            keyText !== undefined && kind[k] !== ESCAPED_KEY
              ? keyEnd![k] - keyStart![k] - 2 === token.length && keyText.startsWith(token, keyStart![k] + 1)
              : this.keyIs(k, token);
          if (match) {
            line = lines[k];
            found = v;
            break;
          }
          k = end[v];
        }
      } else if (kind[node] === SEQ && Array.isArray(cur)) {
        const i = Number(token);
        if (Number.isInteger(i) && i >= 0) {
          let c = node + 1;
          for (let j = 0; j < i && c < last; j++) c = end[c];
          if (c < last) {
            line = lines[c];
            found = c;
          }
        }
      }
      if (found === -1) break;
      node = found;
      cur = (cur as Record<string, unknown>)[token];
      memo.ends[depth] = stop;
      memo.nodes[depth] = node;
      memo.values[depth] = cur;
      memo.lines[depth++] = line as number;
      start = stop + 1;
    }
    memo.depth = depth;
    return line;
  }

  /** State of the last located pointer at each token boundary it resolved (see locate()). */
  private readonly memo = {
    root: -1,
    value: undefined as unknown,
    pointer: '',
    depth: 0,
    ends: [] as number[],
    nodes: [] as number[],
    values: [] as unknown[],
    lines: [] as number[],
  };
}

const SLASH = 47;
