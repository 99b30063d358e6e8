import { it } from 'node:test';
import assert from 'node:assert/strict';
import detector from './detector.js';
import { runDetector, runDetectorOnEvents, testDetectorFixtures } from '../test-support.js';
import { readTestdata } from '../../../test-support/testdata.js';
import type { RuntimeEvent } from '../../../core/events/model.js';

testDetectorFixtures(detector, import.meta.url);

const connect = (i: number, port: number, ip: string): RuntimeEvent => ({
  kind: 'network.connect',
  time: new Date(Date.UTC(2024, 4, 2, 10, 0, 0) + i * 100).toISOString(),
  ts: Date.UTC(2024, 4, 2, 10, 0, 0) + i * 100,
  workload: { namespace: 'shop', pod: 'web-7d4b9c6f5d-x2x7k', container: 'nginx' },
  process: { name: 'nmap', args: [] },
  network: { protocol: 'TCP', src: { ip: '10.244.1.7', port: 40000 + i }, dst: { ip, port }, direction: 'egress' },
});

it('a vertical scan is one incident for the source workload, however many ports beyond the threshold', () => {
  const events = Array.from({ length: 1000 }, (_, i) => connect(i, 1 + i, '10.244.2.9'));
  const r = runDetectorOnEvents(detector, events);
  assert.equal(r.incidents.length, 1);
  assert.equal(r.incidents[0].workload.name, 'web');
  assert.match(r.incidents[0].message, /^shop\/web touched 25 ports of 10\.244\.2\.9 within 60 s/);
});

it('ports spread beyond the window are no scan; the threshold is an option', () => {
  const slow = Array.from({ length: 30 }, (_, i) => ({ ...connect(0, 1 + i, '10.244.2.9'), ts: Date.UTC(2024, 4, 2) + i * 61_000, time: new Date(Date.UTC(2024, 4, 2) + i * 61_000).toISOString() }));
  assert.equal(runDetectorOnEvents(detector, slow).incidents.length, 0);
  const few = Array.from({ length: 10 }, (_, i) => connect(i, 1 + i, '10.244.2.9'));
  assert.equal(runDetectorOnEvents(detector, few).incidents.length, 0);
  assert.equal(runDetectorOnEvents(detector, few, { options: { ports: 10 } }).incidents.length, 1);
});

it('a sweep of internal hosts counts only when refused or not in the baseline; external hosts always count', () => {
  const internal = Array.from({ length: 40 }, (_, i) => connect(i, 9100, `10.244.3.${i + 1}`));
  assert.equal(runDetectorOnEvents(detector, internal).incidents.length, 0, 'Prometheus scraping every node on 9100 is no sweep');
  const baseline = { hasProcess: () => true, hasPeer: () => false, hasDns: () => true, hasHttp: () => true };
  assert.equal(runDetectorOnEvents(detector, internal, { environment: { baseline: () => baseline } }).incidents.length, 1);
  const external = Array.from({ length: 40 }, (_, i) => connect(i, 22, `198.51.100.${i + 1}`));
  assert.match(runDetectorOnEvents(detector, external).incidents[0].message, /touched port 22\/TCP on 32 hosts/);
});

it('memory stays bounded: sources beyond the capacity evict the oldest', () => {
  const events = Array.from({ length: 5000 }, (_, i) => ({ ...connect(i, 80, `10.244.${i >> 8}.${i & 255}`), workload: { namespace: 'ns', pod: `p${i}-x7k2p` } }));
  const r = runDetectorOnEvents(detector, events, { options: { capacity: 100 } });
  assert.equal(r.incidents.length, 0);
});

it('is quiet on the real Hubble samples (bookinfo traffic, Prometheus scrapes, DNS)', () => {
  for (const f of ['hubble-otel_basic-sample-400-tcp-flows.jsonl', 'hubble-otel_basic-sample-330-dns-flows.jsonl', 'hubble-otel_basic-sample-348-http-flows.jsonl', 'cilium-docs_exporter-dropped-flows.jsonl']) {
    assert.deepEqual(runDetector(detector, readTestdata('hubble-flows', f)).incidents.map((i) => i.message), [], f);
  }
});
