/**
 * The agent's liveness: what makes its probe fail (a silent wait loop, an endless pass, a silent watch) and what
 * does not (waiting, a pass within its limit, a watch that makes progress). The watch's progress is read from a
 * real ClusterChangeWatch against the fake API server, one answer held back as by a dead connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../core/model.js';
import { ClusterChangeWatch, WATCH_TIMEOUT_SECONDS } from '../../sources/cluster/watch.js';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';
import { kubeconfigConnection } from '../../sources/node/pod-watch.js';
import { AgentLiveness } from './liveness.js';

const limits = { idleLimitMs: 60_000, passLimitMs: 600_000, watchGraceMs: 120_000 };

test('the wait loop and passes: live while the loop ticks and a pass ends within its limit', () => {
  const l = new AgentLiveness(0, limits);
  assert.deepEqual(l.check(59_000), { live: true, state: 'waiting' });
  assert.deepEqual(l.check(61_000), { live: false, state: 'the wait loop has not run for 61 s' });
  l.tick(61_000);
  assert.equal(l.check(62_000).live, true, 'a tick makes it live again');

  l.passStarted(100_000);
  assert.deepEqual(l.check(100_000 + 599_000), { live: true, state: 'passing for 599 s' }, 'a long pass within its limit: the loop does not tick meanwhile');
  assert.deepEqual(l.check(100_000 + 601_000), { live: false, state: 'a pass has been running for 601 s (limit 600 s)' });
  l.passEnded(800_000);
  assert.deepEqual(l.check(801_000), { live: true, state: 'waiting' });
});

test('a watch: live while it makes progress, stale once silent past the API server’s own watch timeout', () => {
  const l = new AgentLiveness(0, limits);
  let silence = 0;
  l.watching(() => silence);
  l.tick(1000);
  const limit = WATCH_TIMEOUT_SECONDS * 1000 + limits.watchGraceMs;
  silence = limit;
  assert.equal(l.check(1000).live, true);
  silence = limit + 1000;
  assert.deepEqual(l.check(1000), { live: false, state: `a watch has been silent for ${Math.round((limit + 1000) / 1000)} s (the API server ends each within ${WATCH_TIMEOUT_SECONDS} s)` });
  l.watching(undefined);
  assert.equal(l.check(1000).live, true, 'no watch (a failed pass keeps none): nothing to be silent');
});

test('ClusterChangeWatch.silence: grows while an answer is held back, restarts with every event, zero once stopped', async () => {
  const api = await startServer([], { faults: [{ path: /^\/api\/v1\/pods\?watch=true/, times: 1, delayMs: 3000 }] });
  const conn = await kubeconfigConnection(writeKubeconfig(api.url, [adminUser()]));
  const changes: string[] = [];
  const w = new ClusterChangeWatch({ conn, from: [{ kind: 'Pod', path: '/api/v1/pods', resourceVersion: '1000' }], known: new Map(), hmacKey: randomBytes(32), onChange: (_kind, why) => changes.push(why) });
  try {
    w.start();
    const started = Date.now();
    await sleep(1000);
    // no answer yet (held back 3 s): the watch has been silent at least since start() returned
    assert.ok(w.silence() >= Date.now() - started - 5, `silent while held back (${w.silence()} ms)`);
    const live = new AgentLiveness(Date.now(), limits);
    live.watching((now) => w.silence(now));
    const past = Date.now() + WATCH_TIMEOUT_SECONDS * 1000 + limits.watchGraceMs + 1000;
    live.tick(past);
    assert.match(live.check(past).state, /^a watch has been silent for \d+ s/, 'held back past the API server’s timeout: stale');

    for (let i = 0; api.watchers() === 0; i++) {
      assert.ok(i < 200, 'the watch was answered');
      await sleep(50);
    }
    const before = Date.now();
    api.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } as KubeObject);
    for (let i = 0; changes.length === 0; i++) {
      assert.ok(i < 200, 'the event arrived');
      await sleep(50);
    }
    assert.ok(w.silence() <= Date.now() - before, 'the event counts as progress');
  } finally {
    await w.stop();
    await api.close();
  }
  assert.equal(w.silence(), 0, 'a stopped watch is not silent');
});
