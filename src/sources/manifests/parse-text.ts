/**
 * Text of one manifest file (YAML or JSON) → Resources, errors with lines, and skip notes, read as kubectl reads
 * it (sigs.k8s.io/yaml: go-yaml v2 values converted to JSON). No I/O.
 */
import type { Resource, ScanError, SkipNote } from '../../core/model.js';
import { parseYamlDocuments } from './yaml-documents.js';
import type { ParsedDocument } from './yaml-documents.js';
import { nonFiniteConstructed } from './yaml-schema.js';
import { JsonLocator } from './json-locator.js';
import { indexJsonConcurrently } from './json-index-offload.js';
import { documentToResources, isList } from './to-resources.js';
import { blankRefusedDocuments } from './control-characters.js';

export interface ParsedManifests {
  resources: Resource[];
  errors: ScanError[];
  skipped: SkipNote[];
}

export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export function parseManifestText(text: string, file: string): ParsedManifests {
  const out: ParsedManifests = { resources: [], errors: [], skipped: [] };
  if (text.length > MAX_MANIFEST_BYTES) {
    out.errors.push({ kind: 'limit', file, message: `file refused: larger than ${MAX_MANIFEST_BYTES} bytes` });
    return out;
  }
  // Documents holding characters go-yaml refuses (NUL, other controls: binary data) are errors, each alone, as
  // kubectl refuses each; the others are read.
  const refused = blankRefusedDocuments(text);
  if (refused) {
    text = refused.text;
    out.errors.push({ kind: 'parse', file, line: refused.firstLine, message: refused.message });
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = parseJson(text, file, out);
    if (json !== NOT_JSON) return out;
  }
  const before = nonFiniteConstructed();
  const parsed = parseYamlDocuments(text, file);
  for (const e of parsed.errors) out.errors.push({ kind: 'parse', file, line: e.line, message: e.message });
  const documents = nonFiniteConstructed() === before ? parsed.documents : withoutNonFinite(parsed.documents, file, out.errors);
  for (const d of documents) documentToResources({ value: d.value, file, line: d.line, locate: d.locate }, out);
  return out;
}

/**
 * Documents holding `.inf` or `.nan` values: sigs.k8s.io/yaml fails to write them as JSON (`json: unsupported
 * value`), so kubectl refuses the document. Each becomes an error naming the field.
 */
function withoutNonFinite(documents: ParsedDocument[], file: string, errors: ScanError[]): ParsedDocument[] {
  const kept: ParsedDocument[] = [];
  for (const d of documents) {
    const at = nonFinitePointer(d.value);
    if (at === undefined) kept.push(d);
    else errors.push({ kind: 'parse', file, line: d.locate(at) ?? d.line, message: `${at || '/'}: .inf or .nan cannot be written as JSON; kubectl refuses this document` });
  }
  return kept;
}

/** Pointer to the first value that is an infinite or NaN number (a stack: documents may be deep). */
function nonFinitePointer(root: unknown): string | undefined {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return at;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) stack.push([c, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    }
  }
  return undefined;
}

const NOT_JSON = Symbol('not-json');

/** Fast path: JSON.parse, and one indexing pass over the text for field lines (json-index.ts), concurrently when large. */
function parseJson(text: string, file: string, out: ParsedManifests): unknown {
  const index = indexJsonConcurrently(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // JSON-looking text that is not JSON may still be YAML (flow style); YAML decides and reports.
    void e;
    return NOT_JSON;
  }
  const locator = new JsonLocator(text, index());
  if (Array.isArray(value) || isList(value)) {
    const items = (Array.isArray(value) ? value : (value as { items: unknown[] }).items) as unknown[];
    const positions = locator.topLevelElements();
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const at = positions[i];
      const line = at?.line ?? 1;
      const locate = at ? locator.locatorFor(item, at.node, line) : () => line;
      documentToResources({ value: item, file, line, locate }, out);
    }
    return value;
  }
  const line = locator.rootLine;
  documentToResources({ value, file, line, locate: locator.locatorFor(value, 0, line) }, out);
  return value;
}
