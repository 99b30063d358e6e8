/**
 * Multi-document YAML with the line of every field.
 *
 * Documents in plain block style (with flow collections, block scalars and escapes; see its header for what it
 * leaves out) are read by yaml-block-reader.ts, which builds value and line index in one pass. Every other document is loaded by js-yaml, whose `listener` reports each node's
 * open and close (keys included, and keys open on their own line): each node's line, extent and kind go into flat
 * arrays (node-tree.ts), and a JSON pointer is located by walking them alongside the parsed value.
 */
import yaml from 'js-yaml';
import type { LineLocator } from '../../core/model.js';
import { appendAll } from '../../core/append.js';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';
import { ALIAS, MAP, NodeTree, SCALAR, SEQ } from './node-tree.js';
import { blockReadable, readBlockDocuments } from './yaml-block-reader.js';

export interface ParsedDocument {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  locate: LineLocator;
}

export interface DocumentError {
  message: string;
  line?: number;
}

export interface YamlParseResult {
  documents: ParsedDocument[];
  errors: DocumentError[];
}

interface ListenerState {
  line: number;
  kind: string | null;
  result: unknown;
  anchor: string | null;
}

/**
 * Aliases multiply what a document holds without growing its text. Once expanded, a text's documents may hold at most
 * this many nodes each and this many bytes (string characters) in all: what kubectl would send for a file can be no
 * larger than a file kubeguard reads (MAX_MANIFEST_BYTES); the API server takes 3 MiB.
 */
const MAX_EXPANDED_NODES = 1_000_000;
export const MAX_EXPANDED_BYTES = 64 * 1024 * 1024;

export function parseYamlDocuments(text: string, filename: string): YamlParseResult {
  if (!blockReadable(text)) return loadWithListener(text, filename);
  const tree = new NodeTree(text.length >> 3, { text });
  let read;
  try {
    read = readBlockDocuments(text, KUBERNETES_YAML_SCHEMA, tree);
  } catch {
    return loadWithListener(text, filename); // e.g. nesting deeper than the stack: js-yaml refuses it with an error
  }
  if (read.every((d) => d.declined)) return loadWithListener(text, filename);
  const out: YamlParseResult = { documents: [], errors: [] };
  const budget: ExpansionBudget = { bytesLeft: MAX_EXPANDED_BYTES };
  for (const d of read) {
    if (d.declined) {
      // With the next `---` line when it is bare (js-yaml reads it as the end of this document: an explicit key
      // without a value gets its node there), giving an empty document more. A chunk js-yaml cannot load is cut
      // into documents as a whole text would be (loadWithListener's fallback).
      const end = d.to < text.length ? bareSeparatorEnd(text, d.to) : d.to;
      const loaded = loadWithListener(text.slice(d.from, end), filename, d.firstLine - 1, false, budget);
      appendAll(out.documents, loaded.documents);
      appendAll(out.errors, loaded.errors);
    } else {
      const { root, value, line } = d;
      out.documents.push({ value, line, locate: root === -1 ? () => line : (p) => tree.locate(root, value, p) ?? line });
    }
  }
  return out;
}

/** The end of the `---` line at `p` when nothing but spaces or a comment follows `---` on it, else `p`. */
function bareSeparatorEnd(text: string, p: number): number {
  const nl = text.indexOf('\n', p);
  const end = nl === -1 ? text.length : nl;
  return /^--- *(#.*)?$/.test(text.slice(p, end)) ? end : p;
}

/** js-yaml's loadAll with a listener building the line index (the whole text, or one document of it). */
export function loadWithListener(text: string, filename: string, lineOffset = 0, isChunk = false, budget: ExpansionBudget = { bytesLeft: MAX_EXPANDED_BYTES }): YamlParseResult {
  // One node per open/close pair of the listener, numbered in document order (see node-tree.ts); keys are
  // scalar nodes whose constructed value is kept in `values` to be matched against pointer tokens.
  const values: unknown[] = [];
  const tree = new NodeTree(text.length >> 4, { values });
  // Open nodes as a stack with an explicit top: truncating arrays through `.length` costs more than the parse.
  const open: number[] = [];
  let openTop = 0;
  let n = 0;
  const rootNodes: number[] = [];
  let anchored = false; // any anchor (on a container or a scalar): aliases may multiply what the text holds
  const listener = (event: 'open' | 'close', state: ListenerState) => {
    if (event === 'open') {
      if (n >= tree.line.length) tree.grow(n);
      tree.line[n] = state.line + 1 + lineOffset;
      open[openTop++] = n++;
      return;
    }
    const i = open[--openTop];
    tree.end[i] = n;
    const result = state.result;
    const kind = state.kind;
    if (kind === 'mapping' || kind === 'sequence') {
      tree.kind[i] = kind === 'mapping' ? MAP : SEQ;
      if (state.anchor !== null && result !== null && typeof result === 'object') (tree.anchors ??= new Map()).set(result, i);
      if (state.anchor !== null) anchored = true;
    } else {
      tree.kind[i] = kind === null && result !== null && typeof result === 'object' ? ALIAS : SCALAR;
      values[i] = result;
      if (state.anchor !== null) anchored = true;
    }
    // An empty document closes a root node too (with a null result) but yields no value to pair it with.
    if (openTop === 0 && result !== null && result !== undefined) rootNodes.push(i);
  };

  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, null, { filename, schema: KUBERNETES_YAML_SCHEMA, listener } as unknown as yaml.LoadOptions);
    tree.trim(n);
  } catch (e) {
    if (isChunk || !(e instanceof yaml.YAMLException)) return { documents: [], errors: [toError(e, lineOffset)] };
    return parseDocumentByDocument(text, filename, lineOffset, budget);
  }

  // js-yaml yields one value per document, and the listener one root node per document with content.
  const documents: ParsedDocument[] = [];
  const errors: DocumentError[] = [];
  let r = 0;
  const memo = new Map<object, Size>();
  for (const value of docs) {
    const root = value === null || value === undefined ? undefined : rootNodes[r++];
    const line = root === undefined ? 1 + lineOffset : tree.line[root];
    if (anchored) {
      const size = expandedSize(value, memo, 0);
      budget.bytesLeft -= size.bytes;
      if (size.nodes > MAX_EXPANDED_NODES || budget.bytesLeft < 0) {
        errors.push({ line, message: `document refused: once its aliases are expanded it holds more than ${size.nodes > MAX_EXPANDED_NODES ? `${MAX_EXPANDED_NODES} nodes` : `${MAX_EXPANDED_BYTES} bytes (with the documents before it)`} (alias bomb?)` });
        continue;
      }
    }
    const locate: LineLocator = root === undefined ? () => line : (p) => tree.locate(root, value, p) ?? line;
    documents.push({ value, line, locate });
  }
  return { documents, errors };
}

/** What is left of a text's expansion bytes, shared by the pieces it is loaded in. */
export interface ExpansionBudget {
  bytesLeft: number;
}

interface Size {
  nodes: number;
  bytes: number;
}

const UNBOUNDED: Size = { nodes: Infinity, bytes: Infinity };

/**
 * Nodes and bytes (characters of strings and keys) of a value with its aliases expanded, memoised by identity so an
 * alias bomb is measured in linear time (a string aliased 10,000 times counts 10,000 times its length).
 */
function expandedSize(v: unknown, memo: Map<object, Size>, depth: number): Size {
  if (typeof v === 'string') return { nodes: 1, bytes: v.length };
  if (v === null || typeof v !== 'object') return { nodes: 1, bytes: 8 };
  const known = memo.get(v);
  if (known !== undefined) return known;
  if (depth > 200) return UNBOUNDED;
  memo.set(v, UNBOUNDED); // a cycle counts as unbounded
  const size = { nodes: 1, bytes: 2 };
  for (const [key, child] of Object.entries(v)) {
    const c = expandedSize(child, memo, depth + 1);
    size.nodes += c.nodes;
    size.bytes += c.bytes + key.length;
    if (size.nodes > MAX_EXPANDED_NODES || size.bytes > MAX_EXPANDED_BYTES) break;
  }
  memo.set(v, size);
  return size;
}

/** After a syntax error: parse each `---`-separated document alone so the good ones survive. */
function parseDocumentByDocument(text: string, filename: string, lineOffset: number, budget: ExpansionBudget): YamlParseResult {
  const out: YamlParseResult = { documents: [], errors: [] };
  const lines = text.split('\n');
  let start = 0;
  const flush = (end: number) => {
    // with the newline before the next `---`: it belongs to the document (a `|+` scalar keeps it)
    const chunk = lines.slice(start, end).join('\n') + (end < lines.length ? '\n' : '');
    if (chunk.trim() !== '') {
      const r = loadWithListener(chunk, filename, lineOffset + start, true, budget);
      appendAll(out.documents, r.documents);
      appendAll(out.errors, r.errors);
    }
  };
  for (let i = 0; i < lines.length; i++) {
    if (/^---(\s|$)/.test(lines[i]) && i > start) {
      flush(i);
      start = i;
    }
  }
  flush(lines.length);
  return out;
}

function toError(e: unknown, lineOffset: number): DocumentError {
  if (e instanceof yaml.YAMLException) {
    const line = e.mark ? e.mark.line + 1 + lineOffset : undefined;
    return { message: e.reason || 'invalid YAML', line };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

/**
 * A YAML error as kind and position only: js-yaml's message quotes the offending lines (a value: maybe a secret),
 * its `reason` does not.
 */
export function yamlErrorText(e: unknown): string {
  if (!(e instanceof yaml.YAMLException)) return e instanceof Error ? e.name : 'error';
  const at = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
  return `${e.reason || 'invalid YAML'}${at}`;
}
