/**
 * The network model the server keeps (topology.ts) answers as the objects it came from: for every np-guard
 * netpol-analyzer case (testdata/netpol, see its SOURCE.md) the model rebuilt from its JSON has the same
 * connections, pair by pair (diff finds no change), and the same workloads.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../core/model.js';
import { buildCluster } from './cluster.js';
import { diff } from './diff.js';
import { loadManifestDir } from './test-support/load-manifests.js';
import { NPGUARD_ROOT } from './test-support/npguard-expected.js';
import { clusterFromTopology, topologyOf, type NetTopology } from './topology.js';

it('a topology rebuilt from its JSON allows exactly what its objects allow (np-guard cases)', () => {
  const cases = readdirSync(join(NPGUARD_ROOT, 'cases'));
  assert.ok(cases.length > 20);
  let pods = 0;
  for (const name of cases) {
    const objects = loadManifestDir(join(NPGUARD_ROOT, 'cases', name));
    const original = buildCluster(objects);
    const rebuilt = clusterFromTopology(JSON.parse(JSON.stringify(topologyOf(original))) as NetTopology);
    const d = diff(original, rebuilt);
    assert.deepEqual([d.newlyAllowed, d.newlyDenied, d.addedPods, d.removedPods], [[], [], [], []], name);
    assert.equal(rebuilt.policies.length, original.policies.length, name);
    pods += rebuilt.pods.length;
  }
  assert.ok(pods > 100, `${pods} workloads compared`);
});

it('policies given in place of the topology’s own decide', () => {
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { team: 'x' } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'p' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace: 'a', labels: { app: 'q' } }, spec: { containers: [{ name: 'c' }] } },
  ];
  const t = topologyOf(buildCluster(objects));
  assert.deepEqual(t.namespaces, [{ name: 'a', labels: { team: 'x', 'kubernetes.io/metadata.name': 'a' } }]);
  const deny = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'a' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
  const d = diff(clusterFromTopology(t), clusterFromTopology(t, [deny]));
  // default deny for ingress: nothing may connect to either pod any more, from the pod network or outside it
  assert.deepEqual(d.newlyDenied.map((c) => `${c.src}>${c.dst}`), ['0.0.0.0-255.255.255.255[External]>a/p[Pod]', '0.0.0.0-255.255.255.255[External]>a/q[Pod]', 'a/p[Pod]>a/q[Pod]', 'a/q[Pod]>a/p[Pod]']);
  assert.deepEqual(d.newlyAllowed, []);
});
