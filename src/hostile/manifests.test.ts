/** Issue 14, cases 2, 3, 9, 10, 11 and the minor `privileged: "true"`: manifests as kubectl reads them, bounded. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeguard } from '../cli/test-support/run-cli.js';
import { scanInProcess } from './test-support/in-process.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-hostile-manifests-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const POD = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: app\nspec:\n${spec}`;
const PRIVILEGED = POD('  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n');

interface JsonReport {
  findings: { ruleId: string; location?: { file: string; line?: number } }[];
  errors: { kind: string; file?: string; line?: number; message: string }[];
  skipped: { file: string; reason: string }[];
}

async function scanJson(...args: string[]): Promise<{ code: number; report: JsonReport }> {
  const r = await scanInProcess(args);
  return { code: r.code, report: JSON.parse(r.output) as JsonReport };
}

describe('hostile manifests', () => {
  it('case 2: y / Y / 0_0 mean what kubectl (go-yaml v2) reads: true and 0 — scan fails and pss denies', async () => {
    const file = write('yaml11.yaml', POD('  hostNetwork: Y\n  hostPID: y\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: y\n      runAsUser: 0_0\n'));
    const { code, report } = await scanJson('--preset', 'pss-restricted', file);
    assert.equal(code, 1);
    const rules = new Set(report.findings.map((f) => f.ruleId));
    for (const id of ['pss-privileged', 'pss-host-namespaces', 'pss-run-as-user']) assert.ok(rules.has(id), `${id} in ${[...rules].join(', ')}`);
    const pss = kubeguard(['pss', '--level', 'baseline', file]);
    assert.equal(pss.code, 1, pss.stdout);
    assert.doesNotMatch(pss.stdout, /\bALLOWED\b/);
  });

  it('minor: privileged: "true" (a string the API server rejects) is a finding, not silence', async () => {
    const file = write('quoted.yaml', POD('  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext:\n      privileged: "true"\n'));
    const { code, report } = await scanJson(file);
    assert.equal(code, 1);
    const f = report.findings.find((x) => x.ruleId === 'invalid-field-type');
    assert.ok(f, 'invalid-field-type reported');
    assert.equal(f.location?.line, 11);
  });

  it('case 3: a privileged Pod before `---` and a NUL byte is scanned; the NUL document is an error (exit 3)', async () => {
    const file = write('nul.yaml', `${PRIVILEGED}---\n\u0000\n`);
    const { code, report } = await scanJson(file);
    assert.equal(code, 3);
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged'));
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0].message, /U\+0000 at line 13/);
  });

  it('case 3: the same Pod saved as UTF-16LE (and BE, and UTF-32) with a byte-order mark is read as kubectl reads it', async () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PRIVILEGED, 'utf16le')]);
    const utf16be = Buffer.from(utf16le).swap16();
    const utf32le = Buffer.alloc(4 + PRIVILEGED.length * 4);
    utf32le.writeUInt32LE(0xfeff, 0);
    for (let i = 0; i < PRIVILEGED.length; i++) utf32le.writeUInt32LE(PRIVILEGED.charCodeAt(i), 4 + i * 4);
    const files = [write('le.yaml', utf16le), write('be.yaml', utf16be), write('u32.yaml', utf32le)];
    const { code, report } = await scanJson(...files);
    assert.equal(code, 1);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => [f.location?.file, f.location?.line]), files.map((f) => [f, 11]));
  });

  it('case 3: random bytes named .yaml make the scan incomplete (exit 3), and the refusal is in every format', async () => {
    const random = write('x.yaml', randomBytes(1 << 20));
    const values = write('values.yaml', 'replicaCount: 3\n'); // read, but not a Kubernetes object: skipped
    for (const format of ['table', 'json', 'sarif', 'junit', 'markdown', 'html']) {
      const r = await scanInProcess([random, values], format);
      assert.equal(r.code, 3, format);
      assert.ok(r.output.includes(random), `${format} names the refused file`);
      assert.ok(r.output.includes(values), `${format} names the skipped file`);
      assert.match(r.output, /control characters/, format);
      assert.match(r.output, /not a Kubernetes object/, format);
    }
  });

  it('case 9: 130,000 tiny documents in one file and a privileged Pod in another: no stack overflow, the Pod is found', async () => {
    const many = write('many.yaml', 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(130_000));
    const pod = write('pod.yaml', PRIVILEGED);
    const r = await scanInProcess([many, pod], 'table');
    assert.equal(r.code, 1);
    assert.match(r.output, /pss-privileged/);
    assert.match(r.output, /130001 resources scanned/);
  });

  it('case 10: a kind: List nested 2,000 deep: no stack overflow, the Pod at the bottom is found', async () => {
    let doc: unknown = JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'deep', namespace: 'app' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] } }));
    for (let i = 0; i < 2000; i++) doc = { apiVersion: 'v1', kind: 'List', items: [doc] };
    const file = write('deep.json', JSON.stringify(doc));
    const { code, report } = await scanJson(file);
    assert.equal(code, 1);
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged'));
  });

  it('case 11: 10,000 aliases of a 100 KB string are refused as an alias bomb by output size, in every format', async () => {
    const big = 'x'.repeat(100_000);
    const aliases = Array.from({ length: 10_000 }, (_, i) => `  k${i}: *s`).join('\n');
    const file = write('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  annotations:\n    a: &s ${big}\ndata:\n${aliases}\n`);
    for (const format of ['table', 'json', 'sarif', 'junit', 'markdown', 'html']) {
      const r = await scanInProcess([file], format);
      assert.equal(r.code, 3, format);
      assert.match(r.output, /alias bomb/);
      assert.ok(r.output.length < 100_000, `${format} output is ${r.output.length} characters`);
    }
  });
});
