/**
 * Flows → generate → simulate. Expected answers come from the flows themselves (upstream Hubble captures in
 * testdata/hubble-flows) and from NetworkPolicy semantics: a policy set generated from flows must let
 * every one of those flows through and block a flow that was never observed (least privilege).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/model.js';
import { conformanceDir } from '../../test-support/conformance.js';
import { buildCluster } from './cluster.js';
import { parseFlows, workloadFromPodName, type Flow } from './flows.js';
import { generatePolicies } from './generate.js';
import { simulate } from './simulate.js';

const hubble = (name: string) => readFileSync(join(conformanceDir('hubble-flows'), name), 'utf8');

const workloads: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels: { team: 'ops' } } },
  ...['web', 'api', 'db'].map((app) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: 'shop' }, spec: { template: { metadata: { labels: { app, 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: app, ports: [{ containerPort: 8080, name: 'http' }] }] } } } })),
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'prom', namespace: 'ops' }, spec: { template: { metadata: { labels: { app: 'prom' } }, spec: { containers: [{ name: 'p' }] } } } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: 'kube-system' }, spec: { template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'c' }] } } } },
];

const simpleFlows = [
  { src: 'shop/web', dst: 'shop/api', port: 8080, protocol: 'TCP' },
  { src: 'shop/web', dst: 'shop/api', port: 8080, protocol: 'TCP' },
  { src: 'shop/api', dst: 'shop/db', port: 5432 },
  { src: 'ops/prom', dst: 'shop/api', port: 9090, protocol: 'TCP' },
  { src: '203.0.113.7', dst: 'shop/web', port: 443, protocol: 'TCP' },
  { src: 'shop/api', dst: 'kube-system/coredns-5d78c9869d-abcde', port: 53, protocol: 'UDP' },
].map((f) => JSON.stringify(f)).join('\n');

function reparse(yamlText: string): KubeObject[] {
  return parseAllDocuments(yamlText).map((d) => d.toJS() as KubeObject);
}

describe('flows', () => {
  it('parses simple JSON lines and reports bad lines', () => {
    const r = parseFlows(`${simpleFlows}\n{"src":"shop/web"}\nnot json\n`);
    assert.equal(r.flows.length, 6);
    assert.equal(r.flows[2].protocol, 'TCP'); // default protocol
    assert.equal(r.flows[4].src.type, 'ip');
    assert.equal(r.errors.length, 2);
  });

  it('parses Hubble flows: skips replies and ICMP, keeps labels and namespace labels', () => {
    const tcp = parseFlows(hubble('hubble-otel_basic-sample-400-tcp-flows.jsonl'));
    assert.equal(tcp.errors.length, 0);
    assert.ok(tcp.flows.length > 0);
    assert.ok((tcp.skipped.reply ?? 0) > 0);
    const icmp = parseFlows(hubble('hubble-otel_basic-sample-400-icmpv4-flows.jsonl'));
    assert.equal(icmp.flows.length, 0);
    const withLabels = tcp.flows.find((f) => f.dst.type === 'workload' && f.dst.labels?.app === 'reviews');
    assert.ok(withLabels);
    const dropped = parseFlows(hubble('cilium-docs_exporter-dropped-flows.jsonl'));
    assert.equal(dropped.flows.length, 1);
    assert.equal(dropped.flows[0].verdict, 'DROPPED');
    assert.deepEqual([dropped.flows[0].src, dropped.flows[0].dst].map((e) => (e.type === 'workload' ? `${e.namespace}/${e.name}` : e.ip)), ['default/xwing', 'default/deathstar']);
  });

  it('derives workload names from pod names', () => {
    assert.equal(workloadFromPodName('reviews-v1-545db77b95-s6jb8'), 'reviews-v1');
    assert.equal(workloadFromPodName('calico-node-ab12c'), 'calico-node');
    assert.equal(workloadFromPodName('db-0'), 'db');
  });
});

describe('generate and simulate', () => {
  it('generated policies admit every observed flow and nothing else observed-adjacent', () => {
    const cluster = buildCluster(workloads);
    const flows = parseFlows(simpleFlows).flows;
    const gen = generatePolicies(flows, cluster);
    // ingress for api, db, web; egress for web, api, prom (each with DNS)
    assert.deepEqual(gen.policies.map((p) => `${p.object.metadata?.namespace}/${p.object.metadata?.name}`).sort(),
      ['ops/prom-egress', 'shop/api-egress', 'shop/api-ingress', 'shop/db-ingress', 'shop/web-egress', 'shop/web-ingress']);
    const applied = buildCluster([...workloads, ...reparse(gen.yaml)]);
    assert.deepEqual(applied.warnings, []);
    const sim = simulate(flows, applied);
    assert.equal(sim.summary.blocked, 0, JSON.stringify(sim.flows.filter((f) => !f.allowed)));
    // never observed: web -> db, api on another port, prom -> web, another external address
    const unseen = parseFlows([
      { src: 'shop/web', dst: 'shop/db', port: 5432 },
      { src: 'shop/web', dst: 'shop/api', port: 8081 },
      { src: 'ops/prom', dst: 'shop/web', port: 9090 },
      { src: '198.51.100.1', dst: 'shop/web', port: 443 },
    ].map((f) => JSON.stringify(f)).join('\n')).flows;
    const blocked = simulate(unseen, applied);
    assert.equal(blocked.summary.blocked, 4);
    // DNS stays allowed from every egress-restricted workload, even those never seen resolving names
    const dnsCheck = simulate(parseFlows(['shop/web', 'ops/prom'].map((src) => JSON.stringify({ src, dst: 'kube-system/coredns', port: 53, protocol: 'UDP' })).join('\n')).flows, applied);
    assert.equal(dnsCheck.summary.blocked, 0);
    assert.ok(gen.policies.filter((p) => p.object.metadata?.name?.endsWith('-egress')).length === 3);
    assert.ok(!gen.policies.some((p) => p.object.metadata?.namespace === 'kube-system'));
  });

  it('YAML names the flows each rule serves and uses AND peers across namespaces', () => {
    const gen = generatePolicies(parseFlows(simpleFlows).flows, buildCluster(workloads));
    assert.match(gen.yaml, /# serves: shop\/web -> shop\/api TCP\/8080 \(2x\)/);
    assert.match(gen.yaml, /# DNS to kube-dns stays allowed/);
    const api = gen.policies.find((p) => p.object.metadata?.name === 'api-ingress')!.object;
    const spec = api.spec as { ingress: { from: Record<string, unknown>[] }[]; podSelector: unknown };
    assert.deepEqual(spec.podSelector, { matchLabels: { app: 'api' } }); // pod-template-hash dropped
    const fromOps = spec.ingress.find((r) => 'namespaceSelector' in r.from[0])!;
    assert.deepEqual(fromOps.from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }, podSelector: { matchLabels: { app: 'prom' } } }]);
  });

  it('works from real Hubble captures without manifests (labels come from the flows)', () => {
    const flows: Flow[] = parseFlows(hubble('hubble-otel_basic-sample-400-tcp-flows.jsonl')).flows.filter((f) => f.verdict !== 'DROPPED');
    const gen = generatePolicies(flows, buildCluster([]));
    assert.ok(gen.policies.length > 0);
    const applied = buildCluster(reparse(gen.yaml));
    assert.deepEqual(applied.warnings, []);
    const sim = simulate(flows, applied);
    const notSkipped = sim.flows.filter((f) => !f.flow.startsWith('kube-system/'));
    assert.equal(notSkipped.filter((f) => !f.allowed).length, 0, JSON.stringify(notSkipped.filter((f) => !f.allowed).slice(0, 3)));
  });

  it('simulate carries the observed Hubble verdict next to the predicted one', () => {
    const dropped = parseFlows(hubble('cilium-docs_exporter-dropped-flows.jsonl')).flows;
    const deny = buildCluster([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } }]);
    const r = simulate(dropped, deny);
    assert.equal(r.flows.length, 1);
    assert.deepEqual(r.flows[0].observed, ['DROPPED']);
    assert.equal(r.flows[0].allowed, false);
    assert.deepEqual(r.flows[0].unknownEndpoints, ['default/xwing', 'default/deathstar']);
  });

  it('simulate says which side blocks', () => {
    const cluster = buildCluster([...workloads,
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] } }]);
    const r = simulate(parseFlows(simpleFlows).flows, cluster);
    const db = r.flows.find((f) => f.flow === 'shop/api -> shop/db TCP/5432')!;
    assert.equal(db.allowed, false);
    assert.deepEqual(db.blockedBy, ['ingress']);
    assert.equal(r.summary.blocked, 1);
  });
});
