/**
 * JSON syntax errors as kind and position, never value. V8's messages quote the text around the error
 * (`Unexpected token 'K', ..."password": KGSEC"... is not valid JSON`), so a secret in a broken body or config would
 * reach replies, logs and reports. The position is found by a small validating scan of our own.
 */

const SCALAR = /true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Offset of the first syntax error of `text` as JSON (iterative: depth costs no stack), or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      i++;
    }
  };
  // a member's key and its colon: the offset of an error, or -1
  const memberKey = (): number => {
    if (text[i] !== '"') return i;
    const end = stringEnd(text, i);
    if (end < 0) return -end - 1;
    i = end;
    ws();
    if (text[i] !== ':') return i;
    i++;
    return -1;
  };
  // stack of open containers: 1 object, 2 array
  const stack: number[] = [];
  for (;;) {
    ws();
    // a value
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c === '{' ? 1 : 2);
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else if (c === '{') {
        const error = memberKey();
        if (error >= 0) return error;
        continue;
      } else continue;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return -end - 1;
      i = end;
    } else {
      SCALAR.lastIndex = i;
      const m = SCALAR.exec(text);
      if (!m) return Math.min(i, n);
      i += m[0].length;
    }
    // after a value: close containers or go on to the next member
    for (;;) {
      ws();
      if (stack.length === 0) return i < n ? i : -1;
      const top = stack[stack.length - 1];
      const d = text[i];
      if (d === ',') {
        i++;
        if (top === 1) {
          ws();
          const error = memberKey();
          if (error >= 0) return error;
        }
        break;
      }
      if ((top === 1 && d === '}') || (top === 2 && d === ']')) {
        stack.pop();
        i++;
        continue;
      }
      return Math.min(i, n);
    }
  }
}

/** Offset after the string opening at `i`, or -(offset of the error) - 1. */
function stringEnd(text: string, i: number): number {
  for (let p = i + 1; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === 34) return p + 1;
    if (c < 32) return -p - 1;
    if (c === 92) {
      const e = text[p + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(p + 2, p + 6))) return -p - 1;
        p += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) p++;
      else return -p - 1;
    }
  }
  return -text.length - 1;
}

/** Line and column (1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let p = text.indexOf('\n'); p !== -1 && p < offset; p = text.indexOf('\n', p + 1)) {
    line++;
    start = p + 1;
  }
  return { line, column: offset - start + 1 };
}

/** "invalid JSON at line 1, column 14": where JSON.parse failed on `text`, and nothing of the text itself. */
export function jsonErrorText(text: string): string {
  const at = jsonErrorOffset(text);
  if (at < 0) return 'invalid JSON';
  if (at >= text.length) return 'invalid JSON: the text ends too early';
  const { line, column } = lineColumn(text, at);
  return `invalid JSON at line ${line}, column ${column}`;
}

/** A JSON syntax error that says where, never what (see jsonErrorText). */
export class JsonSyntaxError extends SyntaxError {
  override name = 'JsonSyntaxError';
}

/** JSON.parse for text from outside: a syntax error names the position only (the text may hold secrets). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new JsonSyntaxError(jsonErrorText(text));
  }
}
