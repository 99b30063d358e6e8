import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageHygiene } from './findings.js';
import { scanEnv, scanText } from './secrets.js';
import { LayeredFs } from '../fs/layered-fs.js';
import type { ImageConfig } from '../model.js';
import type { LayerFile } from './secrets.js';

const now = new Date('2026-06-01T00:00:00Z');

function fsWith(entries: { name: string; mode?: number; layer?: number; whiteout?: boolean }[]): LayeredFs {
  const fs = new LayeredFs();
  for (const e of entries) {
    fs.beginLayer(e.layer ?? 0);
    fs.addEntry({ name: e.name, type: 'file', mode: e.mode ?? 0o755, size: 10 });
  }
  return fs;
}

const rules = (r: ReturnType<typeof imageHygiene>): string[] => r.findings.map((f) => f.ruleId);

test('runs as root: empty User, "0", "root:root"; not for a numeric non-root user; unknown without config', () => {
  const fs = fsWith([]);
  for (const User of [undefined, '', '0', 'root', 'root:root', '0:1000']) {
    const r = imageHygiene({ image: 'i', config: { config: { User } }, fs, layerFiles: [], now });
    assert.ok(rules(r).includes('image-runs-as-root'), `User=${User}`);
    assert.equal(r.findings.find((f) => f.ruleId === 'image-runs-as-root')!.path, '/config/User');
  }
  for (const User of ['1000', '65532:65532', 'app']) {
    assert.ok(!rules(imageHygiene({ image: 'i', config: { config: { User } }, fs, layerFiles: [], now })).includes('image-runs-as-root'));
  }
  const noCfg = imageHygiene({ image: 'dir', fs, layerFiles: [], now });
  assert.ok(noCfg.notEvaluated.some((n) => n.ruleId === 'image-runs-as-root'));
});

test('build tools, compilers and package managers are reported with their path; allowTools silences one', () => {
  const fs = fsWith([{ name: 'usr/bin/gcc' }, { name: 'usr/bin/make' }, { name: 'usr/bin/apt-get' }, { name: 'usr/local/bin/npm' }, { name: 'usr/bin/python3' }]);
  const r = imageHygiene({ image: 'i', config: { config: { User: '1' } }, fs, layerFiles: [], now, options: { allowTools: ['npm'] } });
  const tools = r.findings.filter((f) => f.ruleId === 'image-build-tools').map((f) => f.evidence).sort();
  assert.deepEqual(tools, ['/usr/bin/apt-get', '/usr/bin/gcc', '/usr/bin/make']);
  assert.equal(r.findings.find((f) => f.evidence === '/usr/bin/gcc')!.path, '/rootfs/usr/bin/gcc');
});

test('npm is not reported when the image command runs it', () => {
  const fs = fsWith([{ name: 'usr/local/bin/npm' }, { name: 'usr/bin/gcc' }]);
  const r = imageHygiene({ image: 'i', config: { config: { User: '1', Cmd: ['npm', 'start'] } }, fs, layerFiles: [], now });
  assert.deepEqual(r.findings.filter((f) => f.ruleId === 'image-build-tools').map((f) => f.evidence), ['/usr/bin/gcc']);
  const r2 = imageHygiene({ image: 'i', config: { config: { User: '1', Cmd: ['node', 'server.js'] } }, fs, layerFiles: [], now });
  assert.ok(r2.findings.some((f) => f.evidence === '/usr/local/bin/npm'));
});

test('setuid and setgid files are reported, ordinary executables are not', () => {
  const fs = fsWith([{ name: 'usr/bin/passwd', mode: 0o4755 }, { name: 'usr/bin/wall', mode: 0o2755 }, { name: 'usr/bin/ls', mode: 0o755 }]);
  const r = imageHygiene({ image: 'i', config: { config: { User: '1' } }, fs, layerFiles: [], now });
  const su = r.findings.filter((f) => f.ruleId === 'image-setuid-binaries');
  assert.deepEqual(su.map((f) => f.evidence).sort(), ['/usr/bin/passwd', '/usr/bin/wall']);
  assert.match(su.find((f) => f.evidence === '/usr/bin/passwd')!.message, /setuid .*4755/);
});

test('secrets in layers are found, also when a later layer deleted them; values never appear', () => {
  const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';
  const aws = '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
  const files: LayerFile[] = [
    { path: '/root/.ssh/id_rsa', layer: 1, content: Buffer.from(key) },
    { path: '/root/.aws/credentials', layer: 2, content: Buffer.from(aws) },
  ];
  const fs = fsWith([{ name: 'root/.aws/credentials', layer: 2 }]); // id_rsa was whited out
  const config: ImageConfig = { config: { User: '1', Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2hunter2', 'GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'KEY_FILE=/run/secrets/key'] } };
  const r = imageHygiene({ image: 'i', config, fs, layerFiles: files, now });
  const secrets = r.findings.filter((f) => f.ruleId === 'image-secrets');
  const text = JSON.stringify(secrets);
  for (const v of ['hunter2', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'ghp_abcdef', 'b3BlbnNza']) assert.ok(!text.includes(v), `leaked ${v}`);
  assert.ok(secrets.some((f) => /private key in \/root\/\.ssh\/id_rsa:1 \(layer 1, removed by a later layer/.test(f.message)));
  assert.ok(secrets.some((f) => /AWS access key id in \/root\/\.aws\/credentials:2/.test(f.message)));
  assert.ok(secrets.some((f) => f.path === '/config/Env/1' && f.evidence === 'DB_PASSWORD'));
  assert.ok(secrets.some((f) => f.path === '/config/Env/2' && /GitHub token/.test(f.message)));
  assert.ok(!secrets.some((f) => f.path === '/config/Env/3'));
  assert.ok(secrets.every((f) => f.severity === 'critical'));
});

test('exposed ports: every port, remote-admin ports at higher severity', () => {
  const r = imageHygiene({ image: 'i', config: { config: { User: '1', ExposedPorts: { '8080/tcp': {}, '22/tcp': {} } } }, fs: fsWith([]), layerFiles: [], now });
  const ports = r.findings.filter((f) => f.ruleId === 'image-exposed-ports');
  assert.equal(ports.find((f) => f.path === '/config/ExposedPorts/22~1tcp')?.severity, 'medium');
  assert.equal(ports.find((f) => f.path === '/config/ExposedPorts/8080~1tcp')?.severity, 'info');
});

test('image age against the `now` passed in; reproducible-build epoch timestamps are not judged', () => {
  const fs = fsWith([]);
  const old = imageHygiene({ image: 'i', config: { created: '2025-01-01T00:00:00Z', config: { User: '1' } }, fs, layerFiles: [], now });
  assert.match(old.findings.find((f) => f.ruleId === 'image-age')!.message, /built 516 days ago/);
  const fresh = imageHygiene({ image: 'i', config: { created: '2026-05-01T00:00:00Z', config: { User: '1' } }, fs, layerFiles: [], now });
  assert.ok(!rules(fresh).includes('image-age'));
  const epoch = imageHygiene({ image: 'i', config: { created: '1970-01-01T00:00:00Z', config: { User: '1' } }, fs, layerFiles: [], now });
  assert.ok(epoch.notEvaluated.some((n) => n.ruleId === 'image-age'));
});

test('secret patterns: formats from the token issuers; ordinary text does not match', () => {
  assert.deepEqual(scanText('token: xoxb-123456789012-abcdefghijkl').map((h) => h.kind), ['Slack token']);
  assert.deepEqual(scanText('key=AIzaSyA1234567890abcdefghijklmnopqrstuv').map((h) => h.kind), ['Google API key']);
  assert.deepEqual(scanText('postgres://app:s3cr3tpw@db:5432/app').map((h) => h.kind), ['credential in URL']);
  assert.deepEqual(scanText('just some configuration\nport = 8080\n'), []);
  assert.deepEqual(scanEnv(['HOME=/root', 'NODE_VERSION=20.1.0', 'API_KEY=']), []);
});
