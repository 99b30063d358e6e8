/** Text of one manifest file (YAML or JSON) → Resources, errors with lines, and skip notes. No I/O. */
import type { Resource, ScanError, SkipNote } from '../../core/model.js';
import { parseYamlDocuments } from './yaml-documents.js';
import { JsonLocator } from './json-locator.js';
import { indexJsonConcurrently } from './json-index-offload.js';
import { documentToResources, isList } from './to-resources.js';

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
  if (text.includes('\u0000')) {
    out.skipped.push({ file, reason: 'binary file' });
    return out;
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = parseJson(text, file, out);
    if (json !== NOT_JSON) return out;
  }
  const parsed = parseYamlDocuments(text, file);
  for (const e of parsed.errors) out.errors.push({ kind: 'parse', file, line: e.line, message: e.message });
  for (const d of parsed.documents) documentToResources({ value: d.value, file, line: d.line, locate: d.locate }, out.resources, out.skipped);
  return out;
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
      documentToResources({ value: item, file, line, locate }, out.resources, out.skipped);
    }
    return value;
  }
  const line = locator.rootLine;
  documentToResources({ value, file, line, locate: locator.locatorFor(value, 0, line) }, out.resources, out.skipped);
  return value;
}
