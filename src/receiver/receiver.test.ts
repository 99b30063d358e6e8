/**
 * `runtime serve`'s receivers with real HTTP posts in the formats the senders use: Falco's http_output and
 * falcosidekick's webhook (one JSON alert per POST, application/json), the API server's audit webhook backend (an
 * audit.k8s.io/v1 EventList per batch), the kubeguard sensor (JSON lines); and incidents from other nodes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readTestdata } from '../test-support/testdata.js';
import { RuntimeService } from '../usecases/runtime/serve.js';
import { createReceiver } from './server.js';
import { createReceiverMetrics } from './metrics.js';
import { slackSink, webhookSink } from '../sources/sinks/outputs.js';
import type { IncidentSink, IncidentUpdate } from '../sources/sinks/sink.js';
import type { KubeguardConfig } from '../engine/config.js';
import { httpsCall, newCertificates } from '../admission/test-support/harness.js';

function memorySink(): IncidentSink & { updates: IncidentUpdate[] } {
  const updates: IncidentUpdate[] = [];
  return { name: 'memory', updates, send: async (u) => void updates.push(u), close: async () => {} };
}

async function start(sinks: IncidentSink[], options: { token?: string; config?: KubeguardConfig; maxBody?: number } = {}) {
  const service = new RuntimeService({ config: options.config ?? {}, sinks, now: Date.now });
  const metrics = createReceiverMetrics(service, { processMetrics: false });
  const receiver = createReceiver({ service, metrics, host: '127.0.0.1', port: 0, token: options.token, maxBody: options.maxBody, sweepMs: 0 });
  const { port } = await receiver.listen();
  return { service, receiver, port };
}

function post(port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body === '' && headers['x-method'] ? headers['x-method'] : 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const get = (port: number, path: string, headers: Record<string, string> = {}) => post(port, path, '', { 'x-method': 'GET', ...headers });

describe('runtime serve receivers', () => {
  it('/falco: each alert as Falco http_output posts it; incidents open at once and close on shutdown', async () => {
    const sink = memorySink();
    const { service, receiver, port } = await start([sink]);
    try {
      const alerts = readTestdata('falco-events', 'docs-examples.jsonl').trim().split('\n');
      for (const a of alerts) {
        const r = await post(port, '/falco', a, { 'user-agent': 'falcosecurity/falco' });
        assert.equal(r.status, 200);
        assert.deepEqual(r.json, { read: 1, skipped: 0 });
      }
      await service.flush();
      const opened = sink.updates.filter((u) => u.state === 'open').map((u) => u.incident.ruleId).sort();
      // pod alpine's second shell (months later) reopens the same incident key: within the window it is not sent again
      assert.deepEqual(opened, ['runtime-api-server-contact', 'runtime-api-server-contact', 'runtime-sensor-alert', 'runtime-shell-in-container', 'runtime-shell-in-container']);
      const open = (await get(port, '/incidents')).json as { incidents: unknown[] };
      assert.equal(open.incidents.length, 5);
    } finally {
      await receiver.close();
    }
    assert.equal(sink.updates.filter((u) => u.state === 'closed').length, 5, 'a close for each open that was sent');
  });

  it('/audit: an EventList batch as the audit webhook backend posts it', async () => {
    const sink = memorySink();
    const { service, receiver, port } = await start([sink]);
    try {
      const items = ['exec_pod.json', 'attach_cluster_admin_role.json', 'create_nginx_pod_privileged.json', 'create_deployment.json'].map((f) => JSON.parse(readTestdata('k8s-audit', 'falco-trace-files', f)));
      const r = await post(port, '/audit', JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items }), { 'user-agent': 'kube-apiserver-admission' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { read: 4, skipped: 0 });
      await service.flush();
      assert.deepEqual(sink.updates.map((u) => u.incident.ruleId).sort(), ['audit-cluster-admin-binding', 'audit-exec-attach', 'audit-privileged-pod']);
    } finally {
      await receiver.close();
    }
  });

  it('/events: the sensor\'s JSON lines; a broken line is counted, the rest read', async () => {
    const sink = memorySink();
    const { service, receiver, port } = await start([sink]);
    try {
      const lines = ['{"v":1,"kind":"process.exec","time":"2024-05-02T10:00:00Z","workload":{"namespace":"shop","pod":"web-0","container":"web"},"process":{"name":"xmrig","args":[]}}', 'garbage', ''];
      const r = await post(port, '/events', lines.join('\n'), { 'content-type': 'application/x-ndjson' });
      assert.deepEqual(r.json, { read: 1, skipped: 1 });
      await service.flush();
      assert.equal(sink.updates[0].incident.ruleId, 'runtime-crypto-mining');
      const metrics = (await get(port, '/metrics')).text;
      assert.match(metrics, /kubeguard_runtime_events_total\{format="kubeguard"\} 1/);
      assert.match(metrics, /kubeguard_runtime_records_skipped_total\{reason="not JSON"\} 1/);
      assert.match(metrics, /kubeguard_runtime_incident_updates_total\{state="open",origin="local",outcome="sent"\} 1/);
    } finally {
      await receiver.close();
    }
  });

  it('a token is required when set; bodies are bounded; unknown paths and methods are refused', async () => {
    const { receiver, port } = await start([memorySink()], { token: 's3cret-token', maxBody: 1024 });
    try {
      const alert = readTestdata('falco-events', 'docs-examples.jsonl').split('\n')[0];
      assert.equal((await post(port, '/falco', alert)).status, 401);
      assert.equal((await post(port, '/falco', alert, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await post(port, '/falco', 'x'.repeat(2000), { authorization: 'Bearer s3cret-token' })).status, 413);
      assert.equal((await post(port, '/nope', '{}', { authorization: 'Bearer s3cret-token' })).status, 404);
      assert.equal((await get(port, '/falco', { authorization: 'Bearer s3cret-token' })).status, 405);
      assert.equal((await get(port, '/healthz')).status, 200, 'health needs no token');
      assert.equal((await get(port, '/readyz')).status, 200);
    } finally {
      await receiver.close();
    }
  });

  it('serves HTTPS with the given certificate', async () => {
    const certs = await newCertificates();
    const service = new RuntimeService({ config: {}, sinks: [memorySink()], now: Date.now });
    const receiver = createReceiver({ service, metrics: createReceiverMetrics(service, { processMetrics: false }), host: '127.0.0.1', port: 0, tls: { cert: certs.server.cert, key: certs.server.key }, sweepMs: 0 });
    const { port } = await receiver.listen();
    try {
      const r = await httpsCall(port, certs.ca.cert, 'POST', '/falco', readTestdata('falco-events', 'docs-examples.jsonl').split('\n')[0]);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { read: 1, skipped: 0 });
    } finally {
      await receiver.close();
    }
  });
});

describe('one incident, many nodes', () => {
  it('two nodes see the same problem; through the aggregator Slack gets one message, not one per node', async () => {
    const slackPosts: unknown[] = [];
    const slack = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        slackPosts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    const slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/XXXX`;
    const aggregator = await start([slackSink(slackUrl)]);
    const toAggregator = `http://127.0.0.1:${aggregator.port}/incidents`;
    const nodeA = await start([webhookSink(toAggregator)]);
    const nodeB = await start([webhookSink(toAggregator)]);
    try {
      // the same Deployment's pods on two nodes both run a miner (Tetragon on each node)
      const exec = (node: string, pod: string) =>
        JSON.stringify({ process_exec: { process: { exec_id: `${node}${pod}`, pid: 99, uid: 0, binary: '/tmp/xmrig', arguments: '-o pool.supportxmr.com:443', pod: { namespace: 'shop', name: pod, container: { name: 'web' }, workload: 'web', workload_kind: 'Deployment' } } }, node_name: node, time: '2024-05-02T10:00:00Z' });
      await post(nodeA.port, '/events', exec('node-a', 'web-7d4b9c6f5d-aaaaa'));
      await post(nodeB.port, '/events', exec('node-b', 'web-7d4b9c6f5d-bbbbb'));
      await nodeA.service.flush();
      await nodeB.service.flush();
      await aggregator.service.flush();
      assert.equal(aggregator.service.remoteIncidents, 2, 'both nodes reported it');
      assert.equal(slackPosts.length, 1, 'Slack got it once');
      assert.match((slackPosts[0] as { text: string }).text, /CRITICAL runtime-crypto-mining in Deployment shop\/web/);
    } finally {
      await nodeA.receiver.close();
      await nodeB.receiver.close();
      await aggregator.receiver.close();
      slack.close();
    }
  });
});

describe("the central server's exceptions (runtime serve --upload)", () => {
  it('an exception approved on the server stops new detections beside the config’s; withdrawn, they come back', async () => {
    const line = readTestdata('falco-events', 'docs-examples.jsonl').split('\n')[0];
    const plain = memorySink();
    const reference = new RuntimeService({ config: {}, sinks: [plain], now: Date.now });
    reference.ingest(line, 'test');
    await reference.flush();
    assert.ok(plain.updates.length > 0, 'the event is an incident without exceptions');
    const ruleId = plain.updates[0].incident.ruleId;

    const sink = memorySink();
    const service = new RuntimeService({ config: { exceptions: [{ rules: ['some-other-rule'], reason: 'config' }] }, sinks: [sink], now: Date.now });
    service.setServerExceptions([{ rules: [ruleId], reason: 'approved on the server' }]);
    service.ingest(line, 'test');
    await service.flush();
    assert.equal(sink.updates.length, 0);
    service.setServerExceptions([]);
    service.ingest(line, 'test');
    await service.flush();
    assert.deepEqual(sink.updates.map((u) => u.incident.ruleId), [ruleId]);
  });
});
