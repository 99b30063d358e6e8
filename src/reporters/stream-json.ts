/**
 * JSON.stringify(doc, null, 2) (or, compact, JSON.stringify(doc)), byte for byte, in chunks: one array of the
 * document (findings, SARIF results) is written slice by slice from an iterable, so a report of hundreds of
 * thousands of findings never exists as one string, nor as an array of rendered objects.
 */
// 16 Ki characters (32 KiB when a character takes two bytes): chunks gathered from pieces stay well below V8's
// large-object size, so the young generation reclaims them as they are written
const CHUNK = 1 << 14;
/**
 * Items stringified at once: enough for V8 to indent them natively, few enough that the text (two bytes a character
 * when a message holds "…") stays below the large-object size. Each slice is written as it is: joining slices, or
 * larger slices, makes strings that are allocated page by page and cost three times as much to write.
 */
const SLICE = 32;

/** Stands in for the streamed array while the rest of the document is stringified. */
export const STREAMED = '\u0000kubeguard:streamed-array\u0000';
const QUOTED = JSON.stringify(STREAMED);

/**
 * The items' lines as they stand in the streamed array at its depth, after the separator before them (`,` after an
 * earlier slice): the items are stringified after a 0 (`slice` starts with it) and wrapped in as many arrays as the
 * streamed array is deep, so JSON.stringify indents them itself; the text is cut out of its output without a copy.
 */
function sliceLines(slice: unknown[], depth: number, first: boolean): string {
  let wrapped: unknown = slice;
  for (let d = 0; d < depth; d++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // past the wrappers' lines and the line "0,": at the first item's line
  let start = 0;
  for (let d = 0; d <= depth + 1; d++) start = text.indexOf('\n', start) + 1;
  let end = text.length;
  for (let d = 0; d <= depth; d++) end = text.lastIndexOf('\n', end - 1);
  return text.slice(first ? start - 1 : start - 2, end);
}

/** Where the stringified document holds STREAMED. */
function streamedAt(text: string): number {
  const at = text.indexOf(QUOTED);
  if (at === -1) throw new Error('streamJson: the document has no streamed array');
  return at;
}

/** `doc` holds STREAMED exactly once, where the array of `items` belongs. */
export function* streamJson(doc: unknown, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(doc, null, 2);
  const at = streamedAt(text);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const outer = /^ */.exec(text.slice(lineStart))![0];
  const depth = outer.length / 2;
  const head = text.slice(0, at) + '[';
  let any = false;
  let slice: unknown[] = [0];
  const lines = () => {
    const text = any ? sliceLines(slice, depth, false) : head + sliceLines(slice, depth, true);
    any = true;
    slice = [0];
    return text;
  };
  for (const item of items) if (slice.push(item) > SLICE) yield lines();
  if (slice.length > 1) yield lines();
  yield (any ? '\n' + outer + ']' : head + ']') + text.slice(at + QUOTED.length) + '\n';
}

/**
 * JSON.stringify(doc) with the array of `items` where `doc` holds STREAMED: for a report only programs read (SARIF),
 * whose indentation would be ~40% of its bytes and of the time to write them.
 */
export function* streamJsonCompact(doc: unknown, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(doc);
  const at = streamedAt(text);
  const head = text.slice(0, at) + '[';
  let any = false;
  let slice: unknown[] = [];
  const sliceText = () => {
    const json = JSON.stringify(slice);
    const out = (any ? ',' : head) + json.slice(1, -1);
    any = true;
    slice = [];
    return out;
  };
  for (const item of items) if (slice.push(item) === SLICE) yield sliceText();
  if (slice.length) yield sliceText();
  yield (any ? ']' : head + ']') + text.slice(at + QUOTED.length) + '\n';
}

/** Pieces of text gathered into chunks of about 16 Ki characters (a report read by people, streamed the same way). */
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
