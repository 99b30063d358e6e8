/**
 * The webhook with the central server's approved exceptions (admission serve --exceptions-from): a real kubeguard
 * server over a SQLite store, the exceptions workflow driven over its HTTP API, and the webhook over HTTPS. An
 * approval reaches admission at the next refresh, a revocation too; a server that cannot be reached leaves the
 * last good set in force, said in the log (once) and the metrics; a restarted webhook finds it in its cache file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../sources/store/open.js';
import { openStore } from '../sources/store/open.js';
import { ServerExceptions } from '../sources/upload/server-exceptions.js';
import type { TestServer } from '../server/test-support/server.js';
import { request, startTestServer } from '../server/test-support/server.js';
import { createApiToken } from '../usecases/access/tokens.js';
import type { TestWebhook } from './test-support/harness.js';
import { admissionReview, asReply, startTestWebhook } from './test-support/harness.js';
import { privilegedPod } from './test-support/objects.js';

let dir: string;
let store: Store;
let server: TestServer;

async function approved(body: Record<string, unknown>): Promise<number> {
  const requested = await request(`${server.url}/api/v1/exceptions`, { method: 'POST', token: server.tokens.viewer, body: { reason: 'the CNI agent needs it', ...body } });
  assert.equal(requested.status, 201, JSON.stringify(requested.body));
  const id = requested.body.id as number;
  assert.equal((await request(`${server.url}/api/v1/exceptions/${id}/approve`, { method: 'POST', token: server.tokens.approver, body: {} })).status, 200);
  return id;
}

function metric(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

function webhookFor(cluster: string, token: string, cacheFile?: string): Promise<TestWebhook> {
  const source = new ServerExceptions({ url: server.url, token, cluster, ...(cacheFile && { cacheFile }), timeoutMs: 5000 });
  return startTestWebhook({}, { serverExceptions: { source, cluster, intervalMs: 3_600_000 } });
}

const admitted = async (hook: TestWebhook) => asReply(await hook.post('/validate', admissionReview(privilegedPod()))).response.allowed;

describe("admission with the server's approved exceptions", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-admission-exceptions-'));
    store = await openStore(join(dir, 'server.db'));
    server = await startTestServer(store);
  });
  after(async () => {
    await server.close().catch(() => {});
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies approvals and revocations at the next refresh; keeps the last good set while the server is away', async () => {
    const cache = join(dir, 'cache', 'prod.json');
    const hook = await webhookFor('prod', server.tokens.uploader, cache);
    const poller = hook.webhook.serverExceptions!;
    try {
      assert.equal(await admitted(hook), false, 'nothing excepted yet');
      const id = await approved({ rules: ['*'], clusters: ['prod'], namespaces: ['shop'], names: ['root'] });
      await approved({ rules: ['*'], clusters: ['staging'] }); // another cluster's: never applies here
      assert.equal(await admitted(hook), false, 'not before the next refresh');
      await poller.refresh();
      assert.equal(poller.exceptions().length, 1);
      assert.equal(await admitted(hook), true, 'approved on the server: admitted');
      assert.ok(hook.logs.some((l) => l.msg === 'exceptions at admission' && JSON.stringify(l.suppressed).includes('the CNI agent needs it')));
      assert.equal(statSync(cache).mode & 0o777, 0o600, 'the cache file is for this user only');

      assert.equal((await request(`${server.url}/api/v1/exceptions/${id}/revoke`, { method: 'POST', token: server.tokens.admin, body: {} })).status, 200);
      await poller.refresh();
      assert.equal(await admitted(hook), false, 'revoked on the server: denied again');

      await approved({ rules: ['*'], clusters: ['prod'], namespaces: ['shop'] });
      await poller.refresh();
      assert.equal(await admitted(hook), true);
      await server.close(); // the server goes away
      await poller.refresh();
      await poller.refresh();
      assert.equal(await admitted(hook), true, 'the last good set stays in force');
      const warned = hook.logs.filter((l) => l.msg === 'server exceptions: refresh failed; the last good set stays in force');
      assert.equal(warned.length, 2, 'both failures logged');
      assert.deepEqual(warned.map((l) => l.level), ['warn', 'debug'], 'a warning when it starts failing, not at every tick');
      assert.equal(warned[0].exceptions, 1);
      const metrics = (await hook.get('/metrics')).text;
      assert.equal(metric(metrics, 'kubeguard_admission_server_exceptions_refreshes_total', '{outcome="unreachable"}'), 2);
      assert.equal(metric(metrics, 'kubeguard_admission_server_exceptions_refreshes_total', '{outcome="ok"}'), 4);
      assert.equal(metric(metrics, 'kubeguard_admission_server_exceptions'), 1);
      assert.ok(metric(metrics, 'kubeguard_admission_server_exceptions_age_seconds')! >= 0);
    } finally {
      await hook.close();
    }

    // a webhook restarted while the server is away starts from its cache file; another cluster's cache is not used
    const restarted = await webhookFor('prod', server.tokens.uploader, cache);
    try {
      assert.equal(await admitted(restarted), true);
      const warn = restarted.logs.find((l) => l.level === 'warn' && String(l.msg).startsWith('server exceptions'));
      assert.equal(warn?.fromCache, true, JSON.stringify(warn));
    } finally {
      await restarted.close();
    }
    const other = await webhookFor('staging', server.tokens.uploader, cache);
    try {
      assert.equal(await admitted(other), false, 'a cache of another cluster is not trusted');
      assert.ok(other.logs.some((l) => l.msg === 'server exceptions: refresh failed; none in force yet (config exceptions only)'));
    } finally {
      await other.close();
    }
  });

  it('a token the server refuses is a refusal, not an outage', async () => {
    const s2 = await startTestServer(store);
    const bound = (await createApiToken(store, { role: 'uploader', cluster: 'prod', now: new Date() })).token;
    const source = new ServerExceptions({ url: s2.url, token: bound, cluster: 'staging' });
    try {
      const r = await source.refresh();
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.refused && /HTTP 403/.test(r.error), JSON.stringify(r));
      assert.ok(!JSON.stringify(r).includes(bound), 'the token is in no message');
    } finally {
      await s2.close();
    }
  });
});
