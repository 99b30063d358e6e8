/** The adapters on real producer output (testdata/, see each SOURCE.md) and on the shapes each producer documents. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { EventReader, READ_LIMITS, readEventsText } from './reader.js';
import { readTestdata, testdataPath } from '../../test-support/testdata.js';
import type { RuntimeEvent } from '../../core/events/model.js';

const read = (...p: string[]) => readEventsText(readTestdata(...p), p.join('/'));
const only = <K extends RuntimeEvent['kind']>(e: RuntimeEvent, kind: K) => {
  assert.equal(e.kind, kind);
  return e as Extract<RuntimeEvent, { kind: K }>;
};

describe('Falco JSON alerts', () => {
  it('maps the documented alerts to the events they describe, keeping the rule and priority', () => {
    const { events, stats } = read('falco-events', 'docs-examples.jsonl');
    assert.deepEqual({ read: stats.read, skipped: stats.skipped }, { read: 6, skipped: 0 });
    assert.deepEqual(events.map((e) => e.kind), ['process.exec', 'process.exec', 'network.connect', 'process.exec', 'network.connect', 'file.access']);
    const shell = only(events[0], 'process.exec');
    assert.deepEqual(shell.workload, { node: 'falco-xczjd', namespace: 'default', pod: 'kubecon', owner: { name: 'kubecon' }, containerId: 'ee97d9c4186f', image: 'docker.io/library/alpine' });
    assert.equal(shell.process.name, 'sh');
    assert.deepEqual(shell.process.args.slice(0, 2), ['-c', 'clear;']);
    assert.equal(shell.process.tty, true);
    assert.equal(shell.process.loginUid, undefined, 'loginuid -1 means unset');
    assert.deepEqual(shell.origin, { source: 'falco', rule: 'Terminal shell in container', priority: 'Critical', tags: ['container', 'mitre_execution', 'shell'] });
    assert.equal(shell.ts, Date.UTC(2023, 4, 25, 13, 44, 5, 478));
    const api = only(events[2], 'network.connect');
    assert.deepEqual(api.network.src, { ip: '172.17.0.9', port: 43812 });
    assert.deepEqual(api.network.dst, { ip: '10.96.0.1', port: 443 });
    assert.equal(api.workload.image, 'devopps/falco-pod-delete:latest');
    assert.equal(api.workload.owner?.name, 'falco-pod-delete');
    const write = only(events[5], 'file.access');
    assert.deepEqual(write.file, { path: '/bin/hack', op: 'write' });
  });

  it('reads the alerts of Falco\'s own regression output (no container fields: workload carries only the node)', () => {
    const { events, stats } = read('falco-events', 'falco-test-expected-output_single_rule_with_cat_write.jsonl');
    assert.equal(stats.read, 8);
    for (const e of events) {
      assert.deepEqual(e.workload, { node: 'test-falco-hostname' });
      assert.equal(only(e, 'process.exec').process.name, 'cat');
    }
  });

  it('k8s_audit alerts become API requests; container.id "host" marks a host process', () => {
    const audit = { time: '2024-01-01T00:00:00Z', rule: 'Attach/Exec Pod', priority: 'Notice', source: 'k8s_audit', output: 'x', output_fields: { 'ka.verb': 'create', 'ka.user.name': 'alice', 'ka.target.resource': 'pods', 'ka.target.subresource': 'exec', 'ka.target.namespace': 'shop', 'ka.target.name': 'web-0', 'ka.response.code': 101 } };
    const host = { time: '2024-01-01T00:00:00Z', rule: 'Run shell untrusted', priority: 'Notice', output: 'x', hostname: 'node-1', output_fields: { 'container.id': 'host', 'proc.name': 'bash', 'proc.exepath': '/usr/bin/bash', 'proc.cmdline': 'bash -i' } };
    const { events } = readEventsText([audit, host].map((x) => JSON.stringify(x)).join('\n'));
    const a = only(events[0], 'k8s.api');
    assert.deepEqual(a.api.resource, { resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web-0' });
    assert.deepEqual(a.workload, { namespace: 'shop', pod: 'web-0', owner: { name: 'web' } });
    const h = only(events[1], 'process.exec');
    assert.deepEqual(h.workload, { node: 'node-1', host: true });
    assert.deepEqual(h.process.args, ['-i']);
    assert.equal(h.process.binary, '/usr/bin/bash');
  });
});

describe('Tetragon export', () => {
  it('maps exec, the legacy connect, exit and a write kprobe of one curl lifecycle', () => {
    const { events, stats } = read('tetragon-events', 'tetragon-book_security-observability-with-ebpf.jsonl');
    assert.equal(stats.skipped, 0);
    assert.deepEqual(events.map((e) => e.kind), ['process.exec', 'network.connect', 'process.exit', 'file.access']);
    const exec = only(events[0], 'process.exec');
    assert.equal(exec.workload.imageDigest, 'sha256:ff3aa5862fd17f8695984609743f4523188984adbcd25cf5ac4224b71084558c');
    assert.equal(exec.workload.containerId, 'docker://86eb9e29a77d432afc7a15b424db1d24a382f3caae26f860ab22df8cb5e96054');
    assert.deepEqual(exec.process.args, ['www.google.com']);
    assert.equal(exec.process.parent?.binary, '/bin/bash');
    const conn = only(events[1], 'network.connect');
    assert.deepEqual(conn.network.dst, { ip: '142.250.180.196', port: 80 });
    const file = only(events[3], 'file.access');
    assert.deepEqual(file.file, { path: '/etc/passwd', op: 'write' });
  });

  it('a process outside every pod is a host process; pod workload names and quoted arguments are kept', () => {
    const { events } = read('tetragon-events', 'tetragon-docs_examples.jsonl');
    const host = events.filter((e) => e.workload.host);
    assert.ok(host.length >= 1);
    for (const h of host) assert.equal(h.workload.pod, undefined);
    const curl = only(events[0], 'process.exec');
    assert.deepEqual(curl.workload.owner, { name: 'xwing' });
    assert.deepEqual(curl.process.parent?.args, ['-c', 'curl https://ebpf.io/applications/#tetragon']);
  });

  it('an OSS tcp_connect kprobe (KprobeSock fields) is a connection; unmapped hooks are skipped with a reason', () => {
    const process = { exec_id: 'x', pid: 7, binary: '/usr/bin/curl', arguments: 'http://192.0.2.1/', pod: { namespace: 'default', name: 'xwing', container: { name: 'spaceship' } } };
    const connect = { process_kprobe: { process, function_name: 'tcp_connect', args: [{ sock_arg: { family: 'AF_INET', type: 'SOCK_STREAM', protocol: 'IPPROTO_TCP', saddr: '10.32.0.19', daddr: '104.198.14.52', sport: 33978, dport: 443 } }], action: 'KPROBE_ACTION_POST' }, node_name: 'n', time: '2024-01-01T00:00:00Z' };
    const close = { process_kprobe: { process, function_name: 'tcp_close', args: [{ sock_arg: { saddr: '10.32.0.19' } }] }, node_name: 'n', time: '2024-01-01T00:00:01Z' };
    const { events, stats } = readEventsText(JSON.stringify(connect) + '\n' + JSON.stringify(close));
    assert.equal(events.length, 1);
    assert.deepEqual(only(events[0], 'network.connect').network, { protocol: 'TCP', src: { ip: '10.32.0.19', port: 33978 }, dst: { ip: '104.198.14.52', port: 443 }, direction: 'egress' });
    assert.deepEqual(stats.reasons, { 'Tetragon kprobe hook not mapped': 1 });
  });
});

describe('Kubernetes audit events', () => {
  const traces = readdirSync(testdataPath('k8s-audit', 'falco-trace-files')).sort();

  it('reads every Falco trace (v1, v1beta1 and apiVersion-less events); the deliberately invalid one is an unknown record', () => {
    let n = 0;
    for (const f of traces) {
      const { events, stats } = read('k8s-audit', 'falco-trace-files', f);
      if (f === 'fal_01_003.json') {
        assert.deepEqual({ read: stats.read, reasons: stats.reasons }, { read: 0, reasons: { 'unknown format': 1 } });
        continue;
      }
      assert.equal(stats.skipped, 0, f);
      for (const e of events) only(e, 'k8s.api');
      n += events.length;
    }
    assert.equal(n, 51);
  });

  it('an exec into a pod is attributed to that pod; the actor is the user', () => {
    const e = only(read('k8s-audit', 'falco-trace-files', 'exec_pod.json').events[0], 'k8s.api');
    assert.deepEqual(e.workload, { namespace: 'default', pod: 'nginx-deployment-7998647bdf-phvq7', owner: { name: 'nginx-deployment' } });
    assert.equal(e.api.user.username, 'minikube-user');
    assert.equal(e.api.resource?.subresource, 'exec');
    assert.equal(e.api.code, 101);
    assert.equal(e.id, 'ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6');
  });

  it('one request is one event: RequestReceived skipped, exec kept at ResponseStarted, others at ResponseComplete', () => {
    const base = JSON.parse(readTestdata('k8s-audit', 'falco-trace-files', 'exec_pod.json'));
    const stages = ['RequestReceived', 'ResponseStarted', 'ResponseComplete'].map((stage) => JSON.stringify({ ...base, stage }));
    const exec = readEventsText(stages.join('\n'));
    assert.deepEqual(exec.events.map((e) => only(e, 'k8s.api').api.stage), ['ResponseStarted']);
    const get = { ...base, verb: 'get', objectRef: { resource: 'pods', namespace: 'default', name: 'p', apiVersion: 'v1' } };
    const short = readEventsText(['RequestReceived', 'ResponseComplete'].map((stage) => JSON.stringify({ ...get, stage })).join('\n'));
    assert.deepEqual(short.events.map((e) => only(e, 'k8s.api').api.stage), ['ResponseComplete']);
    assert.equal(exec.stats.skipped + short.stats.skipped, 3);
    const refused = readEventsText(['RequestReceived', 'ResponseComplete'].map((stage) => JSON.stringify({ ...base, stage, responseStatus: { code: 403 } })).join('\n'));
    assert.deepEqual(refused.events.map((e) => only(e, 'k8s.api').api.code), [403], 'a refused exec never starts: its ResponseComplete is kept');
  });

  it('never keeps a Secret value: request and response objects about secrets keep kind, type and names only', () => {
    const base = JSON.parse(readTestdata('k8s-audit', 'falco-trace-files', 'create_secret.json'));
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'example-secret', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"czNjcjN0"}}' } }, data: { password: 'czNjcjN0' }, stringData: { token: 's3cr3t' } };
    const list = { apiVersion: 'v1', kind: 'SecretList', items: [secret] };
    const lines = [{ ...base, level: 'RequestResponse', requestObject: secret, responseObject: secret }, { ...base, verb: 'list', level: 'RequestResponse', objectRef: { resource: 'secrets', apiVersion: 'v1' }, responseObject: list }];
    const { events } = readEventsText(lines.map((l) => JSON.stringify(l)).join('\n'));
    assert.equal(events.length, 2);
    const text = JSON.stringify(events);
    for (const s of ['czNjcjN0', 's3cr3t', 'last-applied']) assert.ok(!text.includes(s), s);
    assert.deepEqual(only(events[0], 'k8s.api').api.requestObject, { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'example-secret', namespace: 'default' } });
  });

  it('reads an EventList (the webhook backend body), pretty-printed or not, and a JSON array', () => {
    const items = ['exec_pod.json', 'attach_pod.json', 'create_secret.json'].map((f) => JSON.parse(readTestdata('k8s-audit', 'falco-trace-files', f)));
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items };
    for (const text of [JSON.stringify(list), JSON.stringify(list, null, 2), JSON.stringify(items, null, 1)]) {
      const { events, stats } = readEventsText(text);
      assert.equal(events.length, 3);
      assert.equal(stats.skipped, 0);
    }
  });

  it('reads AKS diagnostic records and GKE Cloud Audit Log entries (Panther cases)', () => {
    const cases = readTestdata('k8s-audit', 'panther-k8s-audit-cases.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    const aks = cases.find((c) => c.format === 'aks-diagnostic-wrapped' && c.rule_id === 'Kubernetes.Pod.Exec');
    const gke = cases.find((c) => c.format === 'gke-cloud-audit-log' && c.rule_id === 'Kubernetes.Pod.Exec' && c.expected_result);
    assert.ok(aks && gke);
    // Panther's hand-written logs carry no timestamps; a real record always has one (AKS `time`, GKE `timestamp`)
    const { events } = readEventsText([{ ...aks.raw_log, time: '2024-01-01T00:00:00Z' }, { ...gke.raw_log, timestamp: '2024-01-01T00:00:01Z' }].map((r) => JSON.stringify(r)).join('\n'));
    assert.equal(events.length, 2);
    const g = only(events[1], 'k8s.api');
    assert.equal(g.api.verb, 'create');
    assert.deepEqual(g.api.resource, { group: '', version: 'v1', resource: 'pods', subresource: 'exec', namespace: 'default', name: 'nginx-pod' });
    assert.deepEqual(g.api.user, { username: 'user@company.com' });
    assert.equal(g.api.decision, 'allow');
    assert.equal(only(events[0], 'k8s.api').api.resource?.subresource, 'exec');
  });
});

describe('Hubble flows', () => {
  it('reads every flow of the captured samples', () => {
    for (const [file, n] of [['hubble-otel_basic-sample-10-flows.jsonl', 10], ['hubble-otel_basic-sample-330-dns-flows.jsonl', 330], ['hubble-otel_basic-sample-348-http-flows.jsonl', 348], ['hubble-otel_basic-sample-400-tcp-flows.jsonl', 400], ['cilium-docs_exporter-dropped-flows.jsonl', 2]] as const) {
      const { events, stats } = read('hubble-flows', file);
      assert.deepEqual({ read: stats.read, skipped: stats.skipped }, { read: n, skipped: 0 }, file);
      for (const e of events) only(e, 'network.flow');
    }
  });

  it('attributes an egress flow to its source, with identity from the k8s: labels, and keeps L7 DNS and HTTP', () => {
    const dns = read('hubble-flows', 'hubble-otel_basic-sample-5-dns-flows.jsonl').events.map((e) => only(e, 'network.flow'));
    assert.deepEqual(dns[0].workload, { cluster: 'default', node: 'gke-ilya-otel-demo-2-ilya-otel-demo-2-dac8cc20-hr0z', namespace: 'kube-system', pod: 'node-local-dns-88zrp', owner: { name: 'node-local-dns' }, serviceAccount: 'node-local-dns', labels: { 'k8s-app': 'node-local-dns' } });
    assert.deepEqual(dns[0].network.dns, { query: 'istiod-istio-1611.istio-system.svc.istio-system.svc.cluster.local.', qtypes: ['A'], response: false });
    assert.equal(dns[1].network.dns?.rcode, 3);
    assert.equal(dns[1].network.reply, true);
    const http = only(read('hubble-flows', 'hubble-otel_basic-sample-5-http-flows.jsonl').events[0], 'network.flow');
    assert.deepEqual(http.network.http, { method: 'GET', url: 'http://10.128.0.4:9990/metrics', response: false });
    assert.deepEqual(http.network.dst, { ip: '10.128.0.4', port: 9990, reserved: ['world'] });
  });

  it('a dropped flow keeps its verdict; a flow without endpoints is still an event', () => {
    const [icmp, tcp] = read('hubble-flows', 'cilium-docs_exporter-dropped-flows.jsonl').events.map((e) => only(e, 'network.flow'));
    assert.equal(icmp.network.protocol, 'ICMPv6');
    assert.deepEqual(icmp.workload, { node: 'kind-kind/kind-worker' });
    assert.equal(tcp.network.verdict, 'DROPPED');
    assert.equal(tcp.workload.pod, 'xwing');
  });
});

describe('reading mixed input', () => {
  it('detects the format per line; broken, unknown and over-long lines are counted with reasons, never fatal', () => {
    const lines = [
      readTestdata('falco-events', 'docs-examples.jsonl').split('\n')[0],
      readTestdata('tetragon-events', 'tetragon-testdata_events.jsonl').split('\n')[0],
      readTestdata('k8s-audit', 'falco-trace-files', 'exec_pod.json').trim(),
      readTestdata('hubble-flows', 'hubble-otel_basic-sample-10-flows.jsonl').split('\n')[0],
      '{"v":1,"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{"host":true},"process":{"name":"id"}}',
      '{"v":9,"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{},"process":{"name":"id"}}',
      '{"not": "an event"}',
      '{broken json password=hunter2',
      '',
      '[1, 2]',
    ];
    const { events, stats } = readEventsText(lines.join('\r\n'), 'mixed.jsonl');
    assert.equal(events.length, 5);
    assert.deepEqual(stats.formats, { falco: 1, tetragon: 1, 'k8s-audit': 1, hubble: 1, kubeguard: 1 });
    assert.equal(stats.skipped, 4);
    assert.deepEqual(stats.reasons, { 'kubeguard event: v: wire version newer than 1': 1, 'unknown format': 1, 'not JSON': 1, 'not a JSON object': 1 });
    assert.deepEqual(stats.examples.map((e) => e.line), [6, 7, 8, 10]);
    assert.ok(!JSON.stringify(stats).includes('hunter2'));
  });

  it('chunk boundaries anywhere give the same events', () => {
    const text = readTestdata('hubble-flows', 'hubble-otel_basic-sample-5-dns-flows.jsonl') + readTestdata('falco-events', 'docs-examples.jsonl');
    const whole = readEventsText(text).events;
    for (const size of [1, 7, 100, 4096]) {
      const got: RuntimeEvent[] = [];
      const r = new EventReader('x', (e: RuntimeEvent) => got.push(e));
      const buf = Buffer.from(text);
      for (let i = 0; i < buf.length; i += size) r.push(buf.subarray(i, i + size));
      r.end();
      assert.deepEqual(got, whole, `chunk ${size}`);
    }
  });

  it('a line longer than the limit is skipped without being buffered; the next line is read', () => {
    const saved = READ_LIMITS.line;
    READ_LIMITS.line = 1000;
    try {
      const good = '{"v":1,"kind":"process.exec","time":"2024-01-01T00:00:00Z","workload":{},"process":{"name":"id"}}';
      const got: RuntimeEvent[] = [];
      const r = new EventReader('x', (e) => got.push(e));
      r.push(good + '\n{"v":1,"pad":"');
      for (let i = 0; i < 10; i++) r.push('x'.repeat(500));
      r.push('"}\n' + good + '\n');
      const stats = r.end();
      assert.equal(got.length, 2);
      assert.deepEqual(stats.reasons, { 'line longer than 1000 bytes': 1 });
      assert.deepEqual(stats.examples, [{ source: 'x', line: 2, reason: 'line longer than 1000 bytes' }]);
    } finally {
      READ_LIMITS.line = saved;
    }
  });
});
