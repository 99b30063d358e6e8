/**
 * What the dashboard's Settings page uses: API tokens over HTTP (admin only; the value shown once and only its hash
 * kept; a revoked token refused at once; the audit log names the admin) and the notification targets, whose URLs
 * are shown by scheme and host only. On SQLite and PostgreSQL.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { eachStore } from '../sources/store/test-support/stores.js';
import { buildApp } from './app.js';
import { request, startTestServer } from './test-support/server.js';

eachStore('settings: tokens and notification targets', (open) => {
  it('lets an admin create, list and revoke tokens; nobody else', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      for (const role of ['viewer', 'approver', 'uploader'] as const) {
        assert.equal((await request(`${s.url}/api/v1/tokens`, { token: s.tokens[role] })).status, 403, role);
        assert.equal((await request(`${s.url}/api/v1/tokens`, { method: 'POST', token: s.tokens[role], body: { role: 'admin', name: 'mine' } })).status, 403, role);
      }
      const created = await request(`${s.url}/api/v1/tokens`, { method: 'POST', token: s.tokens.admin, body: { role: 'uploader', name: 'ci-prod', cluster: 'prod' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.headers.get('cache-control'), 'no-store');
      const { id, token } = created.body as { id: number; token: string };
      assert.match(token, /^kgt_[A-Za-z0-9_-]{43}$/);
      const list = await request(`${s.url}/api/v1/tokens`, { token: s.tokens.admin });
      const mine = (list.body.items as Record<string, unknown>[]).find((t) => t.id === id)!;
      assert.deepEqual({ ...mine, createdAt: typeof mine.createdAt }, { id, name: 'ci-prod', role: 'uploader', cluster: 'prod', createdAt: 'string', lastUsedAt: null, revokedAt: null });
      assert.ok(!JSON.stringify(list.body).includes(token), 'a token value is never listed');
      // the new token works, for its cluster only
      assert.equal((await request(`${s.url}/api/v1/exceptions/effective?cluster=prod`, { token })).status, 200);
      assert.equal((await request(`${s.url}/api/v1/exceptions/effective?cluster=staging`, { token })).status, 403);
      assert.equal((await request(`${s.url}/api/v1/tokens/${id}/revoke`, { method: 'POST', token: s.tokens.admin })).status, 204);
      assert.equal((await request(`${s.url}/api/v1/exceptions/effective?cluster=prod`, { token })).status, 401);
      assert.equal((await request(`${s.url}/api/v1/tokens/${id}/revoke`, { method: 'POST', token: s.tokens.admin })).status, 404, 'revoked once');
      assert.equal((await request(`${s.url}/api/v1/tokens`, { method: 'POST', token: s.tokens.admin, body: { role: 'viewer', name: 'v', cluster: 'prod' } })).status, 400);
      assert.equal((await request(`${s.url}/api/v1/tokens`, { method: 'POST', token: s.tokens.admin, body: { role: 'root', name: 'x' } })).status, 400);
      const audit = await request(`${s.url}/api/v1/audit`, { token: s.tokens.admin });
      const actions = (audit.body.items as { action: string; actor: string; target: string }[]).filter((a) => a.target === `token:${id}`).map((a) => `${a.action} by ${a.actor.split(':')[0]}`);
      assert.deepEqual(actions.sort(), ['token.create by token', 'token.revoke by token']);
    } finally {
      await s.close();
      await store.close();
    }
  });

  it('shows notification targets to admins by scheme and host, never the secret part of the URL', async () => {
    const store = await open();
    const app = await buildApp({ store, notifications: [{ type: 'slack', url: 'https://hooks.slack.example/services/T000/B000/XXXXSECRET' }, { name: 'siem', type: 'webhook', url: 'https://siem.example:8443/ingest?key=SECRET', events: ['finding.new'], clusters: ['prod'] }] });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const s = await startTestServer(store); // for its tokens (same store)
      await s.close();
      const r = await request(`${url}/api/v1/notifications`, { token: s.tokens.admin });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        items: [
          { name: 'slack-1', type: 'slack', endpoint: 'https://hooks.slack.example' },
          { name: 'siem', type: 'webhook', endpoint: 'https://siem.example:8443', events: ['finding.new'], clusters: ['prod'] },
        ],
      });
      assert.ok(!JSON.stringify(r.body).includes('SECRET'));
      assert.equal((await request(`${url}/api/v1/notifications`, { token: s.tokens.approver })).status, 403);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
