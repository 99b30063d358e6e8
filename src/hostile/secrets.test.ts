/**
 * Issue 14, cases 6, 7 and 8: no secret value in any error or snapshot. Each plants a recognisable value and looks
 * for it in everything a user or a log collector would see.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestWebhook } from '../admission/test-support/harness.js';
import { readSnapshot, sanitizeObject } from '../sources/cluster/index.js';
import { parseConfig } from '../sources/config/parse-config.js';
import { writeOciLayout, makeLayer } from '../sources/images/test-support/build-image.js';
import { digestOf } from '../sources/images/digest.js';
import { runInProcess, scanInProcess } from './test-support/in-process.js';

const SECRET = 'KGSECRETVALUE1234';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-hostile-secrets-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile secrets', () => {
  it('case 6: a kustomization kustomize rejects for a secretGenerator literal: the error is in all six formats, the value in none', async () => {
    const k = join(dir, 'kust');
    mkdirSync(k);
    writeFileSync(join(k, 'kustomization.yaml'), `secretGenerator:\n- name: db\n  literals:\n  - password:${SECRET}\n`);
    for (const format of ['table', 'json', 'sarif', 'junit', 'markdown', 'html']) {
      const r = await scanInProcess([k], format);
      assert.equal(r.code, 3, format);
      assert.match(r.output, /rendering kustomization .* failed \(exit 1\)/, format);
      assert.ok(!r.output.includes(SECRET), `${format} holds the secret`);
    }
  });

  it('case 7: a webhook body with a secret in invalid JSON: neither the 400 reply nor the log line holds it', async () => {
    const hook = await startTestWebhook();
    try {
      const body = `{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"password": ${SECRET}}}`;
      const reply = await hook.post('/validate', body);
      assert.equal(reply.status, 400);
      assert.match(reply.text, /invalid JSON at line 1, column \d+/);
      assert.ok(!reply.text.includes('KGSEC'), reply.text);
      assert.ok(hook.logs.length > 0 && !JSON.stringify(hook.logs).includes('KGSEC'), JSON.stringify(hook.logs));
    } finally {
      await hook.close();
    }
  });

  it('case 7: image scan of an image whose config is broken JSON: the error names the position, not the Env value', async () => {
    const layer = await makeLayer([{ path: 'etc/os-release', content: 'ID=alpine\n' }]);
    const layout = join(dir, 'badconfig');
    writeOciLayout(layout, [{ layers: [layer] }]);
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    const manifestFile = join(layout, 'blobs', 'sha256', index.manifests[0].digest.slice(7));
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const config = Buffer.from(`{"config": {"Env": ["DB_PASSWORD=${SECRET}"}`); // broken JSON
    writeFileSync(join(layout, 'blobs', 'sha256', digestOf(config).slice(7)), config);
    manifest.config = { ...manifest.config, digest: digestOf(config), size: config.length };
    const body = Buffer.from(JSON.stringify(manifest));
    writeFileSync(join(layout, 'blobs', 'sha256', digestOf(body).slice(7)), body);
    index.manifests[0] = { ...index.manifests[0], digest: digestOf(body), size: body.length };
    writeFileSync(join(layout, 'index.json'), JSON.stringify(index));
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const r = await runInProcess(['image', 'scan', layout, '--no-vulns', '-q', '-o', 'json']);
      assert.equal(r.code, 3);
    } finally {
      process.stderr.write = write;
    }
    assert.match(errors.join(''), /invalid JSON at line 1, column \d+/);
    assert.ok(!errors.join('').includes('KGSEC'), errors.join(''));
  });

  it('case 7: a config file with a YAML error is reported by kind and position, without its lines', () => {
    assert.throws(
      () => parseConfig(`admission:\n  images:\n    signature:\n      keys: ["${SECRET}"\n  bad: [\n`, 'kubeguard.yaml'),
      (e: Error) => /cannot parse config kubeguard.yaml: .* at line \d+, column \d+$/.test(e.message) && !e.message.includes(SECRET),
    );
  });

  it("case 8: a Secret's other annotations are redacted like its data; last-applied copies holding Secret data are sanitized", async () => {
    const hmac = Buffer.alloc(32, 7);
    const secret = sanitizeObject(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', annotations: { 'x/url': `https://user:${SECRET}@db.example.com`, 'kubernetes.io/service-account.name': 'builder' } },
        data: { password: Buffer.from(SECRET).toString('base64') },
      },
      hmac,
    );
    assert.ok(!JSON.stringify(secret).includes(SECRET));
    assert.equal(secret.metadata?.annotations?.['kubernetes.io/service-account.name'], 'builder');
    assert.match(secret.metadata?.annotations?.['x/url'] ?? '', /^hmac-sha256:[0-9a-f]{64}$/);
    // a List applied with kubectl keeps its Secret in the last-applied copy; a kubectl dump carries it as is
    const applied = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: SECRET } }] };
    const dump = join(dir, 'dump.json');
    writeFileSync(
      dump,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) } }, data: { a: 'b' } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"stringData": {"password": "${SECRET}"` } } },
        ],
      }),
    );
    const snap = await readSnapshot(dump);
    assert.equal(snap.resources.length, 2);
    assert.ok(!JSON.stringify(snap.resources.map((r) => r.object)).includes(SECRET), JSON.stringify(snap.resources.map((r) => r.object)));
    const kept = JSON.parse(snap.resources[0].object.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration']);
    assert.equal(kept.items[0].metadata.name, 's', 'the copy is kept, sanitized');
  });
});
