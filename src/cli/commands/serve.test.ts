/**
 * The server as users run it: `server token create`, `kubeguard serve` over HTTPS as its own process, then
 * `scan … --upload` and `image scan … --upload` from other processes, and the findings read back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { issueCertificates } from '../../admission/tls/certificates.js';
import { findingFingerprint } from '../../core/fingerprint.js';
import type { Finding } from '../../core/model.js';
import { makeLayer, writeOciLayout } from '../../sources/images/test-support/build-image.js';
import { kubeguard, kubeguardAsync, kubeguardDaemon } from '../test-support/run-cli.js';

let dir: string;
let ca: string;
let server: ChildProcess;
let url: string;
const tokens: Record<string, string> = {};

function get(path: string, token: string, post?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}`, ...(post !== undefined && { 'content-type': 'application/json' }) };
    const req = httpsRequest(url + path, { ca, headers, method: post === undefined ? 'GET' : 'POST' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(post === undefined ? undefined : JSON.stringify(post));
  });
}

function call(method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers = { ...(o.body !== undefined && { 'content-type': 'application/json' }), ...o.headers };
    const req = httpsRequest(url + path, { ca, headers, method }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
  });
}

describe('kubeguard serve, server token create, scan --upload', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-serve-'));
    const certs = await issueCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], notBefore: new Date() });
    ca = certs.ca.cert;
    writeFileSync(join(dir, 'ca.pem'), certs.ca.cert);
    writeFileSync(join(dir, 'tls.crt'), certs.server.cert);
    writeFileSync(join(dir, 'tls.key'), certs.server.key);
    const db = join(dir, 'server.db');
    for (const role of ['uploader', 'viewer', 'approver']) {
      const r = kubeguard(['server', 'token', 'create', '--role', role, '--name', `ci-${role}`, '--database', db]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^kgt_[A-Za-z0-9_-]{43}\n$/);
      tokens[role] = r.stdout.trim();
    }
    const listed = kubeguard(['server', 'token', 'list', '--json', '--database', db]);
    assert.deepEqual((JSON.parse(listed.stdout) as { name: string }[]).map((t) => t.name), ['ci-uploader', 'ci-viewer', 'ci-approver']);
    assert.ok(!listed.stdout.includes(tokens.viewer));
    const d = await kubeguardDaemon(['serve', '--port', '0', '--database', db, '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--log-level', 'silent'], /listening on (https:\/\/127\.0\.0\.1:\d+)/);
    server = d.child;
    url = d.match[1];
  });
  after(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'close');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a manifest scan; the server holds exactly its findings', async () => {
    const env = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') };
    const r = await kubeguardAsync(['scan', 'examples/manifests', '-o', 'json', '--upload', url, '--token', tokens.uploader, '--cluster-name', 'ci'], env);
    assert.equal(r.code, 1, r.stderr); // the examples have high findings; the upload does not change the exit code
    const report = JSON.parse(r.stdout) as { findings: Finding[] };
    assert.ok(report.findings.length > 10);
    // one identity per rule, object and field (two findings on one container's requests share one)
    const distinct = new Set(report.findings.map((f) => findingFingerprint(f.ruleId, f.resource, f.path))).size;
    assert.match(r.stderr, new RegExp(`uploaded to ci: ${distinct} new, 0 fixed, 0 reopened of ${distinct} findings${distinct < report.findings.length ? ` \\(${report.findings.length} sent` : ''}`));
    const listed = await get('/api/v1/findings?cluster=ci&limit=1000', tokens.viewer);
    assert.equal(listed.status, 200);
    assert.deepEqual((listed.body.items as { fingerprint: string }[]).map((i) => i.fingerprint).sort(), [...new Set(report.findings.map((f) => findingFingerprint(f.ruleId, f.resource, f.path)))].sort());

    const again = await kubeguardAsync(['scan', 'examples/manifests', '-o', 'json', '--upload', url, '--cluster-name', 'ci'], { ...env, KUBEGUARD_TOKEN: tokens.uploader });
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, new RegExp(`uploaded to ci: 0 new, 0 fixed, 0 reopened of ${distinct} findings`));
    assert.equal(((await get('/api/v1/findings?cluster=ci&limit=1000&status=open', tokens.viewer)).body.items as unknown[]).length, distinct);
  });

  it("applies the server's approved exceptions in the scan, and uploads what they hide as excepted", async () => {
    const env = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') };
    const ex = await get('/api/v1/exceptions', tokens.viewer, { rules: ['pss-privileged'], clusters: ['ci'], reason: 'the CNI agent', expires: '2999-12-31' });
    assert.equal(ex.status, 201, JSON.stringify(ex.body));
    assert.equal((await get(`/api/v1/exceptions/${ex.body.id}/approve`, tokens.approver, {})).status, 200);
    const r = await kubeguardAsync(['scan', 'examples/manifests', '-o', 'json', '--upload', url, '--token', tokens.uploader, '--cluster-name', 'ci'], env);
    assert.match(r.stderr, /1 approved exception\(s\) from the server apply to ci/);
    const report = JSON.parse(r.stdout) as { findings: Finding[]; suppressed: { ruleId: string; reason: string }[] };
    assert.ok(!report.findings.some((f) => f.ruleId === 'pss-privileged'), 'the scan applies it as a config exception');
    const hidden = report.suppressed.filter((s) => s.ruleId === 'pss-privileged');
    assert.ok(hidden.length > 0 && hidden.every((s) => s.reason === 'the CNI agent'));
    const excepted = await get('/api/v1/findings?cluster=ci&status=excepted&ruleId=pss-privileged', tokens.viewer);
    assert.equal((excepted.body.items as unknown[]).length, hidden.length, 'kept as excepted on the server, not fixed');
    assert.ok((excepted.body.items as { exceptionId: number }[]).every((i) => i.exceptionId === ex.body.id));
  });

  it('a whole-cluster scan uploads its network and attack paths; an older server that refuses them gets the findings alone', async () => {
    const env = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') };
    const objects = ['network.yaml', 'web.yaml', 'rbac.yaml'].flatMap((f) => yaml.loadAll(readFileSync(join('examples', 'manifests', f), 'utf8')).filter(Boolean));
    const snapshot = join(dir, 'snapshot.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const r = await kubeguardAsync(['scan', '--snapshot', snapshot, '-o', 'json', '--upload', url, '--token', tokens.uploader, '--cluster-name', 'snap'], env);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const net = await get('/api/v1/network?cluster=snap', tokens.viewer);
    assert.equal(net.status, 200, JSON.stringify(net.body));
    assert.ok((net.body.nodes as { type: string }[]).some((n) => n.type === 'workload'));
    assert.equal((await get('/api/v1/attack-paths?cluster=snap', tokens.viewer)).status, 200);
    // each framework's score, the same number `scan --framework` prints for the same objects
    const compliance = (await get('/api/v1/compliance?cluster=snap', tokens.viewer)).body.items as { framework: string; score: number | null }[];
    assert.deepEqual(compliance.map((c) => c.framework), ['cis', 'mitre', 'nsa', 'pss-baseline', 'pss-restricted']);
    for (const framework of ['nsa', 'pss-restricted']) {
      const view = await kubeguardAsync(['scan', '--snapshot', snapshot, '--framework', framework, '-o', 'json']);
      assert.equal(compliance.find((c) => c.framework === framework)?.score, (JSON.parse(view.stdout) as { score: { total: number | null } }).score.total, framework);
    }

    // a server from before the inventory records: "unknown record" → sent again without them
    const { createServer } = await import('node:http');
    const { gunzipSync } = await import('node:zlib');
    const bodies: string[] = [];
    let refusing = '"netPolicy"';
    const old = createServer((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ exceptions: [] }));
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = gunzipSync(Buffer.concat(chunks)).toString('utf8');
        bodies.push(body);
        // a server before the network model refuses its records; one before the inventory refuses every one
        const refuse = body.includes(refusing);
        res.writeHead(refuse ? 400 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(refuse ? { error: 'bad-request', message: 'line 9: unknown record' } : { duplicate: false, stale: false, received: 1, findings: 1, new: 1, fixed: 0, reopened: 0 }));
      });
    });
    old.listen(0, '127.0.0.1');
    await once(old, 'listening');
    try {
      const port = (old.address() as { port: number }).port;
      const upload = () => kubeguardAsync(['scan', '--snapshot', snapshot, '-o', 'json', '--upload', `http://127.0.0.1:${port}`, '--token', 't', '--cluster-name', 'snap']);
      let o = await upload();
      assert.ok(o.code === 0 || o.code === 1, o.stderr);
      assert.match(o.stderr, /does not take the network model/);
      assert.equal(bodies.length, 2);
      assert.ok(bodies[0].includes('"netPolicy"') && bodies[1].includes('"netClass"') && !bodies[1].includes('"netNamespace"') && !bodies[1].includes('"netPolicy"'));

      refusing = '"netClass"';
      bodies.length = 0;
      o = await upload();
      assert.ok(o.code === 0 || o.code === 1, o.stderr);
      assert.match(o.stderr, /does not take network and attack-path records/);
      assert.equal(bodies.length, 3);
      assert.ok(bodies[0].includes('"netEdge"') && !bodies[2].includes('"netClass"'));
    } finally {
      old.close();
    }
  });

  it('runtime baseline upload: a learnt baseline reaches the server for its cluster', async () => {
    const env = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') };
    const file = join(dir, 'baseline.yaml');
    const learn = kubeguard(['runtime', 'baseline', 'learn', join('src', 'rules', 'runtime', 'runtime-baseline-deviation', 'fixtures', 'learn-normal.jsonl'), '-o', file, '--lock']);
    assert.equal(learn.code, 0, learn.stderr);
    const r = await kubeguardAsync(['runtime', 'baseline', 'upload', file, '--upload', url, '--token', tokens.uploader, '--cluster-name', 'snap'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /uploaded the baseline of 1 workload\(s\) to snap \(locked\)/);
    const web = await get('/api/v1/baselines/workload?cluster=snap&namespace=shop&workload=web', tokens.viewer);
    const nginx = (web.body.baseline as { locked: boolean; containers: Record<string, { processes: string[]; egress: string[] }> }).containers.nginx;
    assert.ok(nginx.processes.some((p) => p.startsWith('/usr/sbin/nginx')), JSON.stringify(nginx));
    assert.ok(nginx.egress.length > 0);
    // refused without a cluster name or with a viewer's token (exit 2 / 4-ish: not 0), nothing echoed
    assert.notEqual((await kubeguardAsync(['runtime', 'baseline', 'upload', file, '--upload', url, '--token', tokens.uploader], env)).code, 0);
    const viewer = await kubeguardAsync(['runtime', 'baseline', 'upload', file, '--upload', url, '--token', tokens.viewer, '--cluster-name', 'snap'], env);
    assert.notEqual(viewer.code, 0);
    assert.match(viewer.stderr, /refused the baseline \(HTTP 403/);
  });

  it('uploads an image scan', async () => {
    const layer = await makeLayer([{ path: 'usr/bin/gcc', content: 'not really gcc' }]);
    const layout = join(dir, 'image');
    writeOciLayout(layout, [{ layers: [layer] }]);
    const r = await kubeguardAsync(['image', 'scan', layout, '--no-vulns', '-o', 'json', '--upload', url, '--token', tokens.uploader, '--cluster-name', 'registry'], { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[] };
    assert.ok(report.findings.length > 0, 'the image has hygiene findings');
    const listed = await get('/api/v1/findings?cluster=registry&kind=ContainerImage', tokens.viewer);
    assert.deepEqual((listed.body.items as { ruleId: string }[]).map((i) => i.ruleId).sort(), report.findings.map((f) => f.ruleId).sort());
  });

  it('server install prints the server as a Kustomize base that passes pss-restricted', async () => {
    const out = join(dir, 'install');
    const r = kubeguard(['server', 'install', '--image', 'registry.example.com/kubeguard@sha256:' + 'ab'.repeat(32), '--output-dir', out]);
    assert.equal(r.code, 0, r.stderr);
    const s = kubeguard(['scan', '--preset', 'pss-restricted', '-o', 'json', out]);
    assert.equal(s.code, 0, s.stdout + s.stderr);
    const report = JSON.parse(s.stdout) as { findings: unknown[]; summary: { resources: number } };
    assert.deepEqual(report.findings, []);
    const kinds = (yaml.loadAll(readFileSync(join(out, 'server.yaml'), 'utf8')) as { kind: string }[]).map((o) => o.kind).sort();
    assert.deepEqual(kinds, ['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Secret', 'Service', 'ServiceAccount']);
  });

  it('server user create|passwd|list|disable: passwords from stdin only; a sign-in over HTTPS gets a Secure __Host- cookie', async () => {
    const db = join(dir, 'server.db');
    const created = kubeguard(['server', 'user', 'create', 'Alice', '--role', 'approver', '--password-stdin', '--database', db], 'first long passphrase\nignored second line\n');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /created user alice \(approver\)/);
    const noTty = kubeguard(['server', 'user', 'create', 'bob', '--role', 'viewer', '--database', db], 'a passphrase on stdin\n');
    assert.deepEqual([noTty.code, /--password-stdin/.test(noTty.stderr)], [2, true], 'no terminal and no --password-stdin: refused, never guessed');
    assert.equal(kubeguard(['server', 'user', 'create', 'bob', '--role', 'viewer', '--password', 'in argv', '--database', db]).code, 2, 'there is no flag for a password');
    const weak = kubeguard(['server', 'user', 'create', 'carol', '--role', 'viewer', '--password-stdin', '--database', db], 'short\n');
    assert.deepEqual([weak.code, weak.stderr.includes('short')], [2, false], 'refused without echoing the password');

    const signIn = (password: string) => call('POST', '/api/v1/session', { body: { username: 'alice', password } });
    const ok = await signIn('first long passphrase');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const setCookie = String(ok.headers['set-cookie']);
    assert.match(setCookie, /^__Host-kubeguard-session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure$/);
    const cookie = setCookie.split(';')[0];
    const me = await call('GET', '/api/v1/session', { headers: { cookie } });
    assert.deepEqual([me.body.user, me.body.csrfToken], [{ name: 'alice', role: 'approver' }, ok.body.csrfToken]);
    assert.equal((await call('GET', '/api/v1/session', { headers: { cookie: cookie.replace('__Host-', '') } })).status, 401, 'the cookie without its prefix is not the session');

    const listed = kubeguard(['server', 'user', 'list', '--json', '--database', db]);
    const users = JSON.parse(listed.stdout) as { name: string; role: string; disabled: boolean; lastLoginAt: string | null }[];
    assert.deepEqual(users.map((u) => [u.name, u.role, u.disabled, u.lastLoginAt !== null]), [['alice', 'approver', false, true]]);
    assert.ok(!listed.stdout.includes('scrypt'));

    const passwd = kubeguard(['server', 'user', 'passwd', 'alice', '--password-stdin', '--database', db], 'second long passphrase\n');
    assert.equal(passwd.code, 0, passwd.stderr);
    assert.match(passwd.stderr, /1 session\(s\) ended/);
    assert.equal((await call('GET', '/api/v1/session', { headers: { cookie } })).status, 401);
    assert.equal((await signIn('first long passphrase')).status, 401);
    assert.equal((await signIn('second long passphrase')).status, 200);
    assert.equal(kubeguard(['server', 'user', 'disable', 'alice', '--database', db]).code, 0);
    assert.equal((await signIn('second long passphrase')).status, 401, 'disabled');
    assert.equal(kubeguard(['server', 'user', 'disable', 'nobody', '--database', db]).code, 2);
  });

  it('refuses flags that do not fit', async () => {
    assert.equal(kubeguard(['scan', 'examples/manifests', '--upload', 'https://x']).code, 2, 'no token');
    assert.match(kubeguard(['scan', 'examples/manifests', '--upload', 'https://x', '--token', 't']).stderr, /--cluster-name/);
    assert.equal(kubeguard(['server', 'token', 'create', '--role', 'root', '--database', join(dir, 'x.db')]).code, 2);
  });
});
