import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlDocuments } from './yaml-documents.js';
import { parseManifestText } from './parse-text.js';

const POD = `# leading comment
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
  - name: init
    image: busybox
  containers:
    - name: app
      image: nginx
      securityContext:
        privileged: true
      args: [a, "b",
        c]
`;

describe('YAML documents with field lines', () => {
  it('locates every field on its own line', () => {
    const { documents, errors } = parseYamlDocuments(POD, 'pod.yaml');
    assert.deepEqual(errors, []);
    const [doc] = documents;
    assert.equal(doc.line, 2);
    assert.equal(doc.locate('/kind'), 3);
    assert.equal(doc.locate('/spec/initContainers/0/image'), 9);
    assert.equal(doc.locate('/spec/containers/0'), 11);
    assert.equal(doc.locate('/spec/containers/0/securityContext/privileged'), 14);
    assert.equal(doc.locate('/spec/containers/0/args/2'), 16);
  });

  it('points a missing field at its closest existing ancestor', () => {
    const [doc] = parseYamlDocuments(POD, 'pod.yaml').documents;
    assert.equal(doc.locate('/spec/containers/0/resources/limits'), 11);
    assert.equal(doc.locate('/spec/hostNetwork'), 6);
  });

  it('reads YAML 1.1 booleans as Kubernetes does (privileged: yes is true)', () => {
    const [doc] = parseYamlDocuments('a: yes\nb: "yes"\nc: off\n', 'x.yaml').documents;
    assert.deepEqual(doc.value, { a: true, b: 'yes', c: false });
  });

  it('keeps the good documents of a file with a broken one, and reports the broken one with its line', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: bad\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n`;
    const r = parseManifestText(text, 'multi.yaml');
    assert.deepEqual(r.resources.map((x) => x.ref.name), ['a', 'c']);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].file, 'multi.yaml');
    assert.ok(r.errors[0].line! >= 5 && r.errors[0].line! <= 8, `line ${r.errors[0].line}`);
    assert.equal(r.resources[1].source?.locate?.('/metadata/name'), 12);
  });

  it('refuses an alias bomb in bounded time without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill('*' + prev).join(',')}]`);
    }
    const r = parseYamlDocuments(levels.join('\n') + '\n', 'bomb.yaml');
    assert.equal(r.documents.length, 0);
    assert.match(r.errors[0].message, /alias bomb/);
  });
});

describe('manifest text', () => {
  it('expands kind: List and typed lists, with lines inside each item', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s1}\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: s2\n`;
    const r = parseManifestText(text, 'list.yaml');
    assert.deepEqual(r.resources.map((x) => x.ref.name), ['s1', 's2']);
    assert.equal(r.resources[1].source?.line, 7);
    assert.equal(r.resources[1].source?.locate?.('/metadata/name'), 10);
  });

  it('reads JSON Lists with lines found lazily', () => {
    const list = { apiVersion: 'v1', kind: 'PodList', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p0' }, spec: { containers: [{ name: 'c', image: 'x' }] } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'n' }, spec: { hostPID: true } }] };
    const text = JSON.stringify(list, null, 2);
    const r = parseManifestText(text, 'pods.json');
    assert.deepEqual(r.resources.map((x) => x.ref.name), ['p0', 'p1']);
    const lines = text.split('\n');
    const hostPidLine = lines.findIndex((l) => l.includes('"hostPID"')) + 1;
    assert.equal(r.resources[1].source?.locate?.('/spec/hostPID'), hostPidLine);
    const imageLine = lines.findIndex((l) => l.includes('"image"')) + 1;
    assert.equal(r.resources[0].source?.locate?.('/spec/containers/0/image'), imageLine);
  });

  it('locates JSON keys with escapes and any indentation, and pointers in any order', () => {
    const text = '{"apiVersion": "v1", "kind": "Pod",\n "metadata": {"name": "p",\n  "labels": {"a\\"b": "1",\n   "c/d": "2", "e~f": "3"}},\n "spec": {"containers": [\n  {"name": "a"},\n  {"name": "b",\n   "image": "x"}]}}';
    const [pod] = parseManifestText(text, 'pod.json').resources;
    const locate = pod.source?.locate;
    assert.ok(locate);
    assert.equal(locate('/metadata/labels/a"b'), 3);
    assert.equal(locate('/metadata/labels/c~1d'), 4);
    assert.equal(locate('/metadata/labels/e~0f'), 4);
    assert.equal(locate('/spec/containers/1/image'), 8);
    assert.equal(locate('/spec/containers/1'), 7);
    assert.equal(locate('/spec/containers/0/name'), 6);
    assert.equal(locate('/spec/containers/1/image'), 8);
    assert.equal(locate('/spec/containers/1/missing/deeper'), 7);
    assert.equal(locate('/metadata'), 2);
  });

  it('gives a document after an empty one its own first line', () => {
    const docs = parseYamlDocuments('a: 1\n---\n---\napiVersion: v1\nkind: Pod\n', 'x.yaml').documents;
    assert.equal(docs[2].line, 4);
    assert.equal(docs[2].locate('/kind'), 5);
  });

  it('follows aliases to the lines of their anchor', () => {
    const [doc] = parseYamlDocuments('a: &x\n  b: 1\n  c: 2\nd: *x\n', 'x.yaml').documents;
    assert.equal(doc.locate('/d'), 4);
    assert.equal(doc.locate('/d/c'), 3);
  });

  it('skips non-Kubernetes documents with a note, and refuses binary data with an error', () => {
    assert.equal(parseManifestText('replicaCount: 3\nimage: {tag: x}\n', 'values.yaml').skipped.length, 1);
    const bin = parseManifestText('\u0000\u0001ELF', 'a.yaml');
    assert.deepEqual(bin.resources, []);
    assert.equal(bin.errors[0].kind, 'parse');
    assert.match(bin.errors[0].message, /control characters \(U\+0000 at line 1: binary data\?\)/);
  });
});
