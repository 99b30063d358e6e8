import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type yaml from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';
import { assertAsJsYaml } from './test-support/yaml-agreement.js';
import { parseYamlDocuments } from './yaml-documents.js';
import { blockReadable, mayResolve, readBlockDocuments } from './yaml-block-reader.js';
import { NodeTree } from './node-tree.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Which documents of `text` the block reader reads itself (true) or leaves to js-yaml (false). */
function readByBlockReader(text: string): boolean[] {
  if (!blockReadable(text)) return [false];
  return readBlockDocuments(text, KUBERNETES_YAML_SCHEMA, new NodeTree(16, { text })).map((d) => !d.declined);
}

describe('YAML block reader', () => {
  it('reads the manifests people write (kubectl, Helm, hand-written styles) itself, exactly as js-yaml does', () => {
    const text = [
      '# a Deployment as kubectl writes it',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: "web"',
      "  namespace: 'prod'",
      '  labels: {}',
      '  annotations:',
      '    "quoted key": x',
      "    'it''s': fine",
      'spec:',
      '  replicas: 3 # trailing comment',
      '  template:',
      '    spec:',
      '      containers:',
      '      - name: app',
      '        image: registry.example.com/app:1.2@sha256:abc',
      '        args: []',
      '        ports:',
      '          - containerPort: 8080',
      '            protocol: TCP',
      '',
      '        securityContext:',
      '          privileged: yes',
      '          runAsUser: 0x10',
      '          readOnlyRootFilesystem: ~',
      '      -   name: sidecar',
      '          env:',
      '          - name: A',
      '            value: "1"',
      '          - name: B',
      '            value:',
      '--- # next',
      '- a',
      '- 80: http',
      '  true: 1',
      '  null: 2',
      '- {"k\\x41": 1, 1.0: 2, \'it\'\'s\': 3, "plain": 4}',
      '',
    ].join('\n');
    assert.deepEqual(readByBlockReader(text), [true, true]);
    assertAsJsYaml(text, 'manifest');
    const [deployment] = parseYamlDocuments(text, 'x.yaml').documents;
    assert.equal(deployment.locate('/spec/template/spec/containers/0/securityContext/privileged'), 24);
    assert.equal(deployment.locate('/spec/template/spec/containers/1/env/1'), 31);
  });

  it('leaves every other construct to js-yaml, document by document, with the same values, lines and errors', () => {
    const declined: Record<string, string> = {
      anchor: 'a: &x\n  b: 1\nc: *x\n',
      tag: 'a: !!str 1\n',
      'multi-line scalar in flow': 'a: [b\n  c]\n',
      'multi-line quoted scalar in flow': 'a: ["b\n  c"]\n',
      'flow key and its colon on two lines': 'a: {b\n  : 1}\n',
      'separator in flow': 'a: [b,\n---\nc]\n',
      'unclosed flow': 'a: [b,\n',
      'flow root': '{a: 1}\n',
      'pair in a flow sequence': 'a: [b: 1]\n',
      'quoted pair in a flow sequence': 'a: ["b":1]\n',
      'collection as a flow key': 'a: {[b]: 1}\n',
      'explicit flow key': 'a: {? b: 1}\n',
      'anchor in flow': 'a: [&x 1, *x]\n',
      'tag in flow': 'a: {b: !!str 1}\n',
      'unknown escape in flow': 'a: ["\\q"]\n',
      'empty flow entry': 'a: [1, , 2]\n',
      'missing comma': 'a: ["1" 2]\n',
      'colon after a flow value': 'a: {b: c: d}\n',
      'content after flow': 'a: [1] 2\n',
      'duplicate flow key': 'a: {b: 1, b: 2}\n',
      'merge in flow': 'a: {<<: {x: 1}}\n',
      'dash alone in flow': 'a: [-]\n',
      'block scalar key': '? |\n  k\n: v\n',
      'block scalar on its own line': 'a:\n  |\n  x\n',
      'block scalar header with content': 'a: |x\n  y\n',
      'repeated chomping': 'a: |-+\n  y\n',
      'indentation indicator 0': 'a: |0\n  y\n',
      'multi-line plain': 'a: one\n  two\n',
      'multi-line quoted': 'a: "one\n  two"\n',
      'unknown escape': 'a: "\\q"\n',
      'short hex escape': 'a: "\\x4g"\n',
      'escape of 32 bits': 'a: "\\U0001F600"\n',
      'escaped line break': 'a: "one\\\n  two"\n',
      'explicit key': '? a\n: 1\n',
      merge: 'base: &b {x: 1}\nc:\n  <<: *b\n',
      'merge key without anchor': 'c:\n  <<: {x: 1}\n',
      duplicate: 'a: 1\na: 2\n',
      proto: '__proto__: 1\n',
      'empty entry': 'a:\n-\n- b\n',
      'scalar entry on the next line': 'a:\n-\n  b\n',
      'nested sequence': '- - a\n',
      'root scalar': 'just a string\n',
      'bad indentation': 'a: 1\n  b: 2\n',
      'colon in value': 'a: b: c\n',
      'document end': 'a: 1\n...\n',
      'content after separator': '--- a: 1\n',
      directive: '%YAML 1.2\n---\na: 1\n',
      tab: 'a:\tb\n',
      crlf: 'a: 1\r\nb: 2\r\n',
      bom: '\ufeffa: 1\n',
      'non-printable': 'a: "\u0007"\n',
      'deep nesting': `${Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`,
      'nesting js-yaml refuses': `${Array.from({ length: 120 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`,
    };
    for (const [what, doc] of Object.entries(declined)) {
      const text = what === 'bom' ? doc : `first: 1\n---\n${doc}---\nlast: 2\n`; // (only a leading BOM is one)
      assert.ok(!readByBlockReader(text).every(Boolean), `${what}: read by the block reader`);
      assertAsJsYaml(text, what);
    }
  });

  it('reads flow collections itself, exactly as js-yaml does (YAML 1.2 flow rules as js-yaml applies them)', () => {
    const text = [
      'metadata:',
      '  labels: {app: web, tier: frontend}',
      '  annotations: {"quoted key": x, \'it\'\'s\': "y", a: }',
      'spec:',
      '  ports: [{containerPort: 8080, name: http}, {containerPort: 0x1F}]',
      '  args: [--flag, -v, "a, b", ?x, :y, a:b, a#b, ~, yes, .inf, 1_000]',
      '  nested: {a: [1, [2, 3], {}], b: {c: []}}',
      '  trailing: [x, y,]',
      '  spaced: { a : b , c: [ d ] , }',
      '  empty: [ ]',
      '  tight: {"a":1, b:[c], d:{e: f}, g:, h: }',
      '  keyOnly: {k, l: 1}',
      '  oneScalar: {m:n}',
      '  commented: {a: 1} # a comment',
      '  containers:',
      '    -',
      '      name: app',
      '      securityContext: {privileged: true}',
      '    - {name: sidecar, image: x}',
      '  wrapped: [a, # first',
      '    b,',
      '',
      '    c]',
      '  prettier:',
      '    [',
      '      "--flag",',
      '      --other',
      '    ]',
      '  map: {a:',
      '    1, b: [x,',
      '  z], c: d',
      '  }',
      '  escapes: ["\\t\\"\\\\\\x41\\u00e9\\/\\ \\_\\N\\e\\0", "\\L\\P"]',
      '',
    ].join('\n');
    assert.deepEqual(readByBlockReader(text), [true]);
    assertAsJsYaml(text, 'flow');
    const [doc] = parseYamlDocuments(text, 'x.yaml').documents;
    const spec = (doc.value as { spec: Record<string, unknown> }).spec;
    assert.deepEqual(spec.args, ['--flag', '-v', 'a, b', '?x', ':y', 'a:b', 'a#b', null, true, Infinity, 1000]);
    assert.deepEqual(spec.tight, { a: 1, b: ['c'], d: { e: 'f' }, g: null, h: null });
    assert.deepEqual(spec.keyOnly, { k: null, l: 1 });
    assert.deepEqual(spec.escapes, ['\t"\\Aé/ \xa0\x85\x1b\0', '\u2028\u2029']);
    assert.deepEqual(spec.oneScalar, { 'm:n': null });
    assert.equal(doc.locate('/spec/ports/1/containerPort'), 5);
    assert.equal(doc.locate('/spec/containers/0/securityContext/privileged'), 18);
    assert.equal(doc.locate('/spec/containers/1/image'), 19);
    assert.deepEqual(spec.wrapped, ['a', 'b', 'c']);
    assert.deepEqual(spec.prettier, ['--flag', '--other']);
    assert.deepEqual(spec.map, { a: 1, b: ['x', 'z'], c: 'd' });
    assert.equal(doc.locate('/spec/wrapped/2'), 23);
    // js-yaml's index holds a list below its key twice (it first tries a block mapping there): entry 0 is the
    // inner list's line, entry 1 is not found and gets the key's line. The block reader's index does the same.
    assert.equal(doc.locate('/spec/prettier/0'), 25);
    assert.equal(doc.locate('/spec/prettier/1'), 24);
    assert.equal(doc.locate('/spec/map/b/1'), 31);
  });

  it('reads literal and folded block scalars itself, exactly as js-yaml does', () => {
    const text = [
      'data:',
      '  script: |',
      '    #!/bin/sh',
      '      indented',
      '',
      '    echo done',
      '  folded: >-',
      '    one',
      '    two',
      '',
      '    three',
      '      more',
      '    four',
      '  keep: |+',
      '    kept',
      '',
      '  strip: |- # a comment',
      '    stripped',
      '  leading: |2',
      '     space',
      '  empty: |',
      '  last: 1',
      '---',
      '- >',
      '  entry',
      '- |',
      '  x',
      '',
    ].join('\n');
    assert.deepEqual(readByBlockReader(text), [true, true]);
    assertAsJsYaml(text, 'block scalars');
    const [doc, seq] = parseYamlDocuments(text, 'x.yaml').documents;
    assert.deepEqual(doc.value, {
      data: {
        script: '#!/bin/sh\n  indented\n\necho done\n',
        folded: 'one two\nthree\n  more\nfour',
        keep: 'kept\n\n',
        strip: 'stripped',
        leading: ' space\n',
        empty: '',
        last: 1,
      },
    });
    assert.deepEqual(seq.value, ['entry\n', 'x\n']);
    assert.equal(doc.locate('/data/keep'), 14);
    assert.equal(doc.locate('/data/last'), 22);
    assert.equal(seq.locate('/1'), 26);
  });

  it('agrees with js-yaml where separators are not what they look like (found by review)', () => {
    const privilegedPod = '   apiVersion: v1\n   kind: Pod\n   metadata:\n     name: p\n   spec:\n     containers:\n     - name: c\n       image: nginx\n       securityContext:\n         privileged: true\n';
    const texts = [
      // js-yaml takes `---` at the start of a text for a separator even without a space after it
      '---x: 1\n',
      '# c\n---x: 1\n',
      '\n---x: 1\n',
      '---- a: 1\n',
      '---#c: 1\n',
      '---"privileged": true\n',
      `---x:\n${privilegedPod}`,
      // a root block scalar at indentation 0 holds `---` lines
      '|1\n---',
      '--- |1\nfoo\n---\nb: 2\n',
      // a broken document does not take its neighbours with it (`---` then a no-break space is no separator)
      'a: 1\n---\u00a0\nb: 2\n---\nc: 3\n',
      't:\n--- "\n---\ufeff',
      '\u2028\n---\n--- :',
      // an explicit key without a value, before a separator, has its line
      'a: 1\n? b\n---\nc: 1\n',
      'a:\n  c: 1\n? b\n--- # next\n',
    ];
    for (const text of texts) assertAsJsYaml(text, JSON.stringify(text));
    const [pod] = parseYamlDocuments(`---x:\n${privilegedPod}`, 'x.yaml').documents;
    assert.equal((pod.value as { kind: string }).kind, 'Pod');
  });

  it('finds the same documents in blank texts, comments and bare separators', () => {
    for (const text of ['', '\n', '  ', '\n\n# x', '# only\n', '---', '--- # c', '---\n---\n', '# c\n---\na: 1\n', 'a: 1\n---', 'a: 1\n---\n', 'a: 1']) {
      assertAsJsYaml(text, JSON.stringify(text));
    }
  });

  it('resolves a plain scalar through the schema only when its first character allows a non-string', () => {
    const types = (KUBERNETES_YAML_SCHEMA as unknown as { compiledImplicit: yaml.Type[] }).compiledImplicit;
    const resolvesToNonString = (s: string) => types.some((t) => t.resolve(s));
    for (let c = 32; c < 0x250; c++) {
      const first = String.fromCharCode(c);
      if (mayResolve(first)) continue;
      for (const rest of ['', 'ull', 'rue', 'es', 'n', 'ff', '0', '1.5', 'x1F', 'inf', 'nan', '<', 'o17', 'e3']) {
        assert.equal(resolvesToNonString(first + rest), false, JSON.stringify(first + rest));
      }
    }
    fc.assert(fc.property(fc.string({ minLength: 1 }), (s) => mayResolve(s) || !resolvesToNonString(s)), { numRuns: 2000 });
  });

  it('agrees with js-yaml on every YAML file of the examples and the vendored upstream test data', () => {
    let read = 0;
    let total = 0;
    for (const file of [...yamlFiles(EXAMPLES), ...yamlFiles(TESTDATA)]) {
      const text = readFileSync(file, 'utf8');
      assertAsJsYaml(text, file);
      for (const r of readByBlockReader(text)) {
        total++;
        if (r) read++;
      }
    }
    assert.ok(total > 5000 && read > total * 0.8, `the block reader read ${read} of ${total} documents`);
  });
});
