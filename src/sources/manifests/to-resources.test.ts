import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from './parse-text.js';

/**
 * ObjectMeta's types as kubectl decodes them (k8s.io/apimachinery/pkg/apis/meta/v1 ObjectMeta: name, namespace,
 * generateName strings; labels, annotations map[string]string): a document with another type is refused by
 * kubectl ("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string"), so it is
 * an error at its line, never an object judged under another identity.
 */
describe('metadata kubectl cannot decode', () => {
  const pod = (meta: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n${meta}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n`;

  const refused: [string, string, number][] = [
    ['a number as name', '  name: 7', 4],
    ['a number as namespace', '  name: p\n  namespace: 5', 5],
    ['a boolean as generateName', '  generateName: yes', 4],
    ['a number as a label value', '  name: p\n  labels:\n    version: 1.0', 6],
    ['a list as annotations', '  name: p\n  annotations:\n  - a', 5],
  ];
  for (const [what, meta, line] of refused) {
    it(`refuses ${what}, at its line`, () => {
      const r = parseManifestText(pod(meta), 'pod.yaml');
      assert.equal(r.resources.length, 0);
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].kind, 'parse');
      assert.equal(r.errors[0].line, line);
      assert.match(r.errors[0].message, /^\/metadata\/\S+: wrong type for ObjectMeta \(strings expected\); kubectl refuses this document$/);
    });
  }

  it('refuses metadata that is not a mapping', () => {
    const r = parseManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata: cm\n', 'cm.yaml');
    assert.deepEqual(r.errors.map((e) => e.message), ['/metadata: wrong type for ObjectMeta (strings expected); kubectl refuses this document']);
  });

  it('names the item of a List and keeps the other items', () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad', labels: { n: 1 } } }] }, null, 2);
    const r = parseManifestText(list, 'list.json');
    assert.deepEqual(r.resources.map((x) => x.ref.name), ['ok']);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /^\/metadata\/labels\/n: /);
    assert.equal(r.errors[0].line, list.split('\n').findIndex((l) => l.includes('"n": 1')) + 1);
  });

  it('reads strings, quoted numbers and null as kubectl does', () => {
    const r = parseManifestText(pod('  name: p\n  namespace: null\n  labels:\n    version: "1.0"\n    empty: null'), 'pod.yaml');
    assert.equal(r.errors.length, 0);
    assert.equal(r.resources.length, 1);
  });
});
