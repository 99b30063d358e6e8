import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../core/model.js';
import { readCluster } from './index.js';
import { ApiStatusError, ApiTransportError } from './errors.js';
import { REDACTED_DATA_FIELD } from './sanitize.js';
import type { FakeApiServer } from './test-support/api-server.js';
import { sampleCluster } from './test-support/cluster-objects.js';
import { adminUser, b64, startServer, testPki, tokenUser, writeKubeconfig } from './test-support/harness.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const sample = sampleCluster();
const noWait = { sleep: async () => {} };

function kinds(objects: KubeObject[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.kind!] = (out[o.kind!] ?? 0) + 1;
  return out;
}

describe('cluster source against an API server', () => {
  let server: FakeApiServer;
  let kubeconfig: string;

  before(async () => {
    server = await startServer(sample.objects, {
      tokens: { 'dev-token': { name: 'dev', groups: ['devs'] }, 'exec-token-123': { name: 'exec-user', groups: [] } },
      authorize: ({ user, resource, namespace }) => {
        if (user.name !== 'dev') return true;
        if (resource === 'nodes') return false;
        if (resource === 'secrets') return namespace === 'shop'; // may read secrets in shop only
        return true;
      },
    });
    kubeconfig = writeKubeconfig(server.url, [adminUser(), tokenUser('dev', 'dev-token'), tokenUser('wrong', 'not-a-token')]);
  });
  after(() => server.close());

  it('lists every wanted kind with a client certificate, in pages, and fills in apiVersion/kind', async () => {
    server.log.length = 0;
    const state = await readCluster({ kubeconfig, now: NOW, pageSize: 1, retry: noWait });
    assert.deepEqual(state.failures, []);
    assert.equal(state.context, 'admin');
    assert.equal(state.collectedAt, NOW.toISOString());
    assert.deepEqual(kinds(state.objects), kinds(sample.objects));
    // 4 pods with limit=1: four pages, the last three carrying a continue token
    const podRequests = server.log.filter((e) => e.path.startsWith('/api/v1/pods'));
    assert.equal(podRequests.length, 4);
    assert.equal(podRequests.filter((e) => e.path.includes('continue=')).length, 3);
    assert.ok(server.log.every((e) => e.user === 'kubernetes-admin'));
    for (const o of state.objects) {
      assert.ok(o.apiVersion && o.kind, 'list items get apiVersion/kind from the list');
      assert.equal(o.metadata?.managedFields, undefined, `${o.kind}/${o.metadata?.name} keeps managedFields`);
    }
    const deploy = state.objects.find((o) => o.kind === 'Deployment')!;
    assert.equal(deploy.apiVersion, 'apps/v1');
  });

  it('keeps Secret names, types and keys but never their values', async () => {
    const state = await readCluster({ kubeconfig, now: NOW, retry: noWait });
    const secret = state.objects.find((o) => o.kind === 'Secret')!;
    assert.equal(secret.type, 'Opaque');
    assert.equal(secret.data, undefined);
    const redacted = secret[REDACTED_DATA_FIELD] as Record<string, string>;
    assert.deepEqual(Object.keys(redacted).sort(), ['aws-key', 'password']);
    assert.ok(Object.values(redacted).every((v) => /^hmac-sha256:[0-9a-f]{64}$/.test(v)));
    const text = JSON.stringify(state.objects);
    for (const v of sample.secretValues) {
      assert.ok(!text.includes(v), 'a secret value leaked');
      assert.ok(!text.includes(b64(v)), 'a base64 secret value leaked');
    }
    assert.equal(secret.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
  });

  it('records forbidden kinds with their scope and falls back to the namespaces it may read', async () => {
    const state = await readCluster({ kubeconfig, context: 'dev', now: NOW, retry: noWait });
    assert.equal(state.context, 'dev');
    const nodes = state.failures.filter((f) => f.kind === 'Node');
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].status, 403);
    assert.equal(nodes[0].namespace, undefined);
    assert.match(nodes[0].reason, /User "dev" cannot list resource "nodes" in API group "" at the cluster scope/);
    // secrets: forbidden cluster-wide, readable in shop only
    const secretScopes = state.failures.filter((f) => f.kind === 'Secret').map((f) => f.namespace);
    assert.deepEqual(secretScopes, ['default', 'kube-public', 'kube-system', 'payments']);
    assert.equal(state.objects.filter((o) => o.kind === 'Secret').length, 1);
    assert.equal(state.objects.filter((o) => o.kind === 'Node').length, 0);
  });

  it('fails clearly on a token the server does not accept (401)', async () => {
    await assert.rejects(readCluster({ kubeconfig, context: 'wrong', now: NOW, retry: noWait }), (e: unknown) => e instanceof ApiStatusError && e.status === 401);
  });

  it('verifies the server certificate against the kubeconfig CA', async () => {
    const otherCa = (await import('./test-support/certs.js')).createTestCa('other');
    const bad = writeKubeconfig(server.url, [adminUser()], { caData: b64(otherCa.cert) });
    await assert.rejects(readCluster({ kubeconfig: bad, now: NOW, retry: { ...noWait, maxAttempts: 1 } }), ApiTransportError);
  });

  it('rejects an unknown context with the known ones', async () => {
    await assert.rejects(readCluster({ kubeconfig, context: 'nope', now: NOW }), /context "nope" is not in the kubeconfig \(contexts: admin, dev, wrong\)/);
  });

  it('authenticates through an exec credential plugin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeguard-exec-'));
    const plugin = join(dir, 'plugin.mjs');
    writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token-123', expirationTimestamp: '2099-01-01T00:00:00Z' } }));\n`,
    );
    const kc = writeKubeconfig(server.url, [{ name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } } }]);
    server.log.length = 0;
    const state = await readCluster({ kubeconfig: kc, now: NOW, retry: noWait });
    assert.deepEqual(state.failures, []);
    assert.ok(server.log.length > 0 && server.log.every((e) => e.user === 'exec-user'));
  });

  it('uses the in-cluster service-account config', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kubeguard-incluster-'));
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'dev-token');
    writeFileSync(join(sa, 'ca.crt'), testPki().ca.cert);
    writeFileSync(join(sa, 'namespace'), 'shop');
    const url = new URL(server.url);
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
    try {
      server.log.length = 0;
      const state = await readCluster({ inClusterRoot: root, now: NOW, retry: noWait });
      assert.ok(server.log.every((e) => e.user === 'dev'));
      assert.ok(state.failures.some((f) => f.kind === 'Node'), 'the pod identity (dev) may not list nodes');
    } finally {
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      else process.env.KUBERNETES_SERVICE_HOST = saved.host;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
      else process.env.KUBERNETES_SERVICE_PORT = saved.port;
    }
  });
});

describe('cluster source under load and faults', () => {
  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const server = await startServer(sample.objects, { faults: [{ path: /^\/api\/v1\/pods/, times: 2, status: 429, retryAfter: '3' }] });
    try {
      const kc = writeKubeconfig(server.url, [adminUser()]);
      const waits: number[] = [];
      const state = await readCluster({ kubeconfig: kc, now: NOW, retry: { sleep: async (ms) => void waits.push(ms) } });
      assert.deepEqual(state.failures, []);
      assert.deepEqual(waits, [3000, 3000]);
      assert.equal(state.objects.filter((o) => o.kind === 'Pod').length, 4);
      assert.deepEqual(server.log.filter((e) => e.path.startsWith('/api/v1/pods')).map((e) => e.status), [429, 429, 200]);
    } finally {
      await server.close();
    }
  });

  it('really sleeps for Retry-After with the default policy', async () => {
    const server = await startServer(sample.objects, { faults: [{ path: /^\/apis\/apps\/v1\/deployments/, times: 1, status: 429, retryAfter: '1' }] });
    try {
      const kc = writeKubeconfig(server.url, [adminUser()]);
      const started = process.hrtime.bigint();
      const state = await readCluster({ kubeconfig: kc, now: NOW });
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      assert.deepEqual(state.failures, []);
      assert.ok(elapsedMs >= 950, `retried after ${elapsedMs} ms, before the 1 s Retry-After`);
    } finally {
      await server.close();
    }
  });

  it('backs off on 5xx and records a kind that keeps failing, keeping the rest', async () => {
    const server = await startServer(sample.objects, {
      faults: [
        { path: /^\/api\/v1\/pods/, times: 2, status: 503 },
        { path: /^\/api\/v1\/services/, times: 100, status: 500 },
      ],
    });
    try {
      const kc = writeKubeconfig(server.url, [adminUser()]);
      const waits: number[] = [];
      const state = await readCluster({ kubeconfig: kc, now: NOW, retry: { sleep: async (ms) => void waits.push(ms), maxAttempts: 4 } });
      assert.equal(state.objects.filter((o) => o.kind === 'Pod').length, 4);
      assert.deepEqual(state.failures.map((f) => [f.kind, f.status]), [['Service', 500]]);
      assert.match(state.failures[0].reason, /etcdserver: request timed out/);
      assert.equal(server.log.filter((e) => e.path.startsWith('/api/v1/services')).length, 4);
      assert.ok(waits.length >= 5 && waits.every((w) => w > 0 && w <= 30_000));
    } finally {
      await server.close();
    }
  });

  it('gives up on a stalled answer after the timeout and retries', async () => {
    const server = await startServer(sample.objects, { faults: [{ path: /^\/apis\/rbac.authorization.k8s.io\/v1\/clusterroles/, times: 1, delayMs: 1500 }] });
    try {
      const kc = writeKubeconfig(server.url, [adminUser()]);
      const state = await readCluster({ kubeconfig: kc, now: NOW, timeoutMs: 400, retry: noWait });
      assert.deepEqual(state.failures, []);
      assert.equal(state.objects.filter((o) => o.kind === 'ClusterRole').length, 1);
    } finally {
      await server.close();
    }
  });

  it('restarts a list whose continue token expired (410)', async () => {
    const server = await startServer(sample.objects, { expireContinueTokens: true });
    try {
      const kc = writeKubeconfig(server.url, [adminUser()]);
      const state = await readCluster({ kubeconfig: kc, now: NOW, pageSize: 1, retry: noWait });
      assert.deepEqual(state.failures, []);
      assert.deepEqual(kinds(state.objects), kinds(sample.objects));
      assert.ok(server.log.some((e) => e.status === 410));
    } finally {
      await server.close();
    }
  });

  it('lists add-on kinds only where their CRDs are installed', async () => {
    const pa: KubeObject = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system', uid: 'u1', resourceVersion: '9', creationTimestamp: '2026-03-02T09:14:07Z' }, spec: { mtls: { mode: 'STRICT' } } };
    const server = await startServer([...sample.objects, pa], { crds: ['security.istio.io/v1'] });
    try {
      const kc = writeKubeconfig(server.url, [adminUser()]);
      const state = await readCluster({ kubeconfig: kc, now: NOW, retry: noWait });
      assert.deepEqual(state.failures, []);
      assert.equal(state.objects.filter((o) => o.kind === 'PeerAuthentication').length, 1);
    } finally {
      await server.close();
    }
  });

  it('keeps at most `concurrency` requests in flight, namespace fallbacks included', async () => {
    const server = await startServer(sample.objects, {
      tokens: { t: { name: 'dev', groups: [] } },
      authorize: ({ user, resource, namespace }) => user.name !== 'dev' || namespace !== undefined || !['pods', 'secrets', 'services'].includes(resource),
      faults: [{ path: /\/(api|apis)\/.*(pods|secrets|services|deployments|roles|configmaps)/, times: 1000, delayMs: 60 }],
    });
    try {
      const kc = writeKubeconfig(server.url, [tokenUser('dev', 't')]);
      const state = await readCluster({ kubeconfig: kc, now: NOW, concurrency: 3, retry: noWait });
      assert.deepEqual(state.failures, []);
      assert.equal(state.objects.filter((o) => o.kind === 'Pod').length, 4, 'pods read namespace by namespace');
      assert.ok(server.stats.maxInFlight <= 3, `max in flight ${server.stats.maxInFlight}`);
      assert.ok(server.stats.maxInFlight >= 2, 'requests do overlap');
    } finally {
      await server.close();
    }
  });

  it('records the kinds of a group version whose discovery fails, and lists the rest', async () => {
    const server = await startServer(sample.objects, { faults: [{ path: /^\/apis\/networking\.k8s\.io\/v1$/, times: 1000, status: 503 }] });
    try {
      const kc = writeKubeconfig(server.url, [adminUser()]);
      const state = await readCluster({ kubeconfig: kc, now: NOW, retry: { ...noWait, maxAttempts: 2 } });
      assert.deepEqual(state.failures.map((f) => f.kind), ['NetworkPolicy', 'Ingress', 'IngressClass']);
      assert.match(state.failures[0].reason, /discovery of networking.k8s.io\/v1 failed: 503/);
      assert.equal(state.objects.filter((o) => o.kind === 'Pod').length, 4);
    } finally {
      await server.close();
    }
  });
});
