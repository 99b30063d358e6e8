/**
 * Property: for any JSON object written with any of JSON's whitespace (spaces, tabs, LF, CRLF, none), the line
 * the locator gives each field is the line the writer put it on. The writer below records that line itself as
 * it emits each key or array element, so the expected answers do not come from the locator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonLocator } from './json-locator.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Style {
  newline: string;
  indent: string;
  /** Containers nested less deep than this break their lines after `{`, `[` and `,`; deeper ones stay on one line. */
  breakBelowDepth: number;
  afterColon: string;
}

const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** Serialises `value`, recording the line each pointer starts on. */
function write(value: Json, style: Style): { text: string; lines: Map<string, number> } {
  let text = '';
  let line = 1;
  const lines = new Map<string, number>();
  const emit = (s: string) => {
    text += s;
    for (const ch of s) if (ch === '\n') line++;
  };
  const visit = (v: Json, pointer: string, depth: number) => {
    if (v === null || typeof v !== 'object') return emit(JSON.stringify(v));
    const entries: [string, Json][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    const broken = depth < style.breakBelowDepth && entries.length > 0;
    emit(Array.isArray(v) ? '[' : '{');
    entries.forEach(([k, child], i) => {
      if (i > 0) emit(',');
      if (broken) emit(style.newline + style.indent.repeat(depth + 1));
      const at = `${pointer}/${escapePointer(k)}`;
      lines.set(at, line);
      if (!Array.isArray(v)) emit(JSON.stringify(k) + ':' + style.afterColon);
      visit(child, at, depth + 1);
    });
    if (broken) emit(style.newline + style.indent.repeat(depth));
    emit(Array.isArray(v) ? ']' : '}');
  };
  visit(value, '', 0);
  return { text, lines };
}

const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a"b', 'c/d', 'e~f', 'back\\slash', 'ünï', 'items'));
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 8 })),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;
const style: fc.Arbitrary<Style> = fc.record({
  newline: fc.constantFrom('\n', '\r\n'),
  indent: fc.constantFrom('', ' ', '  ', '    ', '\t', ' \t'),
  breakBelowDepth: fc.integer({ min: 0, max: 4 }),
  afterColon: fc.constantFrom('', ' ', '\t', '  '),
});

test('every field of any JSON object is located on the line its writer put it on, whatever the whitespace', () => {
  fc.assert(
    fc.property(fc.dictionary(key, json, { minKeys: 1, maxKeys: 5, noNullPrototype: true }), style, (value, s) => {
      const { text, lines } = write(value, s);
      // The writer wrote valid JSON for the value (compared as JSON text: -0 is written as 0).
      const parsed = JSON.parse(text) as unknown;
      assert.equal(JSON.stringify(parsed), JSON.stringify(value));
      const locator = new JsonLocator(text);
      const locate = locator.locatorFor(parsed, 0, locator.rootLine);
      for (const [pointer, line] of lines) assert.equal(locate(pointer), line, `${pointer} in ${JSON.stringify(text)}`);
    }),
    { numRuns: 300 },
  );
});
