/** `kubeguard admission serve|install` as real processes: flags, output, SIGTERM and exit codes. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { admissionReview, asReply, httpsCall, newCertificates } from './test-support/harness.js';
import { privilegedPod } from './test-support/objects.js';
import { REPO_DIR } from './test-support/catalog.js';

const runner = fileURLToPath(new URL('./test-support/cli-runner.ts', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', runner, 'admission', ...args], { cwd: REPO_DIR, encoding: 'utf8' });

describe('kubeguard admission install', () => {
  test('prints multi-document YAML that kubectl can apply', () => {
    const r = run(['install', '--namespace', 'guard', '--replicas', '3', '--failure-policy', 'Ignore']);
    assert.equal(r.status, 0, r.stderr);
    const docs = yaml.loadAll(r.stdout) as { kind: string; spec?: { replicas?: number }; webhooks?: { failurePolicy: string }[] }[];
    assert.deepEqual(docs.map((d) => d.kind), ['Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'Deployment', 'PodDisruptionBudget', 'Service', 'NetworkPolicy', 'ValidatingWebhookConfiguration']);
    assert.equal(docs.find((d) => d.kind === 'Deployment')?.spec?.replicas, 3);
    assert.equal(docs.find((d) => d.kind === 'ValidatingWebhookConfiguration')?.webhooks?.[0].failurePolicy, 'Ignore');
  });

  test('bad flags are usage errors (exit 2)', () => {
    for (const args of [['--failure-policy', 'Sometimes'], ['--replicas', '0'], ['--namespace', 'Not_A_Label']]) {
      const r = run(['install', ...args]);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /kubeguard: /);
    }
  });
});

describe('kubeguard admission serve', () => {
  test('a missing or unusable certificate is a usage error (exit 2) naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeguard-serve-'));
    try {
      const missing = run(['serve', '--cert', join(dir, 'nope.crt'), '--key', join(dir, 'nope.key'), '--port', '0']);
      assert.equal(missing.status, 2, missing.stderr);
      assert.match(missing.stderr, /cannot read the serving certificate .*nope\.crt/);
      const certs = await newCertificates();
      const other = await newCertificates();
      writeFileSync(join(dir, 'tls.crt'), certs.server.cert);
      writeFileSync(join(dir, 'tls.key'), other.server.key);
      const mismatched = run(['serve', '--cert', join(dir, 'tls.crt'), '--key', join(dir, 'tls.key'), '--port', '0']);
      assert.equal(mismatched.status, 2, mismatched.stderr);
      assert.match(mismatched.stderr, /do not form a usable TLS pair/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('serves, logs JSON, and exits 0 after a graceful SIGTERM shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeguard-serve-'));
    try {
      const certs = await newCertificates();
      writeFileSync(join(dir, 'tls.crt'), certs.server.cert);
      writeFileSync(join(dir, 'tls.key'), certs.server.key);
      writeFileSync(join(dir, 'kubeguard.yaml'), 'preset: recommended\nadmission:\n  budgetMs: 2000\n');
      const child = spawn(process.execPath, ['--import', 'tsx', runner, 'admission', 'serve', '--cert', join(dir, 'tls.crt'), '--key', join(dir, 'tls.key'), '--port', '0', '--host', '127.0.0.1', '--config', join(dir, 'kubeguard.yaml')], { cwd: REPO_DIR });
      const lines: Record<string, unknown>[] = [];
      let buffered = '';
      const listening = new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          let nl;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
            buffered = buffered.slice(nl + 1);
            lines.push(line);
            if (line.msg === 'admission webhook listening') resolve(line.port as number);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      });
      const port = await listening;
      const reply = asReply(await httpsCall(port, certs.ca.cert, 'POST', '/validate', JSON.stringify(admissionReview(privilegedPod()))));
      assert.equal(reply.response.allowed, false);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      const msgs = lines.map((l) => l.msg);
      for (const m of ['admission policy loaded', 'admission webhook listening', 'denied', 'signal received', 'shut down']) assert.ok(msgs.includes(m), `${m} in ${msgs.join(' | ')}`);
      assert.ok(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
