/**
 * The server as a real process under failure: killed (SIGKILL) in the middle of applying an upload, and its
 * PostgreSQL crashed (immediate stop, no checkpoint) in the middle of another. Clients retry; at the end every
 * acknowledged upload is there exactly once, with exactly the events it caused. Then two server processes
 * against one PostgreSQL behave as one: the same upload sent to both at once is applied once, scheduled work
 * (an exception expiring) happens once, concurrent scans of one cluster leave the newest scan's state.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { eachStore } from '../sources/store/test-support/stores.js';
import { finding, pod, uploadText } from '../sources/upload/test-support/uploads.js';
import { sendUpload } from '../sources/upload/client.js';
import { openStore } from '../sources/store/open.js';
import type { Store } from '../sources/store/open.js';
import { createApiToken } from '../usecases/access/tokens.js';
import { kubeguardDaemon } from '../cli/test-support/run-cli.js';
import type { Finding } from '../core/model.js';
import { request } from './test-support/server.js';

const running = new Set<ChildProcess>();
after(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function serve(database: string, port: number): Promise<ChildProcess> {
  const { child } = await kubeguardDaemon(['serve', '--port', String(port), '--database', database, '--log-level', 'silent', '--schedule-seconds', '0.2'], /listening on/);
  running.add(child);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'close');
}

function clusterFindings(i: number, n: number): Finding[] {
  return Array.from({ length: n }, (_, j) => finding(j % 2 ? 'pss-privileged' : 'workload-limits', pod(`p${j}`, `ns${j % 7}`), j % 50 === 0 ? 'critical' : 'medium', `/spec/containers/${i}`));
}

async function count(store: Store, table: 'findings' | 'uploads' | 'events', where?: [string, string]): Promise<number> {
  let q = store.db.selectFrom(table).select((e) => e.fn.countAll().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

eachStore('server process failures', (_open, target) => {
  it('killed mid-upload (and, on PostgreSQL, its database crashed mid-upload): nothing acknowledged lost, nothing doubled', async () => {
    const database = await target.newLocation();
    const admin = await openStore(database);
    const token = (await createApiToken(admin, { role: 'uploader', now: new Date() })).token;
    await admin.close();
    const port = await freePort();
    let server = await serve(database, port);
    const url = `http://127.0.0.1:${port}`;
    const uploads = Array.from({ length: 6 }, (_, i) => uploadText({ cluster: `c${i}`, scannedAt: `2026-06-0${i + 1}T10:00:00.000Z`, findings: clusterFindings(i, 6000) }));
    let retries = 0;
    const acknowledged: number[] = [];
    for (let i = 0; i < uploads.length; i++) {
      const sent = sendUpload({ url, token, lines: () => [uploads[i]], attempts: 40, backoffMs: 250, maxBackoffMs: 2000, onRetry: () => retries++ });
      if (i === 1) {
        await new Promise((r) => setTimeout(r, 150));
        await kill(server);
        server = await serve(database, port);
      }
      if (i === 3 && target.postgres) {
        await new Promise((r) => setTimeout(r, 150));
        target.postgres.crash();
        await new Promise((r) => setTimeout(r, 500));
        target.postgres.start();
      }
      const outcome = await sent;
      assert.equal(outcome.cluster, `c${i}`);
      acknowledged.push(i);
    }
    await kill(server);
    assert.ok(retries >= (target.postgres ? 2 : 1), `the failures hit uploads in flight (${retries} retries)`);
    const store = await openStore(database);
    try {
      assert.deepEqual(acknowledged, [0, 1, 2, 3, 4, 5]);
      assert.equal(await count(store, 'uploads'), 6, 'each upload applied once');
      assert.equal(await count(store, 'findings'), 6 * 6000);
      for (let i = 0; i < 6; i++) {
        const rows = await store.db.selectFrom('findings').select(['status', 'first_seen']).where('cluster', '=', `c${i}`).execute();
        assert.equal(rows.length, 6000);
        assert.ok(rows.every((r) => r.status === 'open' && r.first_seen === Date.parse(`2026-06-0${i + 1}T10:00:00.000Z`)));
      }
      assert.equal(await count(store, 'events', ['kind', 'new-critical']), 6, 'one new-critical event per cluster, none doubled');
    } finally {
      await store.close();
    }
  });

  if (target.dialect !== 'postgres') return;

  it('two server processes against one PostgreSQL behave as one', async () => {
    const database = await target.newLocation();
    const admin = await openStore(database);
    const uploader = (await createApiToken(admin, { role: 'uploader', now: new Date() })).token;
    const viewer = (await createApiToken(admin, { role: 'viewer', now: new Date() })).token;
    const approver = (await createApiToken(admin, { role: 'approver', now: new Date() })).token;
    const [pa, pb] = [await freePort(), await freePort()];
    const [a, b] = await Promise.all([serve(database, pa), serve(database, pb)]);
    const urls = [`http://127.0.0.1:${pa}`, `http://127.0.0.1:${pb}`];
    try {
      // the same upload to both at once: applied once
      const same = uploadText({ cluster: 'prod', scannedAt: '2026-06-01T10:00:00.000Z', findings: clusterFindings(0, 3000) });
      const outcomes = await Promise.all(urls.map((url) => sendUpload({ url, token: uploader, lines: () => [same], attempts: 3 })));
      assert.deepEqual(outcomes.map((o) => o.duplicate).sort(), [false, true]);
      assert.equal(await count(admin, 'uploads'), 1);

      // two scans of one cluster at once: the newest scan's state wins whatever the order
      const t1 = uploadText({ cluster: 'edge', scannedAt: '2026-06-02T10:00:00.000Z', findings: [finding('pss-privileged', pod('a')), finding('pss-privileged', pod('b'))] });
      const t2 = uploadText({ cluster: 'edge', scannedAt: '2026-06-03T10:00:00.000Z', findings: [finding('pss-privileged', pod('a'))] });
      await Promise.all([sendUpload({ url: urls[0], token: uploader, lines: () => [t1], attempts: 3 }), sendUpload({ url: urls[1], token: uploader, lines: () => [t2], attempts: 3 })]);
      // T2 first: T1 is stale and b never appears; T1 first: T2 fixes b
      const edge = await admin.db.selectFrom('findings').select(['name', 'status']).where('cluster', '=', 'edge').orderBy('name').execute();
      assert.deepEqual(edge.filter((f) => f.status === 'open').map((f) => f.name), ['a']);
      assert.ok(edge.every((f) => f.name === 'a' || f.status === 'fixed'));
      const lastScans = await admin.db.selectFrom('clusters').select('last_scans').where('name', '=', 'edge').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(lastScans.last_scans), { kubeguard: Date.parse('2026-06-03T10:00:00.000Z') });

      // scheduled work once: an exception that expires while both replicas run their schedulers
      const expires = new Date(Date.now() + 2500).toISOString();
      const ex = await request(`${urls[0]}/api/v1/exceptions`, { method: 'POST', token: viewer, body: { rules: ['pss-privileged'], clusters: ['edge'], reason: 'briefly', expires } });
      assert.equal(ex.status, 201, JSON.stringify(ex.body));
      assert.equal((await request(`${urls[1]}/api/v1/exceptions/${ex.body.id}/approve`, { method: 'POST', token: approver })).body.findings, 1);
      for (let i = 0; i < 50; i++) {
        const e = await request(`${urls[i % 2]}/api/v1/exceptions/${ex.body.id}`, { token: viewer });
        if (e.body.status === 'expired') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1000)); // both schedulers ran again since
      assert.equal(await count(admin, 'events', ['kind', 'exception-expired']), 1);
      const audit = await admin.db.selectFrom('audit_log').select('actor').where('action', '=', 'exception.expire').execute();
      assert.deepEqual(audit, [{ actor: 'system' }]);
      const open = await request(`${urls[1]}/api/v1/findings?cluster=edge&status=open`, { token: viewer });
      assert.equal((open.body.items as unknown[]).length, 1, 'the finding is open again');
    } finally {
      await Promise.all([kill(a), kill(b)]);
      await admin.close();
    }
  });
});
