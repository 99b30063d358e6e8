/**
 * JSON.stringify(doc, null, 2), byte for byte, in chunks of about 64 KiB: one array of the document (findings,
 * SARIF results) is written item by item from an iterable, so a report of hundreds of thousands of findings never
 * exists as one string, nor as an array of rendered objects.
 */
// 64 KiB: chunks stay below V8's large-object size, so the young generation reclaims them as they are written
const CHUNK = 1 << 16;

/** Stands in for the streamed array while the rest of the document is stringified. */
export const STREAMED = '\u0000kubeguard:streamed-array\u0000';
const QUOTED = JSON.stringify(STREAMED);

function indent(text: string, by: string): string {
  return text.indexOf('\n') === -1 ? text : text.replace(/\n/g, '\n' + by);
}

/** `doc` holds STREAMED exactly once, where the array of `items` belongs. */
export function* streamJson(doc: unknown, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(doc, null, 2);
  const at = text.indexOf(QUOTED);
  if (at === -1) throw new Error('streamJson: the document has no streamed array');
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const outer = /^ */.exec(text.slice(lineStart))![0];
  const inner = outer + '  ';
  let buf = text.slice(0, at) + '[';
  let n = 0;
  for (const item of items) {
    buf += (n++ ? ',' : '') + '\n' + inner + indent(JSON.stringify(item, null, 2), inner);
    if (buf.length > CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield buf + (n ? '\n' + outer + ']' : ']') + text.slice(at + QUOTED.length) + '\n';
}

/** Pieces of text gathered into chunks of about 1 MiB (a report read by people, streamed the same way). */
export function* chunked(pieces: Iterable<string>): Generator<string> {
  let buf = '';
  for (const p of pieces) {
    buf += p;
    if (buf.length > CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield buf;
}
