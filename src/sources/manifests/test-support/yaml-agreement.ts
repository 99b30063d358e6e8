/** Asserts that the YAML path gives what js-yaml with its listener gives: values, every field's line, errors. */
import assert from 'node:assert/strict';
import { loadWithListener, parseYamlDocuments } from '../yaml-documents.js';
import type { YamlParseResult } from '../yaml-documents.js';

/** Every pointer into `v`, and one to a missing field under each (located at its closest ancestor). */
function pointers(v: unknown, p: string, out: string[]): string[] {
  out.push(p, `${p}/missing`);
  if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) pointers(c, `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  return out;
}

// Empty documents (null) are left out: they yield no object, and where a text is cut into documents decides how
// many of them there are.
const withContent = (r: YamlParseResult): YamlParseResult => ({ errors: r.errors, documents: r.documents.filter((d) => d.value !== null) });

export function assertAsJsYaml(text: string, what = 'text'): void {
  const actual = withContent(parseYamlDocuments(text, 'x.yaml'));
  const expected = withContent(loadWithListener(text, 'x.yaml'));
  assert.deepStrictEqual(actual.errors, expected.errors, `${what}: errors`);
  assert.deepStrictEqual(
    actual.documents.map((d) => d.value),
    expected.documents.map((d) => d.value),
    `${what}: values`,
  );
  actual.documents.forEach((doc, i) => {
    assert.equal(doc.line, expected.documents[i].line, `${what}: line of document ${i}`);
    for (const p of pointers(doc.value, '', [])) assert.equal(doc.locate(p), expected.documents[i].locate(p), `${what}: line of ${p} in document ${i}`);
  });
}
