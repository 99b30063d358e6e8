/**
 * A reader for the plain block YAML that manifests are almost always written in — `kubectl`, Helm, Kustomize
 * and hand-written files alike — which builds each document's value and its line index (node-tree.ts) in one
 * line-by-line pass, at about half the cost of js-yaml's character-by-character loader plus its listener.
 *
 * It is not a YAML parser: it accepts only what it can read exactly as js-yaml does and declines everything
 * else, and a declined document is then loaded by js-yaml (yaml-documents.ts), so every value and every error
 * still comes from js-yaml's semantics. Accepted: block mappings and sequences (indented or not, entries after a `-`
 * alone on its line), plain scalars resolved by the same schema types js-yaml applies, single-line quoted scalars
 * (with escapes, but `\U`), literal and folded block scalars as values (`|`, `>-`, `|2+`…), flow mappings and
 * sequences (`labels: {app: x}`, `args: [a, b]`, nested, across lines between entries), comments and blank lines.
 * Declined: anchors, aliases, tags, multi-line plain and quoted scalars, explicit keys (`?`), merge keys (`<<`),
 * duplicate or `__proto__` keys, empty sequence entries, and anything js-yaml would reject. A test checks the values
 * and lines of both on generated documents (yaml-block-reader.property.test.ts).
 */
import type yaml from 'js-yaml';
import type { NodeTree } from './node-tree.js';
import { ESCAPED_KEY, MAP, SCALAR, SEQ } from './node-tree.js';
import { mayResolvePlain } from './plain-scalar.js';

/** A document this reader does not read: js-yaml loads it instead. */
class Declined extends Error {}
const DECLINED = new Declined();

const SPACE = 32, HASH = 35, DASH = 45, COLON = 58, QUOTE = 34, APOSTROPHE = 39, BACKSLASH = 92;
const LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, QUESTION = 63, COMMA = 44, PIPE = 124, GT = 62, PLUS = 43;

/** Characters that may not start a plain scalar (YAML c-indicator), besides `-?:` followed by a space. */
const INDICATOR = new Uint8Array(128);
for (const c of ',[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1;

/** Flow indicators: inside a flow collection they end a plain scalar. */
const FLOW = new Uint8Array(128);
for (const c of ',[]{}') FLOW[c.charCodeAt(0)] = 1;

const MERGE_TAG = 'tag:yaml.org,2002:merge';
const MAX_DEPTH = 40;

/**
 * Whether a plain scalar may resolve to anything but a string: the first characters go-yaml's resolver tries
 * (plain-scalar.ts), and `<` of the merge key (`<<`). Any other plain scalar is a string without asking each type
 * (a test holds the types to this).
 */
export function mayResolve(s: string): boolean {
  return mayResolvePlain(s) || s.charCodeAt(0) === 60;
}

export interface BlockDocument {
  /**
   * Offsets of the document's text: from its first line (its `---` line, if any) to the next `---` line, or to the
   * text's end when the rest of the text is left to js-yaml (see document()).
   */
  from: number;
  to: number;
  /** 1-based line of the document's first line. */
  firstLine: number;
  /** The value (null for a document without content); undefined when declined. */
  value?: unknown;
  /** The root node in the tree; -1 when declined or without content. */
  root: number;
  /** Line where the content starts. */
  line: number;
  declined: boolean;
}

/**
 * Reads every `---`-separated document of `text` it can into `tree` (made with `{ text }`: keys are located by
 * their offsets in the text). The caller has checked the whole text (see blockReadable()); documents come back in
 * order, each either read (value, root) or declined (its offsets, for js-yaml).
 */
export function readBlockDocuments(text: string, schema: yaml.Schema, tree: NodeTree): BlockDocument[] {
  return new BlockReader(text, schema, tree).documents();
}

/**
 * Whether the whole text may be read by this reader at all: no tab, no carriage return, no byte-order mark, no
 * directive (they apply across documents), and no character js-yaml refuses as non-printable (its own test,
 * which fails the whole stream).
 */
export function blockReadable(text: string): boolean {
  return (
    text.charCodeAt(0) !== 0xfeff &&
    !text.includes('\t') &&
    !text.includes('\r') &&
    !text.startsWith('%') &&
    !text.includes('\n%') &&
    !NON_PRINTABLE.test(text)
  );
}

/**
 * js-yaml 4's PATTERN_NON_PRINTABLE (loader.js): the characters it refuses anywhere in a stream. go-yaml's reader
 * refuses the same ones ("control characters are not allowed", readerc.go), but per document.
 */
// eslint-disable-next-line no-control-regex
export const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

class BlockReader {
  private readonly implicit: yaml.Type[];
  private readonly len: number;
  /** The current line: its start, end (the newline or the text's end), indentation and 1-based number. */
  private ls = 0;
  private le = 0;
  private ind = 0;
  private lineNo = 0;
  /** The current line is a document separator (`---`) or the text has ended. */
  private atEnd = false;
  private n = 0;
  /** Containers open; past MAX_DEPTH the document is js-yaml's (which refuses nesting past its maxDepth, 100). */
  private depth = 0;
  /** Inside a flow collection: the offset just past the last node read. */
  private fp = 0;
  /** A block scalar was read: the cursor is on the line that ended it, not on its header's line. */
  private blockScalarEnded = false;
  /** The last key read: the offsets of its text, when its value is that text (else keyFrom is -1). */
  private keyFrom = -1;
  private keyTo = -1;

  constructor(
    private readonly text: string,
    schema: yaml.Schema,
    private readonly tree: NodeTree,
  ) {
    this.implicit = (schema as unknown as { compiledImplicit: yaml.Type[] }).compiledImplicit;
    this.len = text.length;
  }

  documents(): BlockDocument[] {
    const out: BlockDocument[] = [];
    let from = 0;
    let firstLine = 1;
    for (;;) {
      const doc = this.document(from, firstLine);
      out.push(doc);
      if (doc.to === this.len || this.ls >= this.len) break;
      if (this.ls <= from) throw new Error('block reader: no progress'); // a bug: the caller falls back to js-yaml
      // the cursor is on the next document's `---` line
      from = this.ls;
      firstLine = this.lineNo;
    }
    this.tree.trim(this.n);
    return out;
  }

  /** Reads the document starting at `from`, leaving the cursor on the next `---` line or at the text's end. */
  private document(from: number, firstLine: number): BlockDocument {
    const doc: BlockDocument = { from, to: -1, firstLine, root: -1, line: firstLine, declined: false };
    const mark = this.n;
    this.startAt(from, firstLine);
    try {
      if (isSeparator(this.text, from)) {
        // `---` may be followed by a comment only (else js-yaml gets the rest, as for a root that is no collection)
        const rest = skipSpaces(this.text, from + 3, this.le);
        if (rest < this.le && this.text.charCodeAt(rest) !== HASH) {
          doc.to = this.len;
          throw DECLINED;
        }
        this.advance();
      } else this.skipBlank();
      if (this.atEnd) {
        doc.value = null;
        doc.to = this.ls;
        return doc;
      }
      doc.line = this.lineNo;
      doc.root = this.n;
      if (!this.structured()) {
        // A root that is not a block mapping or sequence may be a block scalar whose text holds `---` lines (at
        // indentation 0), and js-yaml reads `---x` on the first line as a separator: js-yaml gets the rest.
        doc.to = this.len;
        throw DECLINED;
      }
      doc.value = this.block(this.ind, this.ls + this.ind, this.lineNo);
      if (!this.atEnd) throw DECLINED; // content after the root node (js-yaml: an error)
      doc.to = this.ls;
      return doc;
    } catch (e) {
      if (e !== DECLINED) throw e;
      this.n = mark; // drop the nodes of the declined document
      this.depth = 0;
      Object.assign(doc, { declined: true, root: -1, value: undefined, line: firstLine });
      if (doc.to === this.len) return doc;
      // on to the next `---` line (never the document's own)
      if (this.ls === from) this.nextLine();
      while (this.ls < this.len && !isSeparator(this.text, this.ls)) this.nextLine();
      doc.to = this.ls;
      return doc;
    }
  }

  /** The line after the current one, or the text's end (the cursor then sits at offset `len`). */
  private nextLine(): void {
    if (this.le >= this.len) this.startAt(this.len, this.lineNo);
    else this.startAt(this.le + 1, this.lineNo + 1);
  }

  /** Puts the cursor on the line starting at `p`. */
  private startAt(p: number, lineNo: number): void {
    this.ls = p;
    this.lineNo = lineNo;
    this.atEnd = p >= this.len;
    const nl = this.text.indexOf('\n', p);
    this.le = nl === -1 ? this.len : nl;
    this.ind = skipSpaces(this.text, p, this.le) - p;
  }

  /** Moves to the next line with content (not blank, not a comment), or to the end of the document. */
  private advance(): void {
    this.nextLine();
    this.skipBlank();
  }

  /** From the current line: skips blank and comment lines; stops at a separator or the text's end. */
  private skipBlank(): void {
    const t = this.text;
    for (;;) {
      if (this.ls >= this.len) {
        this.atEnd = true;
        return;
      }
      if (this.ind === 0 && isSeparator(t, this.ls)) {
        this.atEnd = true;
        return;
      }
      const c = this.ls + this.ind;
      if (c < this.le && t.charCodeAt(c) !== HASH) {
        if (this.ind === 0 && t.startsWith('...', this.ls)) throw DECLINED; // document end marker
        return;
      }
      this.nextLine();
    }
  }

  /**
   * Whether the current line starts a block mapping (a key) or sequence (`- `), and is not `---…` at column 0
   * (which js-yaml, on a text's first line, takes for a separator even without a space after it).
   */
  private structured(): boolean {
    const t = this.text;
    const at = this.ls + this.ind;
    if (this.ind === 0 && t.startsWith('---', at)) return false;
    return (t.charCodeAt(at) === DASH && isBlankOrEnd(t, at + 1, this.le)) || this.keyEnd(at) !== -1;
  }

  /** The node whose content starts at offset `at` (column `col`) of the current line. */
  private block(col: number, at: number, line: number): unknown {
    const t = this.text;
    if (t.charCodeAt(at) === DASH && isBlankOrEnd(t, at + 1, this.le)) return this.sequence(col, line);
    const colon = this.keyEnd(at);
    if (colon !== -1) return this.mapping(col, at, colon, line);
    const c = t.charCodeAt(at);
    if (c === LBRACE || c === LBRACKET) {
      // a flow collection on a line of its own (prettier's wrapped lists): a block value is done after it
      const value = this.wrappedFlow(at, line);
      this.endOfValue(this.fp);
      this.advance();
      return value;
    }
    throw DECLINED; // a scalar on a line of its own
  }

  /** A block sequence whose entries start at column `col`; the current line holds the first `-`. */
  private sequence(col: number, line: number): unknown[] {
    const t = this.text;
    const node = this.enter(SEQ, line);
    const out: unknown[] = [];
    for (;;) {
      const at = skipSpaces(t, this.ls + col + 1, this.le);
      if (at >= this.le || t.charCodeAt(at) === HASH) {
        // `-` alone: the entry is the collection on the following lines (js-yaml's node starts there), or empty
        // (js-yaml then gives null without a node: declined)
        this.advance();
        if (this.atEnd || this.ind <= col) throw DECLINED;
        out.push(this.block(this.ind, this.ls + this.ind, this.lineNo));
      } else if (t.charCodeAt(at) === DASH && isBlankOrEnd(t, at + 1, this.le)) {
        throw DECLINED; // `- - x`
      } else {
        const colon = this.keyEnd(at);
        if (colon !== -1) out.push(this.mapping(at - this.ls, at, colon, this.lineNo));
        else {
          out.push(this.inlineValue(at, col, true));
          if (!this.atEnd && this.ind > col) throw DECLINED; // a scalar continued on the next line
        }
      }
      if (this.atEnd || this.ind < col) break;
      if (this.ind > col) throw DECLINED;
      const d = this.ls + col;
      if (!(t.charCodeAt(d) === DASH && isBlankOrEnd(t, d + 1, this.le))) break; // the parent's next key
    }
    this.leave(node);
    return out;
  }

  /**
   * A block mapping whose keys start at column `col`; its first key starts at offset `at` of the current line and
   * ends at the `:` at `colon`.
   */
  private mapping(col: number, at: number, colon: number, line: number): Record<string, unknown> {
    const t = this.text;
    const node = this.enter(MAP, line);
    const out: Record<string, unknown> = {};
    for (;;) {
      const keyLine = this.lineNo;
      const key = this.keyValue(at, colon);
      const name = String(key);
      if (name === '__proto__' || Object.prototype.hasOwnProperty.call(out, name)) throw DECLINED; // js-yaml: special or an error
      this.keyNode(keyLine, key);
      const v = skipSpaces(t, colon + 1, this.le);
      let value: unknown;
      if (v < this.le && t.charCodeAt(v) !== HASH) {
        value = this.inlineValue(v, col);
        if (!this.atEnd && this.ind > col) throw DECLINED; // a scalar continued on the next line
      } else {
        this.advance();
        if (this.atEnd || this.ind < col) value = this.nullNode(keyLine);
        else if (this.ind > col) value = this.block(this.ind, this.ls + this.ind, keyLine);
        else {
          const d = this.ls + col;
          // `key:` followed by a sequence at the key's own column (kubectl's style)
          value = t.charCodeAt(d) === DASH && isBlankOrEnd(t, d + 1, this.le) ? this.sequence(col, keyLine) : this.nullNode(keyLine);
        }
      }
      out[name] = value;
      if (this.atEnd || this.ind < col) break;
      if (this.ind > col) throw DECLINED;
      at = this.ls + col;
      // (a `-` at the keys' column ends a mapping that is an entry of that sequence, and is an error otherwise)
      if (t.charCodeAt(at) === DASH && isBlankOrEnd(t, at + 1, this.le)) break;
      colon = this.keyEnd(at);
      if (colon === -1) throw DECLINED;
    }
    this.leave(node);
    return out;
  }

  /**
   * If a mapping key starts at offset `at` of the current line, the offset of its `:`; else -1. A quoted key must
   * close on the line; a plain key runs to the first `: ` (or `:` at the line's end) before any comment.
   */
  private keyEnd(at: number): number {
    const t = this.text;
    const le = this.le;
    const c = t.charCodeAt(at);
    let p: number;
    if (c === QUOTE || c === APOSTROPHE) {
      p = quotedEnd(t, at, le);
      if (p === -1) return -1;
      p = skipSpaces(t, p, le);
      return p < le && t.charCodeAt(p) === COLON && isBlankOrEnd(t, p + 1, le) ? p : -1;
    }
    if (!plainStart(t, at, le)) return -1;
    for (p = at + 1; p < le; p++) {
      const ch = t.charCodeAt(p);
      if (ch === COLON && isBlankOrEnd(t, p + 1, le)) return p;
      if (ch === HASH && t.charCodeAt(p - 1) === SPACE) return -1; // a comment before any `: `
    }
    return -1;
  }

  /** The key starting at `at` and ending before the `:` at `colon`, as js-yaml constructs it. */
  private keyValue(at: number, colon: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === QUOTE || c === APOSTROPHE) return this.quotedKey(at, quotedEnd(t, at, colon));
    let end = colon;
    while (t.charCodeAt(end - 1) === SPACE) end--;
    return this.plainKey(at, end);
  }

  /** A plain key's value; its text is [from, to). */
  private plainKey(from: number, to: number): unknown {
    const s = this.text.slice(from, to);
    const value = this.resolve(s, true);
    this.keyFrom = value === s ? from : -1;
    this.keyTo = to;
    return value;
  }

  /** A quoted key's value, the quotes at `at` and `end` - 1 (escapes only ever shorten the text). */
  private quotedKey(at: number, end: number): string {
    const value = quotedValue(this.text, at, end);
    this.keyFrom = value.length === end - at - 2 ? at + 1 : -1;
    this.keyTo = end - 1;
    return value;
  }

  /**
   * The value starting at `at` on the current line, of a block mapping or (`entry`) sequence at column `col`: a
   * scalar, a block scalar or a flow collection. Leaves the cursor on the next line with content.
   */
  private inlineValue(at: number, col: number, entry = false): unknown {
    const value = this.valueAt(at, col, entry);
    if (this.blockScalarEnded) {
      this.blockScalarEnded = false;
      this.skipBlank();
    } else this.advance();
    return value;
  }

  private valueAt(at: number, col: number, entry: boolean): unknown {
    const t = this.text;
    const le = this.le;
    const c = t.charCodeAt(at);
    const line = this.lineNo;
    if (c === QUOTE || c === APOSTROPHE) {
      const end = quotedEnd(t, at, le);
      if (end === -1) throw DECLINED;
      this.endOfValue(end);
      return this.scalarNode(line, quotedValue(t, at, end));
    }
    if (c === LBRACE || c === LBRACKET) {
      const value = entry ? this.wrappedFlow(at, line) : this.flowCollection(at, line);
      this.endOfValue(this.fp);
      return value;
    }
    if (c === PIPE || c === GT) return this.scalarNode(line, this.blockScalar(at, col + 1));
    if (!plainStart(t, at, le)) throw DECLINED;
    // The scalar runs to a comment (` #`) or the line's end; a `: ` in it would make it a key (an error here).
    let end = le;
    for (let p = at + 1; p < le; p++) {
      const ch = t.charCodeAt(p);
      if (ch === HASH && t.charCodeAt(p - 1) === SPACE) {
        end = p;
        break;
      }
      if (ch === COLON && isBlankOrEnd(t, p + 1, le)) throw DECLINED;
    }
    while (t.charCodeAt(end - 1) === SPACE) end--;
    return this.scalarNode(line, this.resolve(t.slice(at, end), false));
  }

  /**
   * The flow mapping or sequence opening at `at` (its node on `line`), holding plain or quoted scalars and flow
   * collections, as js-yaml's readFlowCollection reads it; leaves the cursor on its closing line and `fp` just past
   * it. Between entries, comments and line breaks may come (prettier's wrapped lists); each scalar and each key
   * with its `:` stays on one line. Declined: keys that are collections, explicit keys (`? `), pairs in a sequence
   * (`[a: b]`), multi-line scalars, and all that js-yaml refuses.
   */
  private flowCollection(at: number, line: number): unknown {
    const t = this.text;
    const isMap = t.charCodeAt(at) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const node = this.enter(isMap ? MAP : SEQ, line);
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    let p = at + 1;
    for (;;) {
      p = this.flowSpace(p);
      if (t.charCodeAt(p) === close) break;
      if (isMap) {
        const key = this.flowScalar(p, true);
        const name = String(key);
        if (name === '__proto__' || Object.prototype.hasOwnProperty.call(map, name)) throw DECLINED;
        this.keyNode(this.lineNo, key);
        p = skipSpaces(t, this.fp, this.le);
        // `{a: b}`; `{a}` and `{a:b}` (one plain scalar) are keys with a null value and, in js-yaml, no value node
        const c = t.charCodeAt(p);
        if (c === COLON) {
          map[name] = this.flowValue(this.flowSpace(p + 1), true);
          p = this.flowSpace(this.fp);
        } else if (c === COMMA || c === close) map[name] = null;
        else throw DECLINED; // (the key's `:` on a later line is no pair for js-yaml)
      } else {
        seq.push(this.flowValue(p, false));
        p = this.flowSpace(this.fp);
      }
      const c = t.charCodeAt(p);
      if (c === COMMA) p++;
      else if (c !== close) throw DECLINED; // `[a: b]`, a missing comma
    }
    this.fp = p + 1;
    this.leave(node);
    return isMap ? map : seq;
  }

  /**
   * The literal (`|`) or folded (`>`) block scalar whose header starts at `at`, as js-yaml's readBlockScalar reads
   * it (`nodeIndent`: its parent's column + 1, what js-yaml passes); leaves the cursor on the first line past it
   * (`blockScalarEnded`).
   */
  private blockScalar(at: number, nodeIndent: number): string {
    const t = this.text;
    const folding = t.charCodeAt(at) === GT;
    let chomping = 0; // 0 clip, 1 keep (`+`), -1 strip (`-`)
    let textIndent = nodeIndent;
    let detected = false;
    let p = at + 1;
    for (; p < this.le; p++) {
      const c = t.charCodeAt(p);
      if ((c === PLUS || c === DASH) && chomping === 0) chomping = c === PLUS ? 1 : -1;
      else if (c >= 49 && c <= 57 && !detected) {
        textIndent = nodeIndent + (c - 48) - 1;
        detected = true;
      } else break;
    }
    if (p < this.le) {
      // only spaces, then a comment, may follow the header (else js-yaml: an error)
      if (t.charCodeAt(p) !== SPACE) throw DECLINED;
      p = skipSpaces(t, p, this.le);
      if (p < this.le && t.charCodeAt(p) !== HASH) throw DECLINED;
    }
    let out = '';
    let emptyLines = 0;
    let didRead = false;
    let atMoreIndented = false;
    for (;;) {
      this.nextLine();
      const lineIndent = detected ? Math.min(this.ind, textIndent) : this.ind;
      if (!detected && lineIndent > textIndent) textIndent = lineIndent;
      const c = this.ls + lineIndent;
      // (js-yaml reads a text as if it ended with a line break: its end is a line without indent, not a blank one)
      if (this.ls < this.len && c >= this.le) {
        emptyLines++;
        continue;
      }
      if (lineIndent < textIndent) {
        if (chomping === 1) out += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
        else if (chomping === 0 && didRead) out += '\n';
        break;
      }
      if (!folding) out += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
      else if (t.charCodeAt(c) === SPACE) {
        // more-indented lines are not folded
        atMoreIndented = true;
        out += '\n'.repeat(didRead ? 1 + emptyLines : emptyLines);
      } else if (atMoreIndented) {
        atMoreIndented = false;
        out += '\n'.repeat(emptyLines + 1);
      } else if (emptyLines === 0) {
        if (didRead) out += ' ';
      } else out += '\n'.repeat(emptyLines);
      didRead = true;
      detected = true;
      emptyLines = 0;
      out += t.slice(c, this.le);
    }
    this.blockScalarEnded = true;
    return out;
  }

  /**
   * A flow collection where js-yaml first tries to read a block mapping (a block sequence's entry, or a mapping's
   * value on the lines below its key): its listener then reports the collection twice, as a node on `line` holding
   * the collection's own node. Kept so that lines are located as js-yaml's index locates them.
   */
  private wrappedFlow(at: number, line: number): unknown {
    const outer = this.enter(this.text.charCodeAt(at) === LBRACE ? MAP : SEQ, line);
    const value = this.flowCollection(at, this.lineNo);
    this.leave(outer);
    return value;
  }

  /**
   * Inside a flow collection: the offset of the next content from `p` on, past spaces, comments and line breaks
   * (moving the cursor down). Declined at the text's end and at a `---` or `...` line.
   */
  private flowSpace(p: number): number {
    const t = this.text;
    for (;;) {
      p = skipSpaces(t, p, this.le);
      if (p < this.le && t.charCodeAt(p) !== HASH) return p;
      if (this.le >= this.len) throw DECLINED; // js-yaml: an error
      this.nextLine();
      if (t.startsWith('---', this.ls) || t.startsWith('...', this.ls)) throw DECLINED;
      p = this.ls;
    }
  }

  /**
   * A value inside a flow collection at `p`: a flow collection, a scalar, or, after a mapping's `:`, nothing before
   * the `,` or `}` (null, with a node of its own).
   */
  private flowValue(p: number, inMapping: boolean): unknown {
    const c = this.text.charCodeAt(p);
    if (c === LBRACE || c === LBRACKET) return this.flowCollection(p, this.lineNo);
    if (inMapping && (c === COMMA || c === RBRACE)) {
      this.fp = p;
      return this.nullNode(this.lineNo);
    }
    return this.scalarNode(this.lineNo, this.flowScalar(p, false));
  }

  /**
   * A scalar inside a flow collection at `p`, quoted or plain; leaves `fp` just past it. A plain scalar ends at a
   * flow indicator, at a `:` followed by a space or one (`{a:b}` is the one scalar `a:b`), before a comment, or at
   * the line's end (js-yaml goes on to the next line and folds it in unless it starts with a flow indicator, a `: `
   * or a comment: the caller declines anything else after a value, and anything but `:`, `,`, `}` after a key).
   */
  private flowScalar(p: number, isKey: boolean): unknown {
    const t = this.text;
    const le = this.le;
    const c = t.charCodeAt(p);
    if (c === QUOTE || c === APOSTROPHE) {
      const end = quotedEnd(t, p, le);
      if (end === -1) throw DECLINED;
      this.fp = end;
      return isKey ? this.quotedKey(p, end) : quotedValue(t, p, end);
    }
    if (!plainStart(t, p, le) || ((c === DASH || c === QUESTION || c === COLON) && isFlow(t.charCodeAt(p + 1)))) throw DECLINED;
    let q = p + 1;
    for (; q < le; q++) {
      const ch = t.charCodeAt(q);
      if (isFlow(ch)) break;
      if (ch === COLON && (q + 1 >= le || t.charCodeAt(q + 1) === SPACE || isFlow(t.charCodeAt(q + 1)))) break;
      if (ch === HASH && t.charCodeAt(q - 1) === SPACE) break;
    }
    this.fp = q;
    let end = q;
    while (t.charCodeAt(end - 1) === SPACE) end--;
    return isKey ? this.plainKey(p, end) : this.resolve(t.slice(p, end), false);
  }

  /** After a quoted scalar or a flow collection ending at `p`: only spaces and a comment may follow on the line. */
  private endOfValue(p: number): void {
    const le = this.le;
    if (p === le) return;
    if (this.text.charCodeAt(p) !== SPACE) throw DECLINED;
    const q = skipSpaces(this.text, p, le);
    if (q < le && this.text.charCodeAt(q) !== HASH) throw DECLINED;
  }

  /** A plain scalar's value: the first of the schema's implicit types that resolves it, as js-yaml does. */
  private resolve(s: string, isKey: boolean): unknown {
    if (!mayResolve(s)) return s;
    for (const type of this.implicit) {
      if (type.resolve(s)) {
        if (isKey && (type as unknown as { tag: string }).tag === MERGE_TAG) throw DECLINED;
        return type.construct(s);
      }
    }
    return s;
  }

  private enter(kind: number, line: number): number {
    if (++this.depth > MAX_DEPTH) throw DECLINED;
    return this.open(kind, line);
  }

  private leave(node: number): void {
    this.depth--;
    this.close(node);
  }

  private open(kind: number, line: number): number {
    const tree = this.tree;
    const i = this.n++;
    if (i >= tree.line.length) tree.grow(i);
    tree.line[i] = line;
    tree.kind[i] = kind;
    return i;
  }

  private close(node: number): void {
    this.tree.end[node] = this.n;
  }

  /** A value scalar: its value is not kept (only keys are compared when locating). */
  private scalarNode<T>(line: number, value: T): T {
    const i = this.open(SCALAR, line);
    this.tree.end[i] = this.n;
    return value;
  }

  /**
   * The node of the key just read (keyValue(), flowScalar()): its text's offsets as if it were quoted (how the tree
   * compares keys), or, when its value is not its text, the value itself.
   */
  private keyNode(line: number, key: unknown): void {
    const tree = this.tree;
    const i = this.open(SCALAR, line);
    tree.end[i] = this.n;
    tree.keyStart![i] = this.keyFrom - 1;
    tree.keyEnd![i] = this.keyTo + 1;
    if (this.keyFrom === -1) {
      tree.kind[i] = ESCAPED_KEY;
      (tree.escapedKeys ??= new Map()).set(i, key);
    }
  }

  private nullNode(line: number): null {
    return this.scalarNode(line, null);
  }
}

function isFlow(c: number): boolean {
  return c < 128 && FLOW[c] === 1;
}

function skipSpaces(t: string, p: number, end: number): number {
  while (p < end && t.charCodeAt(p) === SPACE) p++;
  return p;
}

/** Whether offset p is the line's end or a space (what must follow `-`, `:` and `?` indicators). */
function isBlankOrEnd(t: string, p: number, le: number): boolean {
  return p >= le || t.charCodeAt(p) === SPACE;
}

/** Whether the line at `p` is a document separator: `---` then a space or the line's end. */
function isSeparator(t: string, p: number): boolean {
  if (!t.startsWith('---', p)) return false;
  const c = t.charCodeAt(p + 3);
  return Number.isNaN(c) || c === SPACE || c === 10;
}

/** Whether a plain scalar may start at `at`: not an indicator, nor `-`, `?`, `:` followed by a space. */
function plainStart(t: string, at: number, le: number): boolean {
  const c = t.charCodeAt(at);
  if (at >= le) return false;
  if (c < 128 && INDICATOR[c]) return false;
  if (c === DASH || c === QUESTION || c === COLON) return !isBlankOrEnd(t, at + 1, le);
  return true;
}

/**
 * Offset just past the quoted scalar opening at `at`, when it closes before `le` (an escape in double quotes may
 * not take the line's end: that one continues the scalar); -1 otherwise. In single quotes `''` is a quote.
 */
function quotedEnd(t: string, at: number, le: number): number {
  const q = t.charCodeAt(at);
  for (let p = at + 1; p < le; p++) {
    const c = t.charCodeAt(p);
    if (c === q) {
      if (q === APOSTROPHE && t.charCodeAt(p + 1) === APOSTROPHE && p + 1 < le) {
        p++;
        continue;
      }
      return p + 1;
    }
    if (c === BACKSLASH && q === QUOTE && ++p >= le) return -1;
  }
  return -1;
}

function quotedValue(t: string, at: number, end: number): string {
  const s = t.slice(at + 1, end - 1);
  if (t.charCodeAt(at) === APOSTROPHE) return s.includes("''") ? s.replace(/''/g, "'") : s;
  return s.includes('\\') ? s.replace(/\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|([^]))/g, unescape) : s;
}

/** js-yaml's simpleEscapeSequence: the escapes of double-quoted scalars that stand for one character. */
const ESCAPES = new Map(Object.entries({ 0: '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' }));

/** One escape, as js-yaml decodes it; `\U` (whose values past U+10FFFF js-yaml mangles) and unknown ones declined. */
function unescape(_: string, x: string | undefined, u: string | undefined, c: string | undefined): string {
  if (c === undefined) return String.fromCharCode(parseInt(x ?? u!, 16));
  const e = ESCAPES.get(c);
  if (e === undefined) throw DECLINED;
  return e;
}
