/**
 * Property: the class-based matrix answers exactly what the per-pair reference evaluator answers, on random
 * clusters mixing every policy feature (named ports, endPort, ipBlock/except matching pod IPs, AND/OR peers,
 * matchExpressions, policyTypes defaulting). Both evaluators are checked against upstream data elsewhere
 * (k8s-e2e, np-guard); this guards the optimisation itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../core/model.js';
import { buildCluster } from './cluster.js';
import { evaluatePair, type Endpoint } from './evaluate.js';
import { computeMatrix } from './matrix.js';

const NS = ['a', 'b', 'c'];
const APPS = ['web', 'api', 'db'];
const label = fc.record({ app: fc.constantFrom(...APPS), tier: fc.constantFrom('fe', 'be') }, { requiredKeys: ['app'] });
const selector = fc.oneof(
  fc.constant({}),
  label.map((l) => ({ matchLabels: l })),
  fc.record({ matchExpressions: fc.constant([{ key: 'app', operator: 'NotIn', values: ['db'] }]) }),
  fc.record({ matchExpressions: fc.constant([{ key: 'tier', operator: 'Exists' }]) }),
);
const nsSelector = fc.oneof(fc.constant({}), fc.constantFrom(...NS).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })), fc.constant({ matchLabels: { env: 'prod' } }));
const peer = fc.oneof(
  selector.map((s) => ({ podSelector: s })),
  nsSelector.map((s) => ({ namespaceSelector: s })),
  fc.tuple(nsSelector, selector).map(([n, p]) => ({ namespaceSelector: n, podSelector: p })),
  fc.constantFrom({ ipBlock: { cidr: '10.0.0.0/24', except: ['10.0.0.8/29'] } }, { ipBlock: { cidr: '10.0.0.0/28' } }, { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }),
);
const port = fc.oneof(
  fc.constantFrom(80, 443, 8080).map((p) => ({ port: p })),
  fc.constantFrom('http', 'metrics').map((p) => ({ port: p })),
  fc.constant({ port: 8000, endPort: 8100 }),
  fc.constant({ protocol: 'UDP', port: 53 }),
  fc.constant({ protocol: 'SCTP' }),
);
const rule = (dir: 'from' | 'to') => fc.record({ [dir]: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) }, { requiredKeys: [] });
const policy = fc.record({
  ns: fc.constantFrom(...NS),
  podSelector: selector,
  ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
  policyTypes: fc.option(fc.subarray(['Ingress', 'Egress']), { nil: undefined }),
});
const pod = fc.record({ ns: fc.constantFrom(...NS), labels: label, httpPort: fc.constantFrom(80, 8080, 8050), ip: fc.integer({ min: 1, max: 20 }) });

describe('matrix equals the per-pair evaluator', () => {
  it('on random clusters', () => {
    fc.assert(
      fc.property(fc.array(pod, { minLength: 2, maxLength: 8 }), fc.array(policy, { maxLength: 5 }), (pods, policies) => {
        const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { env: 'prod' } } }];
        pods.forEach((p, i) => objects.push({
          apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: p.ns, labels: p.labels },
          spec: { containers: [{ name: 'c', ports: [{ containerPort: p.httpPort, name: 'http' }, { containerPort: 9090, name: 'metrics' }] }] },
          status: { podIP: `10.0.0.${p.ip}` },
        }));
        policies.forEach((p, i) => objects.push({
          apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: p.ns },
          spec: { podSelector: p.podSelector, ...(p.ingress ? { ingress: p.ingress } : {}), ...(p.egress ? { egress: p.egress } : {}), ...(p.policyTypes?.length ? { policyTypes: p.policyTypes } : {}) },
        }));
        const cluster = buildCluster(objects);
        const m = computeMatrix(cluster);
        for (const s of cluster.pods) {
          for (const d of cluster.pods) {
            if (s === d) continue;
            const ref = evaluatePair(cluster, { type: 'pod', pod: s }, { type: 'pod', pod: d }).conns;
            assert.equal(m.connsBetween(s.key, d.key).toString(), ref.toString(), `${s.key} -> ${d.key}`);
          }
          for (const e of m.externals) {
            const ep: Endpoint = { type: 'ip', family: e.interval.family, value: e.interval.start, text: e.name };
            const me: Endpoint = { type: 'pod', pod: s };
            const id = m.nodeIdOf(s.key)!;
            assert.equal(m.table.get(m.connId(id, e.id)).toString(), evaluatePair(cluster, me, ep).conns.toString(), `${s.key} -> ${e.name}`);
            assert.equal(m.table.get(m.connId(e.id, id)).toString(), evaluatePair(cluster, ep, me).conns.toString(), `${e.name} -> ${s.key}`);
          }
        }
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });
});
