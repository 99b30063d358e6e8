/**
 * Cases written from the Kubernetes documentation
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/ and the NetworkPolicy API reference).
 * Each expected answer is the documented behaviour, quoted or paraphrased next to it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/model.js';
import { buildCluster, type NetCluster } from './cluster.js';
import { reach, type Endpoint } from './evaluate.js';
import { reachCidr } from './reach-cidr.js';
import { parseIp } from './ip.js';
import { computeMatrix } from './matrix.js';

function ns(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
function pod(namespace: string, name: string, labels: Record<string, string>, ports: { containerPort: number; name?: string; protocol?: string }[] = [], ip?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'x', ports }] },
    ...(ip ? { status: { podIP: ip } } : {}),
  };
}
function np(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}
const P = (c: NetCluster, key: string): Endpoint => ({ type: 'pod', pod: c.pods.find((p) => p.key === key)! });
const IP = (text: string): Endpoint => ({ type: 'ip', ...parseIp(text), text });

/** Asserts the per-pair evaluator and the matrix agree with the documented answer. */
function expectReach(c: NetCluster, from: string, to: string, port: number, proto: 'TCP' | 'UDP' | 'SCTP', expected: boolean): void {
  const r = reach(c, from.includes('/') ? P(c, from) : IP(from), to.includes('/') ? P(c, to) : IP(to), port, proto);
  assert.equal(r.allowed, expected, `${from} -> ${to} ${port}/${proto}`);
  if (from.includes('/') && to.includes('/')) assert.equal(computeMatrix(c).connsBetween(from, to).has(proto, port), expected, `matrix ${from} -> ${to}`);
}

const base = [ns('prod', { env: 'prod' }), ns('dev', { env: 'dev' })];

describe('NetworkPolicy semantics from the Kubernetes docs', () => {
  it('without policies every pod is non-isolated: all traffic allowed', () => {
    const c = buildCluster([...base, pod('prod', 'a', { app: 'a' }), pod('dev', 'b', { app: 'b' })]);
    expectReach(c, 'prod/a', 'dev/b', 80, 'TCP', true);
    expectReach(c, 'dev/b', 'prod/a', 5000, 'UDP', true);
  });

  it('default deny ingress: empty podSelector selects all pods of the namespace, no ingress rules', () => {
    const c = buildCluster([...base, pod('prod', 'a', { app: 'a' }), pod('prod', 'b', { app: 'b' }), pod('dev', 'd', {}),
      np('prod', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })]);
    expectReach(c, 'prod/a', 'prod/b', 80, 'TCP', false);
    expectReach(c, 'dev/d', 'prod/a', 80, 'TCP', false);
    // egress is not affected, and the other namespace is not selected
    expectReach(c, 'prod/a', 'dev/d', 80, 'TCP', true);
  });

  it('allow all ingress: a rule with no from and no ports matches all sources and ports', () => {
    const c = buildCluster([...base, pod('prod', 'a', {}), pod('dev', 'd', {}),
      np('prod', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      np('prod', 'allow-all-ingress', { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] })]);
    expectReach(c, 'dev/d', 'prod/a', 12345, 'SCTP', true);
    expectReach(c, '203.0.113.9', 'prod/a', 443, 'TCP', true);
  });

  it('policyTypes defaulting: Ingress always; Egress only when spec.egress has rules', () => {
    const objs = [...base, pod('prod', 'a', { app: 'a' }), pod('prod', 'b', { app: 'b' })];
    // No policyTypes and `egress: []`: len(egress) == 0, so only Ingress is affected; egress of a stays open.
    let c = buildCluster([...objs, np('prod', 'p', { podSelector: { matchLabels: { app: 'a' } }, egress: [] })]);
    expectReach(c, 'prod/a', 'prod/b', 80, 'TCP', true);
    expectReach(c, 'prod/b', 'prod/a', 80, 'TCP', false); // Ingress isolated with no rules
    // No policyTypes and an egress rule: Egress is affected too.
    c = buildCluster([...objs, np('prod', 'p', { podSelector: { matchLabels: { app: 'a' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })]);
    expectReach(c, 'prod/a', 'prod/b', 80, 'TCP', false);
    expectReach(c, 'prod/a', 'prod/b', 53, 'UDP', true);
    // Explicit policyTypes [Ingress] ignores egress rules entirely.
    c = buildCluster([...objs, np('prod', 'p', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress'], ingress: [{}], egress: [{ ports: [{ port: 53 }] }] })]);
    expectReach(c, 'prod/a', 'prod/b', 80, 'TCP', true);
    // Explicit [Egress] only: ingress stays open.
    c = buildCluster([...objs, np('prod', 'p', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'] })]);
    expectReach(c, 'prod/b', 'prod/a', 80, 'TCP', true);
    expectReach(c, 'prod/a', 'prod/b', 80, 'TCP', false);
  });

  it('AND vs OR: namespaceSelector and podSelector in one peer vs in two peers', () => {
    // docs "Behavior of to and from selectors": one element with both selectors = pods with role=client in
    // namespaces with user=alice; two elements = those pods in the local namespace OR any pod in those namespaces.
    const objs = [ns('srv'), ns('alice', { user: 'alice' }), ns('bob', { user: 'bob' }),
      pod('srv', 'db', { app: 'db' }), pod('srv', 'client', { role: 'client' }), pod('alice', 'client', { role: 'client' }),
      pod('alice', 'other', { role: 'other' }), pod('bob', 'client', { role: 'client' })];
    const and = buildCluster([...objs, np('srv', 'and', { podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } }, podSelector: { matchLabels: { role: 'client' } } }] }] })]);
    expectReach(and, 'alice/client', 'srv/db', 5432, 'TCP', true);
    expectReach(and, 'alice/other', 'srv/db', 5432, 'TCP', false);
    expectReach(and, 'srv/client', 'srv/db', 5432, 'TCP', false);
    expectReach(and, 'bob/client', 'srv/db', 5432, 'TCP', false);
    const or = buildCluster([...objs, np('srv', 'or', { podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } } }, { podSelector: { matchLabels: { role: 'client' } } }] }] })]);
    expectReach(or, 'alice/client', 'srv/db', 5432, 'TCP', true);
    expectReach(or, 'alice/other', 'srv/db', 5432, 'TCP', true);
    expectReach(or, 'srv/client', 'srv/db', 5432, 'TCP', true);
    expectReach(or, 'bob/client', 'srv/db', 5432, 'TCP', false); // a podSelector alone selects in the policy's namespace
  });

  it('namespaces carry kubernetes.io/metadata.name automatically', () => {
    const c = buildCluster([ns('srv'), ns('mon'), pod('srv', 'api', {}), pod('mon', 'prom', {}), pod('srv', 'x', {}),
      np('srv', 'from-mon', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mon' } } }] }] })]);
    expectReach(c, 'mon/prom', 'srv/api', 9090, 'TCP', true);
    expectReach(c, 'srv/x', 'srv/api', 9090, 'TCP', false);
  });

  it('named ports resolve on each destination pod (same name can mean different numbers)', () => {
    const c = buildCluster([ns('a'), pod('a', 'client', { app: 'client' }),
      pod('a', 'web1', { app: 'web' }, [{ containerPort: 8080, name: 'http' }]),
      pod('a', 'web2', { app: 'web' }, [{ containerPort: 9090, name: 'http' }]),
      pod('a', 'web3', { app: 'web' }, [{ containerPort: 8080, name: 'metrics' }]),
      np('a', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }] }] })]);
    expectReach(c, 'a/client', 'a/web1', 8080, 'TCP', true);
    expectReach(c, 'a/client', 'a/web1', 9090, 'TCP', false);
    expectReach(c, 'a/client', 'a/web2', 9090, 'TCP', true);
    expectReach(c, 'a/client', 'a/web2', 8080, 'TCP', false);
    expectReach(c, 'a/client', 'a/web3', 8080, 'TCP', false); // no port named http on web3
  });

  it('named port protocol must match (default TCP)', () => {
    const c = buildCluster([ns('a'), pod('a', 'client', {}), pod('a', 'dns', { app: 'dns' }, [{ containerPort: 53, name: 'dns', protocol: 'UDP' }]),
      np('a', 'p', { podSelector: { matchLabels: { app: 'dns' } }, ingress: [{ ports: [{ port: 'dns' }] }] })]);
    expectReach(c, 'a/client', 'a/dns', 53, 'UDP', false);
    expectReach(c, 'a/client', 'a/dns', 53, 'TCP', false);
  });

  it('endPort: port..endPort inclusive (docs "Targeting a range of ports": 32000-32768)', () => {
    const c = buildCluster([ns('default'), pod('default', 'db', { role: 'db' }), pod('default', 'app', {}),
      np('default', 'multi-port-egress', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }] })]);
    expectReach(c, 'default/db', '10.0.0.7', 32000, 'TCP', true);
    expectReach(c, 'default/db', '10.0.0.7', 32768, 'TCP', true);
    expectReach(c, 'default/db', '10.0.0.7', 32769, 'TCP', false);
    expectReach(c, 'default/db', '10.0.0.7', 31999, 'TCP', false);
    expectReach(c, 'default/db', '10.0.1.7', 32000, 'TCP', false);
    expectReach(c, 'default/db', 'default/app', 32000, 'TCP', false);
  });

  it('ipBlock with except (docs example: 172.17.0.0/16 except 172.17.1.0/24)', () => {
    const c = buildCluster([ns('default'), pod('default', 'db', { role: 'db' }, [{ containerPort: 6379 }]),
      np('default', 'test-network-policy', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }], ports: [{ protocol: 'TCP', port: 6379 }] }] })]);
    expectReach(c, '172.17.0.5', 'default/db', 6379, 'TCP', true);
    // the whole /16 is only partly admitted; the /24 hole alone not at all; 172.17.2.0/24 entirely
    const db = P(c, 'default/db');
    const whole = reachCidr(c, 'from-cidr', db, '172.17.0.0/16', 6379);
    assert.equal(whole.allowed, false);
    assert.ok(whole.notes.some((n) => n.includes('allowed only for part of 172.17.0.0/16')));
    assert.equal(reachCidr(c, 'from-cidr', db, '172.17.1.0/24', 6379).allowed, false);
    assert.equal(reachCidr(c, 'from-cidr', db, '172.17.2.0/24', 6379).allowed, true);
    assert.deepEqual(reachCidr(c, 'from-cidr', db, '172.17.2.0/24', 6379).ingress, { isolated: true, allowedBy: ['default/test-network-policy'] });
    expectReach(c, '172.17.1.5', 'default/db', 6379, 'TCP', false);
    expectReach(c, '172.17.2.5', 'default/db', 6379, 'TCP', true);
    expectReach(c, '10.1.1.1', 'default/db', 6379, 'TCP', false);
    expectReach(c, '172.17.0.5', 'default/db', 6380, 'TCP', false);
  });

  it('protocols: UDP and SCTP are distinct from TCP; a protocol without port means all its ports', () => {
    const c = buildCluster([ns('a'), pod('a', 'c', {}), pod('a', 's', { app: 's' }),
      np('a', 'p', { podSelector: { matchLabels: { app: 's' } }, ingress: [{ ports: [{ protocol: 'UDP' }, { protocol: 'SCTP', port: 9 }] }] })]);
    expectReach(c, 'a/c', 'a/s', 4000, 'UDP', true);
    expectReach(c, 'a/c', 'a/s', 9, 'SCTP', true);
    expectReach(c, 'a/c', 'a/s', 10, 'SCTP', false);
    expectReach(c, 'a/c', 'a/s', 9, 'TCP', false);
  });

  it('both sides must allow: egress of the source AND ingress of the destination', () => {
    const objs = [ns('a'), pod('a', 'src', { app: 'src' }), pod('a', 'dst', { app: 'dst' })];
    const egressOnly = np('a', 'e', { podSelector: { matchLabels: { app: 'src' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'dst' } } }] }] });
    const denyIn = np('a', 'i', { podSelector: { matchLabels: { app: 'dst' } }, policyTypes: ['Ingress'] });
    expectReach(buildCluster([...objs, egressOnly]), 'a/src', 'a/dst', 80, 'TCP', true);
    expectReach(buildCluster([...objs, egressOnly, denyIn]), 'a/src', 'a/dst', 80, 'TCP', false);
    const both = buildCluster([...objs, egressOnly, denyIn]);
    const r = reach(both, P(both, 'a/src'), P(both, 'a/dst'), 80, 'TCP');
    assert.deepEqual(r.egress, { isolated: true, allowedBy: ['a/e'] });
    assert.deepEqual(r.ingress, { isolated: true, allowedBy: [] });
  });

  it('policies are additive: union of what every selecting policy allows', () => {
    const c = buildCluster([ns('a'), pod('a', 'c', { app: 'c' }), pod('a', 's', { app: 's' }),
      np('a', 'p1', { podSelector: { matchLabels: { app: 's' } }, ingress: [{ ports: [{ port: 80 }] }] }),
      np('a', 'p2', { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }] })]);
    expectReach(c, 'a/c', 'a/s', 80, 'TCP', true);
    expectReach(c, 'a/c', 'a/s', 443, 'TCP', true);
    expectReach(c, 'a/c', 'a/s', 8080, 'TCP', false);
    const r = reach(c, P(c, 'a/c'), P(c, 'a/s'), 443, 'TCP');
    assert.deepEqual(r.ingress, { isolated: true, allowedBy: ['a/p2'] });
    assert.deepEqual(r.egress, { isolated: false, allowedBy: [] });
  });

  it('empty from/ports lists behave like absent ones; empty ingress list allows nothing', () => {
    const c = buildCluster([ns('a'), pod('a', 'c', {}), pod('a', 's', { app: 's' }),
      np('a', 'p', { podSelector: { matchLabels: { app: 's' } }, ingress: [{ from: [], ports: [] }] })]);
    expectReach(c, 'a/c', 'a/s', 1, 'UDP', true);
    const d = buildCluster([ns('a'), pod('a', 'c', {}), pod('a', 's', { app: 's' }), np('a', 'p', { podSelector: { matchLabels: { app: 's' } }, ingress: [] })]);
    expectReach(d, 'a/c', 'a/s', 80, 'TCP', false);
  });

  it('workload templates give one representative per workload; hostNetwork is called out', () => {
    const c = buildCluster([ns('a'),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' }, spec: { replicas: 3, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'w', ports: [{ containerPort: 8080, name: 'http' }] }] } } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'job', namespace: 'a' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'job' } }, spec: { hostNetwork: true, containers: [{ name: 'j' }] } } } } } },
      np('a', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'job' } } }], ports: [{ port: 'http' }] }] })]);
    assert.deepEqual(c.pods.map((p) => `${p.key}[${p.kind}]`).sort(), ['a/job[CronJob]', 'a/web[Deployment]']);
    expectReach(c, 'a/job', 'a/web', 8080, 'TCP', true);
    assert.ok(c.warnings.some((w) => w.includes('a/job') && w.includes('hostNetwork')));
    const r = reach(c, P(c, 'a/job'), P(c, 'a/web'), 8080);
    assert.ok(r.notes.some((n) => n.includes('hostNetwork')));
  });

  it('invalid policies are reported, not silently evaluated', () => {
    const c = buildCluster([ns('a'), np('a', 'bad', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/8'] } }] }] })]);
    assert.equal(c.policies.length, 0);
    assert.ok(c.warnings.some((w) => w.includes('a/bad')));
  });
});
