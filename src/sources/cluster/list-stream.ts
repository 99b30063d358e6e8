/**
 * The items of a large JSON List (`kubectl get … -o json` of a whole cluster: hundreds of MB, more than V8's
 * longest string) read as a stream: the text is walked once, tracking strings and nesting, and each element of
 * the top-level "items" array is cut out and parsed on its own, with the line it starts on. Memory holds one item
 * of text at a time, plus the parsed objects.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parseJson } from '../../core/json-error.js';

export interface StreamedItem {
  value: unknown;
  /** 1-based line where the item starts. */
  line: number;
}

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93, NEWLINE = 10, COLON = 58;

export class ListStreamError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export async function* streamListItems(input: Readable): AsyncGenerator<StreamedItem> {
  const decoder = new StringDecoder('utf8');
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  // key tracking at depth 1 (the top-level object), to find "items"
  let keyStart = -1;
  let keyBuf = ''; // the part of a key read in earlier chunks
  let lastKey = '';
  let expectItems = false;
  let itemsDepth = -1; // depth inside the items array (2) once found
  let sawItems = false;
  let carry = ''; // text of the item being read
  let itemStart = -1; // offset in `text` of the current item's "{", or -1
  let itemLine = 0;
  let done = false;

  for await (const chunk of input) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    const scanFrom = carry.length;
    carry = '';
    if (itemStart >= 0) itemStart = 0;
    const out: StreamedItem[] = [];
    for (let i = scanFrom; i < text.length && !done; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (keyStart >= 0) {
            lastKey = keyBuf + text.slice(keyStart, i);
            keyBuf = '';
            keyStart = -1;
          }
        }
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && itemsDepth < 0) keyStart = i + 1;
        continue;
      }
      if (c === COLON && depth === 1 && itemsDepth < 0) {
        expectItems = lastKey === 'items';
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        depth++;
        if (c === LBRACKET && depth === 2 && expectItems && itemsDepth < 0) {
          itemsDepth = 2;
          sawItems = true;
        } else if (c === LBRACE && itemsDepth === 2 && depth === 3) {
          itemStart = i;
          itemLine = line;
        }
        expectItems = false;
        continue;
      }
      if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (c === RBRACE && itemsDepth === 2 && depth === 2 && itemStart >= 0) {
          const body = text.slice(itemStart, i + 1);
          itemStart = -1;
          try {
            out.push({ value: parseJson(body), line: itemLine });
          } catch (e) {
            throw new ListStreamError(`item is not JSON: ${(e as Error).message}`, itemLine);
          }
        } else if (c === RBRACKET && itemsDepth === 2 && depth === 1) {
          itemsDepth = -1; // items array closed; keep reading for well-formedness
        }
        if (depth < 0) throw new ListStreamError('unbalanced JSON', line);
        if (depth === 0) done = true;
      }
    }
    if (itemStart >= 0) carry = text.slice(itemStart);
    else if (keyStart >= 0) {
      // a top-level key split across chunks: keep what was read, go on at the start of the next chunk
      keyBuf += text.slice(keyStart);
      keyStart = 0;
    }
    for (const item of out) yield item;
    if (done) break;
  }
  if (!sawItems) throw new ListStreamError('not a JSON List: no top-level "items" array', line);
  if (depth !== 0) throw new ListStreamError('the List is truncated', line);
}
