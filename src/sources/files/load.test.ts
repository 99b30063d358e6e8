import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from './load.js';

let dir: string;
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {a: b}\n`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-load-'));
  mkdirSync(join(dir, 'app', 'nested'), { recursive: true });
  writeFileSync(join(dir, 'app', 'a.yaml'), cm('a'));
  writeFileSync(join(dir, 'app', 'nested', 'b.yml'), cm('b'));
  writeFileSync(join(dir, 'app', 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indentation\ndata: {}\n');
  writeFileSync(join(dir, 'app', 'README.md'), '# not scanned');
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM alpine:3.19\nUSER 1000\n');
  mkdirSync(join(dir, 'app', 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(dir, 'app', 'node_modules', 'x', 'c.yaml'), cm('ignored'));
  // a real kustomization: base + namePrefix
  mkdirSync(join(dir, 'kust'));
  writeFileSync(join(dir, 'kust', 'kustomization.yaml'), 'namePrefix: prod-\nnamespace: prod\nresources:\n- cm.yaml\n');
  writeFileSync(join(dir, 'kust', 'cm.yaml'), cm('settings'));
  mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'chart', 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('file loader', () => {
  it('walks directories recursively, skips node_modules and non-manifest files, keeps going after a broken file', () => {
    const r = loadPaths([join(dir, 'app')]);
    assert.deepEqual(r.resources.map((x) => `${x.ref.kind}/${x.ref.name}`).sort(), ['ConfigMap/a', 'ConfigMap/b', 'Dockerfile/Dockerfile']);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].file, join(dir, 'app', 'broken.yaml'));
    assert.equal(r.errors[0].line, 5);
  });

  it('reads stdin for -', () => {
    const r = loadPaths(['-'], { readStdin: () => cm('from-stdin') });
    assert.equal(r.resources[0].ref.name, 'from-stdin');
    assert.equal(r.resources[0].source?.file, '<stdin>');
  });

  it('renders a kustomization with the real kubectl kustomize', () => {
    const r = loadPaths([join(dir, 'kust')]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.resources.length, 1);
    assert.equal(r.resources[0].ref.name, 'prod-settings');
    assert.equal(r.resources[0].ref.namespace, 'prod');
    assert.match(r.resources[0].source!.file, /rendered by kustomize/);
  });

  it('says clearly when helm is missing, and never parses raw templates', () => {
    const saved = process.env.KUBEGUARD_HELM;
    process.env.KUBEGUARD_HELM = 'helm-not-installed-here';
    try {
      const r = loadPaths([join(dir, 'chart')]);
      assert.equal(r.resources.length, 0);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0].message, /needs `helm-not-installed-here` on PATH.*pipe rendered output on stdin/);
    } finally {
      if (saved === undefined) delete process.env.KUBEGUARD_HELM;
      else process.env.KUBEGUARD_HELM = saved;
    }
  });

  it('records unreadable paths as errors', () => {
    const r = loadPaths([join(dir, 'missing.yaml'), join(dir, 'app', 'a.yaml')]);
    assert.equal(r.resources.length, 1);
    assert.match(r.errors[0].message, /cannot read/);
  });
});
