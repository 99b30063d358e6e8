import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSink } from './sink.js';
import { BoundedQueue } from '../sources/node/bounded-queue.js';

async function receiver(failFirst: number) {
  const bodies: { body: string; type?: string; auth?: string }[] = [];
  let failures = failFirst;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (failures-- > 0) {
        res.writeHead(503).end();
        return;
      }
      bodies.push({ body, type: req.headers['content-type'], auth: req.headers.authorization });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('sinks', () => {
  it('posts batches of JSON lines with the bearer token, retrying a receiver that fails for a while', async () => {
    const rx = await receiver(2);
    const sink = openSink(rx.url, { token: 't0k', retryDelayMs: 5 });
    await sink.write(['{"a":1}', '{"b":2}']);
    await sink.close();
    await rx.close();
    assert.deepEqual(rx.bodies, [{ body: '{"a":1}\n{"b":2}\n', type: 'application/x-ndjson', auth: 'Bearer t0k' }]);
    assert.equal(sink.failedEvents, 0);
  });
  it('counts the events of a batch it gave up on', async () => {
    const rx = await receiver(100);
    const sink = openSink(rx.url, { attempts: 3, retryDelayMs: 1 });
    await sink.write(['{}', '{}', '{}']);
    await rx.close();
    assert.equal(sink.failedBatches, 1);
    assert.equal(sink.failedEvents, 3);
  });
  it('writes lines to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-sink-'));
    const sink = openSink(join(dir, 'out.jsonl'));
    await sink.write(['{"x":1}']);
    await sink.write(['{"x":2}']);
    await sink.close();
    assert.equal(readFileSync(join(dir, 'out.jsonl'), 'utf8'), '{"x":1}\n{"x":2}\n');
    rmSync(dir, { recursive: true });
  });
});

describe('BoundedQueue', () => {
  it('holds at most its capacity, drops and counts the rest, hands items out oldest first across the wrap', () => {
    const q = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) q.push(i);
    assert.equal(q.length, 3);
    assert.equal(q.dropped, 2);
    assert.deepEqual(q.take(2), [1, 2]);
    q.push(6);
    q.push(7);
    assert.deepEqual(q.take(10), [3, 6, 7]);
    assert.equal(q.accepted, 5);
  });
  it('wait resolves when an item arrives, or when woken', async () => {
    const q = new BoundedQueue<string>(2);
    const waited = q.wait();
    q.push('x');
    await waited;
    q.take(1);
    const woken = q.wait();
    q.wake();
    await woken;
    assert.equal(q.length, 0);
  });
});
