import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eachStore } from '../../sources/store/test-support/stores.js';
import { finding, pod, uploadBody } from '../../sources/upload/test-support/uploads.js';
import { post } from '../../sources/notify/send.js';
import { ingestUpload } from '../history/ingest.js';
import { requestException } from '../exceptions/workflow.js';
import { catalogResolver } from '../exceptions/rules.js';
import { dispatchEvents } from './dispatch.js';

interface Received {
  path: string;
  event: string;
  delivery: string;
  body: Record<string, unknown>;
}

/** A real HTTP receiver; `failures` answers 500 to the first N requests on a path. */
async function receiver(failures: Record<string, number> = {}) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      const path = req.url ?? '';
      if ((failures[path] ?? 0) > 0) {
        failures[path]--;
        res.writeHead(500).end();
        return;
      }
      got.push({ path, event: String(req.headers['x-kubeguard-event']), delivery: String(req.headers['x-kubeguard-delivery']), body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const now = () => new Date('2026-06-01T12:00:00Z');

eachStore('notifications', (open) => {
  it('each event reaches each channel that takes it once, with replicas dispatching at the same time and a channel failing', async () => {
    const store = await open();
    const rx = await receiver({ '/hook': 1 });
    try {
      await ingestUpload(store, uploadBody({ scannedAt: '2026-06-01T10:00:00.000Z', findings: [finding('pss-privileged', pod('web-1', 'shop'), 'critical')] }), { now: now() });
      await ingestUpload(store, uploadBody({ cluster: 'dev', scannedAt: '2026-06-01T10:00:00.000Z', findings: [finding('pss-privileged', pod('x'), 'critical')] }), { now: now() });
      await requestException(store, { id: 'token:1', name: 'dev', role: 'viewer' }, { rules: ['pss-privileged'], reason: 'CNI' }, now(), catalogResolver);
      const channels = [
        { type: 'webhook' as const, url: `${rx.url}/hook` },
        { type: 'slack' as const, name: 'sec-slack', url: `${rx.url}/slack`, events: ['new-critical'], clusters: ['prod'] },
      ];
      const errors: string[] = [];
      // two replicas at once; the webhook fails its first delivery
      const runs = await Promise.all(['A', 'B'].map((h) => dispatchEvents(store, channels, h, now, post, (c, m) => errors.push(`${c}: ${m}`))));
      assert.equal(runs[0].events + runs[1].events, 3, 'each event claimed by one replica');
      assert.deepEqual(errors, ['webhook-1: the notification was refused: HTTP 500']);
      // the next run sends what failed, and nothing twice
      await dispatchEvents(store, channels, 'A', () => new Date(now().getTime() + 3 * 60_000), post);
      await dispatchEvents(store, channels, 'B', () => new Date(now().getTime() + 6 * 60_000), post);
      const hooks = rx.got.filter((g) => g.path === '/hook');
      assert.deepEqual(hooks.map((h) => h.event).sort(), ['exception-requested', 'new-critical', 'new-critical']);
      assert.equal(new Set(hooks.map((h) => h.delivery)).size, 3);
      const slack = rx.got.filter((g) => g.path === '/slack');
      assert.equal(slack.length, 1, 'only prod’s new-critical');
      assert.equal(slack[0].body.text, '1 new or returning critical finding(s) in prod: pss-privileged on Pod shop/web-1');
      const prodHook = hooks.find((h) => h.body.cluster === 'prod')!;
      assert.equal(prodHook.body.kind, 'new-critical');
      assert.equal(prodHook.body.count, 1);
      const unsent = await store.db.selectFrom('events').select('id').where('sent_at', 'is', null).execute();
      assert.deepEqual(unsent, []);
    } finally {
      await rx.close();
    }
  });

  it('gives up on an event after repeated failures, and says so in the audit log', async () => {
    const store = await open();
    const rx = await receiver({ '/down': 100 });
    try {
      await requestException(store, { id: 'token:1', name: 'dev', role: 'viewer' }, { rules: ['x'], reason: 'r' }, now(), catalogResolver);
      for (let i = 0; i < 11; i++) await dispatchEvents(store, [{ type: 'webhook', url: `${rx.url}/down` }], 'A', () => new Date(now().getTime() + i * 3 * 60_000), post);
      assert.deepEqual(await store.db.selectFrom('events').select('id').where('sent_at', 'is', null).execute(), []);
      const audit = await store.db.selectFrom('audit_log').select('action').where('action', '=', 'notification.give-up').execute();
      assert.equal(audit.length, 1);
    } finally {
      await rx.close();
    }
  });
});
