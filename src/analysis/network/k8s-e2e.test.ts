/**
 * Kubernetes e2e NetworkPolicy conformance (test/e2e/network/netpol/network_policy.go), transcribed in
 * testdata/netpol/k8s-e2e (see its SOURCE.md). Expected verdicts come from upstream; 506 in total.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import type { KubeObject } from '../../core/model.js';
import { buildCluster, type NetCluster } from './cluster.js';
import { isProtocol } from './conns.js';
import { reach, type Endpoint } from './evaluate.js';
import { computeMatrix } from './matrix.js';

interface Probe {
  port: number;
  protocol: string;
  expected: Record<string, Record<string, boolean>>;
}
interface Step {
  policies: KubeObject[];
  probes: Probe[];
  namespaceLabelOverrides?: Record<string, Record<string, string>>;
  podLabelOverrides?: Record<string, Record<string, string>>;
}
interface Case {
  id: string;
  upstreamTest: string;
  pods: string[];
  servedPorts: number[];
  servedProtocols: string[];
  podIPs?: Record<string, string>;
  steps: Step[];
}

const data = JSON.parse(readFileSync(join(conformanceDir('netpol', 'k8s-e2e'), 'k8s-e2e-netpol-cases.json'), 'utf8')) as { cases: Case[] };

/** The upstream model.go topology as Kubernetes objects. */
function topology(c: Case, step: Step): KubeObject[] {
  const objs: KubeObject[] = [];
  for (const ns of ['x', 'y', 'z']) {
    objs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ns, ...(step.namespaceLabelOverrides?.[ns] ?? {}) } } });
  }
  for (const p of c.pods) {
    const [ns, name] = p.split('/');
    const containers = c.servedPorts.flatMap((port) =>
      c.servedProtocols.map((proto) => ({
        name: `cont-${port}-${proto.toLowerCase()}`,
        image: 'agnhost',
        ports: [{ containerPort: port, protocol: proto, name: `serve-${port}-${proto.toLowerCase()}` }],
      })),
    );
    const ip = c.podIPs?.[p];
    objs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: step.podLabelOverrides?.[p] ?? { pod: name } },
      spec: { containers },
      ...(ip ? { status: { podIP: ip } } : {}),
    });
  }
  return [...objs, ...step.policies];
}

function pod(cluster: NetCluster, key: string): Endpoint {
  const p = cluster.pods.find((x) => x.key === key);
  assert.ok(p, `pod ${key}`);
  return { type: 'pod', pod: p };
}

describe('Kubernetes e2e NetworkPolicy cases', () => {
  let total = 0;
  let agreeReach = 0;
  let agreeMatrix = 0;
  for (const c of data.cases) {
    it(`${c.id}: ${c.upstreamTest}`, () => {
      const mismatches: string[] = [];
      for (const [si, step] of c.steps.entries()) {
        const cluster = buildCluster(topology(c, step));
        assert.equal(cluster.warnings.filter((w) => w.startsWith('NetworkPolicy')).length, 0, cluster.warnings.join('\n'));
        const matrix = computeMatrix(cluster);
        for (const probe of step.probes) {
          assert.ok(isProtocol(probe.protocol));
          for (const [from, row] of Object.entries(probe.expected)) {
            for (const [to, expected] of Object.entries(row)) {
              total++;
              const r = reach(cluster, pod(cluster, from), pod(cluster, to), probe.port, probe.protocol);
              if (r.allowed === expected) agreeReach++;
              else mismatches.push(`step ${si} ${from} -> ${to} ${probe.port}/${probe.protocol}: reach says ${r.allowed}, upstream ${expected}`);
              const m = matrix.connsBetween(from, to).has(probe.protocol, probe.port);
              if (m === expected) agreeMatrix++;
              else mismatches.push(`step ${si} ${from} -> ${to} ${probe.port}/${probe.protocol}: matrix says ${m}, upstream ${expected}`);
            }
          }
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }
  it('covers all 506 upstream verdicts and agrees with every one', () => {
    assert.equal(total, 506);
    assert.equal(agreeReach, 506);
    assert.equal(agreeMatrix, 506);
  });
});
