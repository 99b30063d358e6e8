/**
 * Multi-document YAML with the line of every field, at the cost of a bare js-yaml loadAll.
 *
 * js-yaml's `listener` reports each node's open and close. Keys open on their own line, so for every mapping
 * we record key → line and for every sequence item → line, in a WeakMap keyed by the constructed object.
 * A JSON pointer is then located by walking the object and these maps (see locate()).
 */
import yaml from 'js-yaml';
import type { LineLocator } from '../../core/model.js';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';
import { locateIn, type KeyLines } from './key-lines.js';

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
}

const MAX_EXPANDED_NODES = 1_000_000;

export function parseYamlDocuments(text: string, filename: string, lineOffset = 0, isChunk = false): YamlParseResult {
  const keyLines = new Map<object, KeyLines>();
  // Open nodes (their start line, and where their children begin) and the completed children of open nodes,
  // as stacks with explicit tops: truncating arrays through `.length` costs more than the parse itself.
  const openLines: number[] = [];
  const openChildStart: number[] = [];
  let openTop = 0;
  const childLines: number[] = [];
  const childResults: unknown[] = [];
  let childTop = 0;
  const rootLines: number[] = [];
  const listener = (event: 'open' | 'close', state: ListenerState) => {
    if (event === 'open') {
      openLines[openTop] = state.line + 1 + lineOffset;
      openChildStart[openTop++] = childTop;
      return;
    }
    const line = openLines[--openTop];
    const start = openChildStart[openTop];
    const result = state.result;
    if (childTop > start && result !== null && typeof result === 'object') {
      const lines: KeyLines = [];
      if (state.kind === 'mapping') {
        for (let i = start; i + 1 < childTop; i += 2) lines.push(childResults[i] as string, childLines[i]);
      } else {
        for (let i = start; i < childTop; i++) lines.push(childLines[i]);
      }
      keyLines.set(result, lines);
    }
    childTop = start;
    if (openTop > 0) {
      childLines[childTop] = line;
      childResults[childTop++] = result;
    } else {
      rootLines.push(line);
    }
  };

  let values: unknown[];
  try {
    values = yaml.loadAll(text, null, { filename, schema: KUBERNETES_YAML_SCHEMA, listener } as yaml.LoadOptions);
  } catch (e) {
    if (isChunk || !(e instanceof yaml.YAMLException)) return { documents: [], errors: [toError(e, lineOffset)] };
    return parseDocumentByDocument(text, filename);
  }

  // js-yaml yields one value per document, and the listener one root frame per document with content.
  const documents: ParsedDocument[] = [];
  const errors: DocumentError[] = [];
  let r = 0;
  const mayHaveAliases = text.includes('&'); // no anchor, no alias: skip the expansion measure
  for (const value of values) {
    const line = (value === null || value === undefined ? undefined : rootLines[r++]) ?? 1 + lineOffset;
    if (mayHaveAliases && value !== null && typeof value === 'object' && expandedSize(value, new Map(), 0) > MAX_EXPANDED_NODES) {
      errors.push({ line, message: `document refused: more than ${MAX_EXPANDED_NODES} nodes once aliases are expanded (alias bomb?)` });
      continue;
    }
    documents.push({ value, line, locate: (p) => locateIn(value, p, keyLines) ?? line });
  }
  return { documents, errors };
}

/** Node count with aliases expanded, memoised by identity so an alias bomb is measured in linear time. */
function expandedSize(v: unknown, memo: Map<object, number>, depth: number): number {
  if (v === null || typeof v !== 'object') return 1;
  const known = memo.get(v);
  if (known !== undefined) return known;
  if (depth > 200) return Infinity;
  memo.set(v, Infinity); // a cycle counts as unbounded
  let n = 1;
  for (const child of Array.isArray(v) ? v : Object.values(v)) {
    n += expandedSize(child, memo, depth + 1);
    if (n > MAX_EXPANDED_NODES) break;
  }
  memo.set(v, n);
  return n;
}

/** After a syntax error: parse each `---`-separated document alone so the good ones survive. */
function parseDocumentByDocument(text: string, filename: string): YamlParseResult {
  const out: YamlParseResult = { documents: [], errors: [] };
  const lines = text.split('\n');
  let start = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end).join('\n');
    if (chunk.trim() !== '') {
      const r = parseYamlDocuments(chunk, filename, start, true);
      out.documents.push(...r.documents);
      out.errors.push(...r.errors);
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
    return { message: e.reason || e.message.split('\n')[0], line };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}
