import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eachStore } from '../sources/store/test-support/stores.js';
import { finding, pod, uploadText } from '../sources/upload/test-support/uploads.js';
import { sendUpload } from '../sources/upload/client.js';
import { revokeToken, listTokens } from '../sources/store/tokens.js';
import { startTestServer, request } from './test-support/server.js';

const T1 = '2026-06-01T10:00:00.000Z';
const T2 = '2026-06-02T10:00:00.000Z';

function upload(url: string, token: string, text: string) {
  return sendUpload({ url, token, lines: () => [text], attempts: 1 });
}

eachStore('server API', (open, target) => {
  it('refuses every API endpoint without a valid token, and a role that may not', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      // every endpoint the OpenAPI document lists
      const doc = (await request(`${s.url}/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
      const endpoints = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path.replace(/\{[^}]+\}/g, '1')] as [string, string]));
      assert.ok(endpoints.length >= 12, `${endpoints.length} endpoints`);
      for (const [method, path] of endpoints) {
        assert.match(path, /^\/api\/v1\//);
        if (method === 'POST' && path === '/api/v1/session') continue; // the one public endpoint: below
        for (const credential of [{}, { token: 'kgt_not-a-token' }, { token: 'garbage' }, { cookie: `kubeguard-session=${'A'.repeat(43)}` }, { cookie: 'kubeguard-session=../../etc' }]) {
          const r = await request(s.url + path, { method, ...credential });
          assert.equal(r.status, 401, `${method} ${path} with ${JSON.stringify(credential)}`);
          assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="kubeguard"');
          assert.equal(r.body.error, 'unauthorized');
        }
      }
      const login = await request(`${s.url}/api/v1/session`, { method: 'POST', body: { username: 'admin', password: 'admin' } });
      assert.deepEqual([login.status, login.headers.get('set-cookie')], [401, null], 'sign-in opens nothing without a valid password');
      assert.equal((await request(s.url + '/api/v1/findings', { token: s.tokens.uploader })).status, 403, 'an uploader cannot read findings');
      assert.equal((await request(s.url + '/api/v1/trends', { token: s.tokens.uploader })).status, 403);
      assert.equal((await request(s.url + '/api/v1/audit', { token: s.tokens.approver })).status, 403, 'the audit log is for admins');
      assert.equal((await request(s.url + '/api/v1/audit', { token: s.tokens.admin })).status, 200);
      const text = uploadText({ scannedAt: T1, findings: [finding('pss-privileged', pod('a'))] });
      for (const role of ['viewer', 'approver'] as const) await assert.rejects(upload(s.url, s.tokens[role], text), /refused the upload \(HTTP 403/);
      // a revoked token is no token
      const viewer = (await listTokens(store)).find((t) => t.role === 'viewer')!;
      await revokeToken(store, viewer.id, Date.now());
      assert.equal((await request(s.url + '/api/v1/findings', { token: s.tokens.viewer })).status, 401);
    } finally {
      await s.close();
    }
  });

  it('ingests an upload over HTTP (gzip) and serves the findings in the contract shape, paged', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const fs = Array.from({ length: 12 }, (_, i) => finding(i % 2 ? 'pss-privileged' : 'workload-limits', pod(`p${i}`, 'shop'), i < 3 ? 'critical' : 'medium'));
      const first = await upload(s.url, s.tokens.uploader, uploadText({ scannedAt: T1, findings: fs }));
      assert.deepEqual([first.new, first.duplicate], [12, false]);
      const again = await upload(s.url, s.tokens.uploader, uploadText({ scannedAt: T1, findings: fs }));
      assert.equal(again.duplicate, true);
      await upload(s.url, s.tokens.uploader, uploadText({ scannedAt: T2, findings: fs.slice(1) }));
      const uploader = (await listTokens(store)).find((t) => t.role === 'uploader')!;
      const audited = await store.db.selectFrom('audit_log').select(['actor', 'action', 'target', 'detail', 'remote']).where('action', '=', 'scan.upload').orderBy('id').execute();
      assert.deepEqual(audited.map((a) => [a.actor, a.target, (JSON.parse(a.detail!) as { duplicate: boolean }).duplicate, a.remote]), [
        [`token:${uploader.id}`, 'cluster:prod', false, '127.0.0.1'],
        [`token:${uploader.id}`, 'cluster:prod', true, '127.0.0.1'],
        [`token:${uploader.id}`, 'cluster:prod', false, '127.0.0.1'],
      ]);

      const items: Record<string, unknown>[] = [];
      let next: string | null = null;
      do {
        const r = await request(`${s.url}/api/v1/findings?cluster=prod&limit=5${next ? `&next=${next}` : ''}`, { token: s.tokens.viewer });
        assert.equal(r.status, 200);
        items.push(...(r.body.items as Record<string, unknown>[]));
        next = r.body.next as string | null;
      } while (next);
      assert.equal(items.length, 12);
      const fixed = items.find((i) => (i.resource as { name: string }).name === 'p0')!;
      assert.deepEqual(Object.keys(fixed).slice(0, 9), ['fingerprint', 'ruleId', 'severity', 'status', 'cluster', 'resource', 'firstSeen', 'lastSeen', 'fixedAt']);
      assert.deepEqual([fixed.ruleId, fixed.severity, fixed.status, fixed.cluster, fixed.firstSeen, fixed.lastSeen, fixed.fixedAt], ['workload-limits', 'critical', 'fixed', 'prod', T1, T1, T2]);
      assert.deepEqual(fixed.resource, { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'p0' });

      const open_ = await request(`${s.url}/api/v1/findings?status=open&severity=critical,high&ruleId=pss-privileged`, { token: s.tokens.viewer });
      assert.deepEqual((open_.body.items as { resource: { name: string } }[]).map((i) => i.resource.name).sort(), ['p1']);
      const repeated = await request(`${s.url}/api/v1/findings?severity=critical&severity=medium&namespace=shop&status=open`, { token: s.tokens.viewer });
      assert.equal((repeated.body.items as unknown[]).length, 11);
      const since = await request(`${s.url}/api/v1/findings?since=${encodeURIComponent(T2)}`, { token: s.tokens.viewer });
      assert.equal((since.body.items as unknown[]).length, 0, 'nothing new since the second scan');

      for (const bad of ['status=closed', 'limit=0', 'limit=5000', 'next=zzz', 'since=yesterday', 'colour=red']) {
        const r = await request(`${s.url}/api/v1/findings?${bad}`, { token: s.tokens.viewer });
        assert.equal(r.status, 400, bad);
        assert.equal(r.body.error, 'bad-request');
      }
    } finally {
      await s.close();
    }
  });

  it('an uploader token bound to a cluster uploads for that cluster only', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const { createApiToken } = await import('../usecases/access/tokens.js');
      const bound = (await createApiToken(store, { role: 'uploader', cluster: 'staging', now: new Date() })).token;
      await assert.rejects(upload(s.url, bound, uploadText({ cluster: 'prod', scannedAt: T1, findings: [] })), /HTTP 403: this token may not upload for cluster prod/);
      const ok = await upload(s.url, bound, uploadText({ cluster: 'staging', scannedAt: T1, findings: [finding('pss-privileged', pod('a'))] }));
      assert.equal(ok.new, 1);
    } finally {
      await s.close();
    }
  });

  it('stores tokens only as hashes: no token can be read back from the database', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const rows = await store.db.selectFrom('api_tokens').selectAll().execute();
      const stored = JSON.stringify(rows);
      for (const token of Object.values(s.tokens)) {
        assert.ok(!stored.includes(token) && !stored.includes(token.slice(4)), 'the token is not in the table');
      }
      if (target.dialect === 'sqlite') {
        await s.close();
        await store.close(); // checkpoints the write-ahead log into the file
        const bytes = readFileSync(store.location, 'latin1');
        for (const token of Object.values(s.tokens)) assert.ok(!bytes.includes(token.slice(4)), 'nor anywhere in the database file');
      }
    } finally {
      await s.close();
    }
  });

  it('serves an OpenAPI document of the API', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const r = await request(`${s.url}/openapi.json`);
      assert.equal(r.status, 200);
      assert.equal(r.body.openapi, '3.1.0');
      const paths = r.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
      assert.ok(paths['/api/v1/findings'].get.responses['401']);
      assert.ok(paths['/api/v1/scans'].post);
      assert.equal(paths['/healthz'], undefined);
      assert.equal((await request(`${s.url}/readyz`)).status, 200);
    } finally {
      await s.close();
    }
  });

  it('exceptions over HTTP: anyone who reads may request, only another approver decides, uploaders read their cluster', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      await upload(s.url, s.tokens.uploader, uploadText({ scannedAt: T1, findings: [finding('pss-privileged', pod('a', 'kube-system'))] }));
      const body = { rules: ['pss-privileged'], namespaces: ['kube-system'], reason: 'CNI', owner: 'net', ticket: 'SEC-7', expires: '2999-01-01' };
      assert.equal((await request(`${s.url}/api/v1/exceptions`, { method: 'POST', body })).status, 401);
      assert.equal((await request(`${s.url}/api/v1/exceptions`, { method: 'POST', token: s.tokens.uploader, body })).status, 403);
      const bad = await request(`${s.url}/api/v1/exceptions`, { method: 'POST', token: s.tokens.viewer, body: { ...body, reason: undefined } });
      assert.equal(bad.status, 400);
      const created = await request(`${s.url}/api/v1/exceptions`, { method: 'POST', token: s.tokens.viewer, body });
      assert.equal(created.status, 201);
      const id = created.body.id as number;
      assert.equal((await request(`${s.url}/api/v1/exceptions/${id}/approve`, { method: 'POST', token: s.tokens.viewer })).status, 403, 'a viewer cannot approve');
      assert.equal((await request(`${s.url}/api/v1/exceptions/${id}/approve`, { method: 'POST', token: s.tokens.uploader })).status, 403);
      const approved = await request(`${s.url}/api/v1/exceptions/${id}/approve`, { method: 'POST', token: s.tokens.approver, body: { note: 'fine' } });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.deepEqual([approved.body.status, approved.body.findings, approved.body.note], ['approved', 1, 'fine']);
      assert.equal((await request(`${s.url}/api/v1/exceptions/${id}/approve`, { method: 'POST', token: s.tokens.admin })).status, 409);
      assert.equal((await request(`${s.url}/api/v1/exceptions/9999/approve`, { method: 'POST', token: s.tokens.admin })).status, 404);
      // the approver's own request needs someone else
      const own = await request(`${s.url}/api/v1/exceptions`, { method: 'POST', token: s.tokens.approver, body });
      assert.equal((await request(`${s.url}/api/v1/exceptions/${own.body.id}/approve`, { method: 'POST', token: s.tokens.approver })).status, 403);

      const findings = await request(`${s.url}/api/v1/findings?status=excepted`, { token: s.tokens.viewer });
      assert.deepEqual((findings.body.items as { exceptionId: number }[]).map((f) => f.exceptionId), [id]);
      const listed = await request(`${s.url}/api/v1/exceptions?status=approved`, { token: s.tokens.viewer });
      assert.deepEqual((listed.body.items as { id: number }[]).map((e) => e.id), [id]);
      const effective = await request(`${s.url}/api/v1/exceptions/effective?cluster=prod`, { token: s.tokens.uploader });
      assert.deepEqual(effective.body, { cluster: 'prod', exceptions: [{ rules: ['pss-privileged'], namespaces: ['kube-system'], reason: 'CNI', owner: 'net', ticket: 'SEC-7', expires: '2999-01-01' }] });
      const { createApiToken } = await import('../usecases/access/tokens.js');
      const bound = (await createApiToken(store, { role: 'uploader', cluster: 'staging', now: new Date() })).token;
      assert.equal((await request(`${s.url}/api/v1/exceptions/effective?cluster=prod`, { token: bound })).status, 403);
    } finally {
      await s.close();
    }
  });
});
