/**
 * The agent against the in-process fake API server (src/sources/cluster/test-support) and a real kubeguard server
 * over SQLite: a pass uploads the cluster under the agent's name, a second pass changes nothing (idempotent), the
 * server's approved exceptions apply, and an object deleted from the cluster is fixed at the next pass. Then the
 * CLI (`kubeguard agent --once`) as a process, as a CronJob would run it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../core/model.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';
import { sampleCluster } from '../../sources/cluster/test-support/cluster-objects.js';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';
import type { Store } from '../../sources/store/open.js';
import { openStore } from '../../sources/store/open.js';
import { ServerExceptions } from '../../sources/upload/server-exceptions.js';
import type { TestServer } from '../../server/test-support/server.js';
import { request, startTestServer } from '../../server/test-support/server.js';
import { kubeguardAsync } from '../../cli/test-support/run-cli.js';
import { createApiToken } from '../access/tokens.js';
import type { AgentSettings } from './cycle.js';
import { agentCycle } from './cycle.js';

interface Item {
  ruleId: string;
  status: string;
  resource: { kind: string; namespace?: string; name: string };
}

describe('kubeguard agent', () => {
  let dir: string;
  let api: FakeApiServer;
  let kubeconfig: string;
  let store: Store;
  let server: TestServer;
  let token: string;
  const sample = sampleCluster();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kg-agent-'));
    api = await startServer(sample.objects);
    kubeconfig = writeKubeconfig(api.url, [adminUser()]);
    store = await openStore(join(dir, 'server.db'));
    server = await startTestServer(store);
    token = (await createApiToken(store, { role: 'uploader', name: 'agent-prod', cluster: 'prod', now: new Date() })).token;
  });
  after(async () => {
    await server.close();
    await store.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settings = (): AgentSettings => ({
    server: server.url,
    token,
    cluster: 'prod',
    config: {},
    kube: { kubeconfig },
    exceptions: new ServerExceptions({ url: server.url, token, cluster: 'prod' }),
    userAgent: 'kubeguard-test agent',
    attempts: 1,
  });
  const items = async (query = '') => (await request(`${server.url}/api/v1/findings?cluster=prod&limit=1000${query}`, { token: server.tokens.viewer })).body.items as Item[];

  it('uploads the cluster, idempotently; applies approved exceptions; a deleted object is fixed at the next pass', async () => {
    const s = settings();
    const first = await agentCycle(s);
    assert.equal(first.objects, sample.objects.length);
    assert.ok(first.findings > 0);
    assert.deepEqual([first.upload.new, first.upload.fixed, first.upload.findings], [first.findings, 0, first.findings]);
    assert.equal((await items('&status=open')).length, first.findings);
    // with the dashboard's records, as scan --cluster --upload sends them
    const get = async (path: string) => (await request(`${server.url}/api/v1/${path}`, { token: server.tokens.viewer })).body;
    assert.deepEqual(((await get('network/clusters')).items as { cluster: string }[]).map((c) => c.cluster), ['prod']);
    assert.equal(((await get('compliance?cluster=prod')).items as unknown[]).length, 5, 'one score per framework');

    const again = await agentCycle(s);
    assert.deepEqual([again.upload.new, again.upload.fixed, again.upload.reopened, again.findings], [0, 0, 0, first.findings], 'the same cluster again changes nothing');

    // an exception approved on the server applies at the next pass: its findings are excepted, not fixed
    const rule = (await items())[0].ruleId;
    const requested = await request(`${server.url}/api/v1/exceptions`, { method: 'POST', token: server.tokens.viewer, body: { rules: [rule], clusters: ['prod'], reason: 'accepted for the test' } });
    assert.equal((await request(`${server.url}/api/v1/exceptions/${requested.body.id}/approve`, { method: 'POST', token: server.tokens.approver, body: {} })).status, 200);
    const third = await agentCycle(s);
    assert.equal(third.exceptions.count, 1);
    assert.ok((await items(`&ruleId=${rule}`)).every((i) => i.status === 'excepted'));
    assert.equal(third.upload.fixed, 0);

    // delete an object that has open findings from the cluster: fixed at the next pass
    const open = (await items('&status=open')).find((i) => i.resource.kind === 'Deployment' || i.resource.kind === 'Pod')!;
    const object = sample.objects.find((o) => o.kind === open.resource.kind && o.metadata?.name === open.resource.name && (o.metadata?.namespace ?? undefined) === open.resource.namespace) as KubeObject;
    api.remove(object);
    const fourth = await agentCycle(s);
    assert.equal(fourth.objects, sample.objects.length - 1);
    assert.ok(Number(fourth.upload.fixed) > 0);
    assert.ok((await items('&status=fixed')).some((i) => i.resource.name === open.resource.name));
    api.apply(object);
    const back = await agentCycle(s);
    assert.ok(Number(back.upload.reopened) > 0, 'the object is back: its findings reopen');
  });

  it('a token for another cluster is refused, and the pass says so', async () => {
    await assert.rejects(agentCycle({ ...settings(), cluster: 'staging', exceptions: new ServerExceptions({ url: server.url, token, cluster: 'staging' }) }), /HTTP 403/);
  });

  it('kubeguard agent --once runs one pass as a process', async () => {
    const r = await kubeguardAsync(['agent', '--once', '--server', server.url, '--cluster-name', 'prod', '--kubeconfig', kubeconfig], { KUBEGUARD_TOKEN: token });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`agent: prod: ${sample.objects.length} objects, \\d+ findings, 1 server exception\\(s\\); uploaded: 0 new, 0 fixed, 0 reopened`));
    assert.ok(!r.stderr.includes(token));
  });
});
