import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO_ROOT } from '../../test-support/conformance.js';
import { resolvePlain } from './plain-scalar.js';
import { decodeText } from './decode-text.js';
import { loadWithListener, parseYamlDocuments } from './yaml-documents.js';
import { assertAsJsYaml } from './test-support/yaml-agreement.js';

type Expected = string | boolean | null | { int: string } | { float: string } | Expected[];

interface GoCase {
  line: number;
  yaml?: string;
  yamlHex?: string;
  key: string;
  value: Expected;
}

const table = JSON.parse(readFileSync(join(REPO_ROOT, 'testdata', 'go-yaml-v2', 'unmarshal-cases.json'), 'utf8')) as { cases: GoCase[] };

/** The value as JavaScript reads the JSON kubectl would send for it. */
function expected(v: Expected): unknown {
  if (Array.isArray(v)) return v.map(expected);
  if (v !== null && typeof v === 'object') {
    if ('int' in v) return Number(BigInt(v.int));
    const f = v.float;
    return f === '+Inf' ? Infinity : f === '-Inf' ? -Infinity : f === 'NaN' ? NaN : Number(f.replace(/_/g, ''));
  }
  return v;
}

function valueOf(yamlText: string, key: string, reader: 'kubeguard' | 'js-yaml'): unknown {
  const r = reader === 'kubeguard' ? parseYamlDocuments(yamlText, 'x.yaml') : loadWithListener(yamlText, 'x.yaml');
  assert.deepEqual(r.errors, [], yamlText);
  const doc = r.documents.find((d) => d.value !== null) as { value: Record<string, unknown> } | undefined;
  return doc?.value[key];
}

describe('plain scalars as kubectl (go-yaml v2) resolves them', () => {
  it(`gives go-yaml's own test results: ${table.cases.length} cases of decode_test.go (testdata/go-yaml-v2), through both YAML readers`, () => {
    assert.ok(table.cases.length >= 50);
    for (const c of table.cases) {
      const text = c.yamlHex ? decodeText(Buffer.from(c.yamlHex, 'hex')).text : c.yaml!;
      for (const reader of ['kubeguard', 'js-yaml'] as const) {
        assert.deepStrictEqual(valueOf(text, c.key, reader), expected(c.value), `decode_test.go:${c.line} ${JSON.stringify(text)} (${reader})`);
      }
    }
  });

  it('follows resolve.go where its tests are silent: YAML 1.1 words, Go base-0 integers, Go floats, no base 60', () => {
    // [input, value] — each derived from resolve.go (commit 7649d45) and strconv's base-0 parsing, as commented
    const cases: [string, unknown][] = [
      // resolveMapList: y/n and the other words, in the three spellings only
      ['y', true], ['Y', true], ['n', false], ['N', false], ['yes', true], ['NO', false], ['On', true], ['OFF', false],
      ['yEs', 'yEs'], ['TRue', 'TRue'], ['nO', 'nO'], ['t', 't'], ['f', 'f'], ['o', 'o'],
      ['Null', null], ['NULL', null], ['~', null], ['nULL', 'nULL'],
      // ParseInt(strings.Replace(in, "_", "", -1), 0, 64): leading 0 is octal, 0o/0x/0b prefixes in either case
      ['0_0', 0], ['1_000', 1000], ['__1', '__1'], ['1__', 1], ['0755', 493], ['0644', 420], ['-017', -15], ['0o17', 15], ['0O17', 15],
      ['0x1F', 31], ['0X1f', 31], ['-0x10', -16], ['+0x10', 16], ['0b101', 5], ['0B11', 3], ['0x', '0x'], ['0b', '0b'], ['00', 0], ['-0', 0], ['+0', 0],
      // not octal: ParseInt and ParseUint fail, then yamlStyleFloat matches and ParseFloat reads it as decimal
      ['08', 8], ['0999', 999], ['09.5', 9.5],
      // int64 range, then ParseUint for the unsigned rest, then float
      ['9223372036854775807', Number('9223372036854775807')], ['18446744073709551615', Number('18446744073709551615')], ['-9223372036854775809', Number('-9223372036854775809')],
      ['0x10000000000000000', '0x10000000000000000'], ['+18446744073709551615', Number('18446744073709551615')],
      // floats: yamlStyleFloat for a sign or digit, strconv.ParseFloat (underscores between digits) for a leading dot
      ['1e3', 1000], ['1E3', 1000], ['+.5', 0.5], ['1.', 1], ['.5_0', 0.5], ['._5', '._5'], ['.e5', '.e5'], ['1e400', '1e400'], ['.1e400', '.1e400'],
      ['+.inf', Infinity], ['-.Inf', -Infinity], ['.NaN', NaN], ['.iNf', '.iNf'], ['1.2.3', '1.2.3'], ['0x1p-2', '0x1p-2'],
      // base 60 is "purposefully unsupported"; timestamps stay strings in interface{}
      ['190:20:30', '190:20:30'], ['1:1', '1:1'], ['2015-01-01', '2015-01-01'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
      // only the first byte's hint lets a text resolve at all
      ['<<', '<<'], ['_1', '_1'], ['v1', 'v1'], ['-', '-'], ['+', '+'], ['.', '.'],
    ];
    for (const [input, value] of cases) {
      const r = resolvePlain(input);
      assert.deepStrictEqual(r.tag === 'str' ? input : r.value, value, input);
      if (input !== '-') assert.deepStrictEqual(valueOf(`a: ${input}\n`, 'a', 'kubeguard'), value, `a: ${input}`); // (`a: -` is no YAML)
    }
  });

  it('reads the same values with both readers, whatever the scalar (property)', () => {
    const scalar = fc.oneof(
      fc.stringMatching(/^[-+]?(0[xXoObB])?[0-9a-fA-F_]{1,12}$/),
      fc.stringMatching(/^[-+]?[0-9_]{0,6}(\.[0-9_]{0,4})?([eE][-+]?[0-9]{1,3})?$/),
      fc.constantFrom('y', 'n', 'on', 'off', 'yes', 'No', '~', 'null', '.inf', '-.inf', '.nan', 'true', 'False'),
    );
    fc.assert(
      fc.property(scalar, (s) => {
        if (s === '' || /^[-+]$/.test(s)) return;
        assertAsJsYaml(`a: ${s}\nb:\n- ${s}\n${JSON.stringify(s)}: 1\n`, s);
      }),
      { numRuns: 500 },
    );
  });
});
