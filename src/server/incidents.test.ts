import { it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { eachStore } from '../sources/store/test-support/stores.js';
import { createApiToken } from '../usecases/access/tokens.js';
import { startTestServer, request } from './test-support/server.js';
import { serverSink } from '../sources/sinks/outputs.js';
import type { IncidentUpdate } from '../sources/sinks/sink.js';

function incident(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    detector: 'shell-in-container',
    severity: 'high',
    title: `a shell ran in web (${id})`,
    firstSeen: '2026-06-01T10:00:00.123456789Z',
    lastSeen: '2026-06-01T10:00:05Z',
    count: 2,
    workload: { cluster: 'prod', namespace: 'shop', pod: 'web-7f9c-abcde', owner: { kind: 'Deployment', name: 'web' }, container: 'app' },
    events: [{ kind: 'process.exec', process: { name: 'sh' } }],
    ...over,
  };
}

async function post(url: string, token: string, cluster: string, items: unknown[] | string, gzip = false) {
  const text = typeof items === 'string' ? items : items.map((i) => JSON.stringify(i)).join('\n') + '\n';
  const res = await fetch(`${url}/api/v1/incidents?cluster=${cluster}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', ...(gzip && { 'content-encoding': 'gzip' }) },
    body: gzip ? gzipSync(text) : text,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

eachStore('runtime incidents', (open) => {
  it('are posted once however often they arrive, updated as they grow, excepted like findings', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      assert.deepEqual((await post(s.url, s.tokens.uploader, 'prod', [incident('i-1'), incident('i-2', { severity: 'low' })], true)).body, { cluster: 'prod', received: 2, new: 2 });
      assert.deepEqual((await post(s.url, s.tokens.uploader, 'prod', [incident('i-1')])).body, { cluster: 'prod', received: 1, new: 0 });
      await post(s.url, s.tokens.uploader, 'prod', [incident('i-1', { lastSeen: '2026-06-01T11:00:00Z', count: 7 })]);
      const listed = await request(`${s.url}/api/v1/incidents?cluster=prod`, { token: s.tokens.viewer });
      const items = listed.body.items as { id: string; count: number; lastSeen: string; status: string; incident: { events: unknown[] } }[];
      assert.deepEqual(items.map((i) => [i.id, i.count, i.lastSeen, i.status]), [
        ['i-1', 7, '2026-06-01T11:00:00.000Z', 'open'],
        ['i-2', 2, '2026-06-01T10:00:05.000Z', 'open'],
      ]);
      assert.deepEqual(items[0].incident.events, [{ kind: 'process.exec', process: { name: 'sh' } }], 'the incident as posted');
      const events = await store.db.selectFrom('events').select(['kind', 'payload']).where('kind', '=', 'new-incident').execute();
      assert.equal(events.length, 1, 'one event, for the high one');
      assert.equal((JSON.parse(events[0].payload) as { count: number }).count, 1);

      const ex = await request(`${s.url}/api/v1/exceptions`, { method: 'POST', token: s.tokens.viewer, body: { rules: ['shell-in-container'], kinds: ['Deployment'], names: ['web'], reason: 'debug shell during the migration', expires: '2999-01-01' } });
      await request(`${s.url}/api/v1/exceptions/${ex.body.id}/approve`, { method: 'POST', token: s.tokens.approver });
      const after = await request(`${s.url}/api/v1/incidents?status=excepted`, { token: s.tokens.viewer });
      assert.equal((after.body.items as unknown[]).length, 2);
      await post(s.url, s.tokens.uploader, 'prod', [incident('i-3')]);
      assert.equal(((await request(`${s.url}/api/v1/incidents?status=open`, { token: s.tokens.viewer })).body.items as unknown[]).length, 0, 'a new incident the exception covers arrives excepted');
    } finally {
      await s.close();
    }
  });

  it("runtime serve's server sink: an incident's updates, from any node, are one incident; a token for another cluster is refused", async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const update = (state: 'open' | 'closed', count: number, lastSeen: string): IncidentUpdate => ({
        state,
        key: '5d41402abc4b2a76b9719d911017c592',
        incident: { ruleId: 'shell-in-container', severity: 'high', workload: { namespace: 'shop', kind: 'Deployment', name: 'web', pod: 'web-7f9c-abcde', container: 'app' }, count, firstSeen: '2026-06-01T10:00:00.000Z', lastSeen, evidence: [{ v: 1, kind: 'process.exec', process: { name: 'sh' } }], context: { message: 'a shell ran in a container' } },
      });
      const node1 = serverSink(s.url, s.tokens.uploader, 'prod', { retries: 0 });
      const node2 = serverSink(`${s.url}/`, s.tokens.uploader, 'prod', { retries: 0 });
      await node1.send(update('open', 1, '2026-06-01T10:00:00.000Z'));
      await node2.send(update('open', 1, '2026-06-01T10:00:01.000Z'));
      await node1.send(update('closed', 4, '2026-06-01T10:05:00.000Z'));
      await Promise.all([node1.close(), node2.close()]);
      assert.deepEqual([node1.stats, node2.stats], [{ sent: 2, failed: 0, dropped: 0 }, { sent: 1, failed: 0, dropped: 0 }]);
      const items = (await request(`${s.url}/api/v1/incidents?cluster=prod&namespace=shop`, { token: s.tokens.viewer })).body.items as (Record<string, unknown> & { incident: { workload: unknown; evidence: unknown } })[];
      assert.deepEqual(
        items.map((i) => [i.id, i.detector, i.severity, i.title, i.count, i.lastSeen]),
        [['5d41402abc4b2a76b9719d911017c592', 'shell-in-container', 'high', 'a shell ran in a container in Deployment shop/web', 4, '2026-06-01T10:05:00.000Z']],
      );
      assert.deepEqual(items[0].incident.workload, { namespace: 'shop', pod: 'web-7f9c-abcde', container: 'app', owner: { kind: 'Deployment', name: 'web' } });
      assert.deepEqual(items[0].incident.evidence, [{ v: 1, kind: 'process.exec', process: { name: 'sh' } }]);
      const other = serverSink(s.url, (await createApiToken(store, { role: 'uploader', cluster: 'staging', now: new Date() })).token, 'prod', { retries: 0 });
      const warned = new Promise<string>((resolve) => process.once('warning', (w) => resolve(w.message)));
      await other.send(update('open', 1, '2026-06-01T10:00:00.000Z'));
      await other.close();
      assert.deepEqual(other.stats, { sent: 0, failed: 1, dropped: 0 });
      assert.equal(await warned, 'server sink: HTTP 403; update dropped');
      assert.throws(() => serverSink('ftp://x', 't', 'prod'), /http\(s\) URL/);
    } finally {
      await s.close();
    }
  });

  it('refuses bad posts whole, and the wrong callers', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const bad = await post(s.url, s.tokens.uploader, 'prod', JSON.stringify(incident('ok')) + '\n' + JSON.stringify(incident('x', { severity: 'dire', title: 'secret=hunter2' })) + '\n');
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.message), /line 2: severity/);
      assert.ok(!String(bad.body.message).includes('hunter2'));
      assert.equal((await post(s.url, s.tokens.uploader, 'prod', 'not json\n')).status, 400);
      assert.equal((await post(s.url, s.tokens.uploader, 'prod', [{ ...incident('big'), title: 'x'.repeat(70_000) }])).status, 400);
      assert.equal(((await request(`${s.url}/api/v1/incidents`, { token: s.tokens.viewer })).body.items as unknown[]).length, 0, 'nothing of a refused post is kept');
      assert.equal((await post(s.url, s.tokens.viewer, 'prod', [incident('v')])).status, 403);
      const bound = (await createApiToken(store, { role: 'uploader', cluster: 'staging', now: new Date() })).token;
      assert.equal((await post(s.url, bound, 'prod', [incident('b')])).status, 403);
      assert.equal((await post(s.url, bound, 'staging', [incident('b')])).status, 200);
    } finally {
      await s.close();
    }
  });
});
