/**
 * Characters YAML refuses (NUL and other controls: binary data), handled per document as kubectl does. kubectl's
 * YAMLReader (k8s.io/apimachinery/pkg/util/yaml) cuts a stream at lines starting with `---` and decodes each piece
 * alone; go-yaml refuses a piece holding such a character ("control characters are not allowed"), and the documents
 * before it are applied. js-yaml would refuse the whole text, so a refused document is blanked (its newlines kept,
 * so every other line keeps its number) and reported once per file. A JSON text (kubectl: first non-space `{`) is
 * decoded object by object instead: what follows the first refused character is blanked. No I/O.
 */
import { NON_PRINTABLE } from './yaml-block-reader.js';

export interface RefusedDocuments {
  /** The text with each refused document's characters replaced by nothing but its newlines. */
  text: string;
  /** Line of the first refused character. */
  firstLine: number;
  message: string;
}

export function blankRefusedDocuments(text: string): RefusedDocuments | undefined {
  const firstBad = NON_PRINTABLE.exec(text);
  if (!firstBad) return undefined;
  if (text.trimStart().startsWith('{')) {
    const line = 1 + countNewlines(text.slice(0, firstBad.index));
    const code = codeName(text.codePointAt(firstBad.index) ?? 0);
    return {
      text: text.slice(0, firstBad.index) + '\n'.repeat(countNewlines(text.slice(firstBad.index))),
      firstLine: line,
      message: `control characters (${code} at line ${line}: binary data?); kubectl stops reading the JSON there, so what follows was not scanned`,
    };
  }
  const parts: string[] = [];
  let refused = 0;
  let first: { line: number; code: number } | undefined;
  let line = 1; // line number at `start`
  let start = 0;
  while (start < text.length) {
    const end = nextSeparator(text, start);
    const piece = text.slice(start, end);
    const bad = NON_PRINTABLE.exec(piece);
    const newlines = countNewlines(piece);
    if (bad) {
      refused++;
      if (!first) first = { line: line + countNewlines(piece.slice(0, bad.index)), code: piece.codePointAt(bad.index) ?? 0 };
      parts.push('\n'.repeat(newlines));
    } else parts.push(piece);
    line += newlines;
    start = end;
  }
  const what = refused === 1 ? 'a document holds' : `${refused} documents hold`;
  const code = codeName(first!.code);
  return {
    text: parts.join(''),
    firstLine: first!.line,
    message: `${what} control characters (${code} at line ${first!.line}: binary data?); kubectl refuses ${refused === 1 ? 'it' : 'them'}, so ${refused === 1 ? 'it was' : 'they were'} not scanned`,
  };
}

/** Offset of the next line after `from`'s line that starts with `---` (kubectl's document cut), or the text's end. */
function nextSeparator(text: string, from: number): number {
  let p = text.indexOf('\n', from);
  while (p !== -1) {
    if (text.startsWith('---', p + 1)) return p + 1;
    p = text.indexOf('\n', p + 1);
  }
  return text.length;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function codeName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
