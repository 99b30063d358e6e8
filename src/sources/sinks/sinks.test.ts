import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DedupeSink, minSeverity, type IncidentSink, type IncidentUpdate } from './sink.js';
import { fileSink, slackMessage, slackSink, webhookSink, sinksFromConfig } from './outputs.js';

const update = (key: string, state: 'open' | 'closed' = 'open', severity: 'high' | 'low' = 'high'): IncidentUpdate => ({
  state,
  key,
  incident: { ruleId: 'runtime-shell-in-container', severity, workload: { namespace: 'shop', name: 'web', kind: 'Deployment' }, count: 1, firstSeen: '2024-05-02T10:00:00Z', lastSeen: '2024-05-02T10:00:00Z', evidence: [], context: { message: 'Shell bash with a terminal in container web' } },
});

function memory(): IncidentSink & { got: IncidentUpdate[] } {
  const got: IncidentUpdate[] = [];
  return { name: 'm', got, send: async (u) => void got.push(u), close: async () => {} };
}

async function receiver(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('incident sinks', () => {
  it('dedupe: one opening per key within the window, a close only for an opening that was sent, bounded', async () => {
    let now = 0;
    const inner = memory();
    const d = new DedupeSink(inner, 1000, () => now, 2);
    await d.send(update('a'));
    await d.send(update('a'));
    await d.send(update('a', 'closed'));
    await d.send(update('a', 'closed'));
    now = 5000;
    await d.send(update('a'));
    assert.deepEqual(inner.got.map((u) => `${u.key} ${u.state}`), ['a open', 'a closed', 'a open']);
    assert.equal(d.suppressed, 2);
    await d.send(update('b'));
    await d.send(update('c'));
    await d.send(update('a'));
    assert.equal(inner.got.length, 6, 'a was forgotten past the capacity of 2 keys');
  });

  it('minSeverity drops what is below it', async () => {
    const inner = memory();
    const s = minSeverity(inner, 'high');
    await s.send(update('a', 'open', 'low'));
    await s.send(update('b', 'open', 'high'));
    assert.deepEqual(inner.got.map((u) => u.key), ['b']);
  });

  it('file sink appends JSON lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-sink-'));
    try {
      const f = join(dir, 'incidents.jsonl');
      const s = fileSink(f);
      await s.send(update('a'));
      await s.send(update('a', 'closed'));
      await s.close();
      assert.deepEqual(readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l).state), ['open', 'closed']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('webhook retries 503 (honouring Retry-After) and delivers in order, with its headers', async () => {
    const got: { body: string; auth?: string }[] = [];
    let calls = 0;
    const r = await receiver((req, body, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(503, { 'retry-after': '0' });
        return res.end();
      }
      got.push({ body, auth: req.headers.authorization });
      res.end('{}');
    });
    try {
      const s = webhookSink(r.url, { authorization: 'Bearer t0k3n' }, { baseDelayMs: 1 });
      await s.send(update('a'));
      await s.send(update('b'));
      await s.close();
      assert.deepEqual(got.map((g) => JSON.parse(g.body).key), ['a', 'b']);
      assert.equal(got[0].auth, 'Bearer t0k3n');
      assert.deepEqual(s.stats, { sent: 2, failed: 0, dropped: 0 });
    } finally {
      await r.close();
    }
  });

  it('webhook gives up on a 4xx and after the retries, counting the failures without throwing', async () => {
    const r = await receiver((_req, _body, res) => {
      res.writeHead(400);
      res.end();
    });
    try {
      const s = webhookSink(r.url, {}, { baseDelayMs: 1 });
      await s.send(update('a'));
      const down = webhookSink('http://127.0.0.1:1/nowhere', {}, { baseDelayMs: 1, retries: 1 });
      await down.send(update('b'));
      assert.deepEqual([s.stats.failed, down.stats.failed], [1, 1]);
    } finally {
      await r.close();
    }
  });

  it('slack: a message with text and blocks when an incident opens, nothing when it closes', async () => {
    const posts: { text: string; blocks: unknown[] }[] = [];
    const r = await receiver((_req, body, res) => {
      posts.push(JSON.parse(body));
      res.end('ok');
    });
    try {
      const s = slackSink(r.url);
      await s.send(update('a'));
      await s.send(update('a', 'closed'));
      await s.close();
      assert.equal(posts.length, 1);
      assert.equal(posts[0].text, slackMessage(update('a')).text);
      assert.match(posts[0].text, /^:red_circle: HIGH runtime-shell-in-container in Deployment shop\/web: Shell bash/);
    } finally {
      await r.close();
    }
  });

  it('sinks from config need their target; errors do not echo URLs', () => {
    assert.throws(() => sinksFromConfig([{ type: 'slack' }]), /runtime\.sinks\[0\] \(slack\) needs url/);
    assert.equal(sinksFromConfig([{ type: 'stdout', minSeverity: 'high' }]).length, 1);
  });
});
