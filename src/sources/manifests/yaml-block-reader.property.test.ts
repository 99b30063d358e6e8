/**
 * Property: on any YAML text, the documents (values, lines of every field, errors) are exactly those js-yaml and
 * its listener give (loadWithListener, the path used before the block reader existed). Texts are written by
 * js-yaml's own dumper in many styles (indents, sequence indentation, quoting, flow levels, folding) from values
 * full of YAML's hard cases (indicator characters, words YAML 1.1 reads as booleans, numbers in every base,
 * empty and whitespace strings, non-ASCII, newlines, tabs and characters the dumper escapes), then comments, blank
 * lines and document separators are sprinkled in. The test also counts how often the block reader itself read a
 * document, so it cannot pass by declining everything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';
import { assertAsJsYaml } from './test-support/yaml-agreement.js';
import { blockReadable, readBlockDocuments } from './yaml-block-reader.js';
import { NodeTree } from './node-tree.js';

const TRICKY_WORDS = [
  'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', 'Null', '~', '0x1F', '0o17', '017', '0b101', '1e3', '-1.5',
  '.inf', '-.Inf', '.nan', '+12', '1_000', '<<', '-', '- a', '-a', '? x', '?x', ':x', 'a: b', 'a:b', 'a #b', 'a#b', '#x',
  '', ' ', ' lead', 'trail ', 'it\'s', '"q"', '{}', '[]', '{a: 1}', '&a', '*a', '!tag', '|', '>', '%x', '@x', '`x`',
  '2024-01-01', 'http://x:80/y', 'nginx:1.25', 'é', '---', '...', 'a\nb', 'tab\there', 'back\\slash', '__proto__',
  'a,b', 'a, b', '[x]', 'a]', '{', ':]', 'a:', '- ', '? ', 'x #', 'a:[b]', 'a:,', '-]', '?,',
];

const tricky = fc.oneof(
  fc.constantFrom(...TRICKY_WORDS),
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '#', '-', '?', "'", '"', '\\', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '~', '0', '1', '.', '<', 'y', 'é', '\n', '\t', '\x01', '\x07', '\x1b', '\x85', '\xa0', '\u2028', '\ufeff'), maxLength: 8 }),
  fc.constantFrom('name', 'image', 'app', 'ports', 'containers', 'value'),
);

const scalar = fc.oneof(
  { weight: 4, arbitrary: tricky },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 5 }),
}));

const document = fc.oneof({ weight: 4, arbitrary: fc.dictionary(tricky, value, { minKeys: 1, maxKeys: 6 }) }, { weight: 1, arbitrary: fc.array(value, { minLength: 1, maxLength: 4 }) });

const dumpStyle = fc.record({
  indent: fc.integer({ min: 1, max: 4 }),
  noArrayIndent: fc.boolean(),
  flowLevel: fc.constantFrom(-1, -1, -1, 1, 2),
  quotingType: fc.constantFrom("'" as const, '"' as const),
  forceQuotes: fc.boolean(),
  lineWidth: fc.constantFrom(-1, 80, 12),
});

/** Edits that keep or break YAML: comments and blank lines between lines, comments after them, separators. */
const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('comment-line', 'blank-line', 'trailing-comment', 'separator', 'separator-comment', 'indented-comment'),
});

function applyEdits(text: string, edits: { at: number; kind: string }[]): string {
  const lines = text.split('\n');
  for (const { at, kind } of edits) {
    const i = at % (lines.length + 1);
    if (kind === 'comment-line') lines.splice(i, 0, '# note: a comment');
    else if (kind === 'indented-comment') lines.splice(i, 0, '    # indented comment');
    else if (kind === 'blank-line') lines.splice(i, 0, '');
    else if (kind === 'separator') lines.splice(i, 0, '---');
    else if (kind === 'separator-comment') lines.splice(i, 0, '--- # next');
    else if (i < lines.length && lines[i] !== '') lines[i] += ' # trailing';
  }
  return lines.join('\n');
}

test('the block reader gives the documents, lines and errors js-yaml gives, on any dumped YAML', () => {
  let read = 0;
  let total = 0;
  fc.assert(
    fc.property(fc.array(document, { minLength: 1, maxLength: 3 }), dumpStyle, fc.array(edit, { maxLength: 4 }), (docs, style, edits) => {
      const text = applyEdits(docs.map((d) => yaml.dump(d, { ...style, schema: KUBERNETES_YAML_SCHEMA })).join('---\n'), edits);
      assertAsJsYaml(text);
      if (blockReadable(text)) {
        for (const d of readBlockDocuments(text, KUBERNETES_YAML_SCHEMA, new NodeTree(16, { text }))) {
          total++;
          if (!d.declined) read++;
        }
      } else total += docs.length;
    }),
    { numRuns: 400 },
  );
  // Most generated documents hold a hard case that sends them to js-yaml; a good share must still be read here.
  assert.ok(read > total * 0.2, `block reader read ${read} of ${total} documents`);
});

// Manifest-like values: mostly what the block reader reads itself, so its own path is what gets exercised.
const word = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'z', 'y', 'n', 'o', 't', 'f', '0', '1', '9', '-', '.', ':', '/', '_', ' ', '@', '=', '~', '+', '<', 'é'), minLength: 1, maxLength: 10 }),
  fc.constantFrom('yes', 'on', 'true', 'null', '~', '0x1F', '1e3', '.inf', '012', 'nginx:1.25', 'a:b', 'http://x:80/y', '-1', '+1'),
);
const { plainValue } = fc.letrec((tie) => ({
  plainValue: fc.oneof({ depthSize: 'small' }, word, fc.integer(), fc.boolean(), fc.constant(null), tie('plainArray'), tie('plainObject')),
  plainArray: fc.array(tie('plainValue'), { maxLength: 4 }),
  plainObject: fc.dictionary(word, tie('plainValue'), { maxKeys: 5 }),
}));

test('on manifest-like YAML the block reader reads most documents itself, with js-yaml\'s values and lines', () => {
  let read = 0;
  let total = 0;
  const manifest = fc.dictionary(word, plainValue, { minKeys: 1, maxKeys: 6 });
  fc.assert(
    fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), dumpStyle, fc.array(edit, { maxLength: 3 }), (docs, style, edits) => {
      const text = applyEdits(docs.map((d) => yaml.dump(d, { ...style, flowLevel: -1, lineWidth: -1, schema: KUBERNETES_YAML_SCHEMA })).join('---\n'), edits);
      assertAsJsYaml(text);
      for (const d of readBlockDocuments(text, KUBERNETES_YAML_SCHEMA, new NodeTree(16, { text }))) {
        total++;
        if (!d.declined) read++;
      }
    }),
    { numRuns: 300 },
  );
  assert.ok(read > total * 0.6, `block reader read ${read} of ${total} documents`);
});

/**
 * Block YAML in which the collections `pick` chooses are written in flow style on one line (`labels: {app: x}`,
 * `args: [a, b]`, nested ones too), and sequence entries that are block collections start after a `-` alone on its
 * line: the shapes of the bench's flow corpus (bench/cli/run.ts).
 */
function mixedYaml(value: unknown, indent: string, pick: () => boolean, style: yaml.DumpOptions): string {
  const inline = (v: unknown) => yaml.dump(v, { ...style, flowLevel: 0, lineWidth: -1, schema: KUBERNETES_YAML_SCHEMA }).trimEnd();
  const flat = (v: unknown) => v === null || typeof v !== 'object' || Object.keys(v).length === 0 || pick();
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) lines.push(flat(item) ? `${indent}- ${inline(item)}` : `${indent}-\n${mixedYaml(item, `${indent}  `, pick, style)}`);
  } else {
    for (const [k, v] of Object.entries(value as object)) lines.push(flat(v) ? `${indent}${inline(k)}: ${inline(v)}` : `${indent}${inline(k)}:\n${mixedYaml(v, `${indent}  `, pick, style)}`);
  }
  return lines.join('\n');
}

/** Respellings of flow collections (applied to the whole text: quoted scalars change too, on both sides alike). */
const respell = fc.record({
  padded: fc.boolean(), // `{ a: b }`
  tightCommas: fc.boolean(), // `[a,b]`
  trailingComma: fc.boolean(), // `[a, b,]`
  spaceBeforeColon: fc.boolean(), // `{a : b}`
  tightColon: fc.boolean(), // `{"a":b}`, `{a:[b]}`
  wrapped: fc.constantFrom('', ',\n', ', # c\n', ',\n\n  '), // entries on the following lines, at any indentation
  belowKey: fc.boolean(), // `key:\n  [a, b]` (prettier's wrapped lists)
});

function applyRespelling(text: string, r: { padded: boolean; tightCommas: boolean; trailingComma: boolean; spaceBeforeColon: boolean; tightColon: boolean; wrapped: string; belowKey: boolean }): string {
  if (r.trailingComma) text = text.replace(/([^{[ ])([}\]])/g, '$1,$2');
  if (r.padded) text = text.replace(/([{[])/g, '$1 ').replace(/([}\]])/g, ' $1');
  if (r.tightCommas) text = text.replace(/, /g, ',');
  if (r.spaceBeforeColon) text = text.replace(/([^ ]): /g, '$1 : ');
  if (r.tightColon) text = text.replace(/(["']): /g, '$1:').replace(/: ([[{])/g, ':$1');
  if (r.wrapped) text = text.replace(/, /g, `${r.wrapped}    `);
  if (r.belowKey) text = text.replace(/^( *)([^ \n][^\n]*?): ([[{])/gm, '$1$2:\n$1  $3');
  return text;
}

test('on flow-style YAML the block reader reads most documents itself, with js-yaml\'s values and lines', () => {
  let read = 0;
  let total = 0;
  const scalarOrWord = fc.oneof({ weight: 3, arbitrary: word }, { weight: 1, arbitrary: tricky });
  const { flowValue } = fc.letrec((tie) => ({
    flowValue: fc.oneof({ depthSize: 'small' }, scalarOrWord, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('flowArray'), tie('flowObject')),
    flowArray: fc.array(tie('flowValue'), { maxLength: 4 }),
    flowObject: fc.dictionary(scalarOrWord, tie('flowValue'), { maxKeys: 4 }),
  }));
  const manifest = fc.oneof({ weight: 4, arbitrary: fc.dictionary(word, flowValue, { minKeys: 1, maxKeys: 6 }) }, { weight: 1, arbitrary: fc.array(flowValue, { minLength: 1, maxLength: 4 }) });
  fc.assert(
    fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), dumpStyle, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), respell, fc.array(edit, { maxLength: 3 }), (docs, style, picks, r, edits) => {
      let i = 0;
      const pick = () => picks[i++ % picks.length];
      const text = applyEdits(applyRespelling(docs.map((d) => mixedYaml(d, '', pick, style)).join('\n---\n'), r), edits);
      assertAsJsYaml(text);
      if (!blockReadable(text)) return;
      for (const d of readBlockDocuments(text, KUBERNETES_YAML_SCHEMA, new NodeTree(16, { text }))) {
        total++;
        if (!d.declined) read++;
      }
    }),
    { numRuns: 400 },
  );
  assert.ok(read > total * 0.5, `block reader read ${read} of ${total} documents`);
});

// Block scalars written by hand: every header (style, chomping, indentation indicator, comment), content lines more
// or less indented than the first, blank lines and lines of spaces, and what may end them.
const blockScalarText = fc
  .record({
    style: fc.constantFrom('|', '>'),
    chomping: fc.constantFrom('', '-', '+'),
    indicator: fc.constantFrom('', '', '1', '2', '3'),
    comment: fc.boolean(),
    indent: fc.integer({ min: 1, max: 4 }),
    lines: fc.array(fc.record({ extra: fc.constantFrom(0, 0, 0, 1, 2, -1), text: fc.constantFrom('', '', 'word', 'two words', ' lead', '# not a comment', '---', 'a: b', '- x', '  ') }), { maxLength: 6 }),
    nested: fc.boolean(),
    entry: fc.boolean(),
    after: fc.constantFrom('', 'next: 1', '# comment', '---\nb: 2', '...', '  deeper: 1', '- x'),
    finalNewline: fc.boolean(),
  })
  .map((b) => {
    const base = b.nested ? '  ' : '';
    const head = `${b.style}${b.indicator}${b.chomping}${b.comment ? ' # c' : ''}`;
    const lines = [...(b.nested ? ['outer:'] : []), b.entry ? `${base}- ${head}` : `${base}key: ${head}`];
    for (const l of b.lines) lines.push(l.text === '' && l.extra <= 0 ? '' : `${base}${' '.repeat(Math.max(0, b.indent + l.extra))}${l.text}`);
    if (b.after) lines.push(b.after.startsWith('-') || b.after.startsWith('#') || b.after.startsWith('.') ? b.after : `${base}${b.after}`);
    return lines.join('\n') + (b.finalNewline ? '\n' : '');
  });

test('the block reader reads block scalars as js-yaml does: every header, indentation, blank line and ending', () => {
  let read = 0;
  let total = 0;
  fc.assert(
    fc.property(blockScalarText, (text) => {
      assertAsJsYaml(text);
      for (const d of readBlockDocuments(text, KUBERNETES_YAML_SCHEMA, new NodeTree(16, { text }))) {
        total++;
        if (!d.declined) read++;
      }
    }),
    { numRuns: 1000 },
  );
  assert.ok(read > total * 0.5, `block reader read ${read} of ${total} documents`);
});

test('the block reader agrees with js-yaml on broken YAML too: the same errors on the same lines', () => {
  fc.assert(
    fc.property(document, dumpStyle, fc.nat(), fc.constantFrom('  x: 1', 'a:b: c', '- x', ' bad: indent', 'k: "open', '\t- tab', 'key: [1,'), (doc, style, at, broken) => {
      const lines = yaml.dump(doc, { ...style, schema: KUBERNETES_YAML_SCHEMA }).split('\n');
      lines.splice(at % (lines.length + 1), 0, broken);
      assertAsJsYaml(`a: 1\n---\n${lines.join('\n')}\n---\nb: 2\n`);
    }),
    { numRuns: 300 },
  );
});
