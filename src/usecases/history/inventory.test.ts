/**
 * The network part of a whole-cluster upload is exact and small: for every np-guard netpol-analyzer case
 * (testdata/netpol, see its SOURCE.md) and the paths tests' shop scene, every pair of workloads gets from the
 * uploaded classes and edges exactly the connections the reachability matrix gives it; classes that every class
 * treats alike are sent as one, so a cluster of many namespaces without policies is one class and one edge.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../core/model.js';
import { buildCluster, computeMatrix } from '../../analysis/network/index.js';
import { loadManifestDir } from '../../analysis/network/test-support/load-manifests.js';
import { NPGUARD_ROOT } from '../../analysis/network/test-support/npguard-expected.js';
import { shopScene } from '../../analysis/paths/test-support/scenes.js';
import { inventoryRecords } from './inventory.js';

function uploadedPairs(objects: KubeObject[]): Map<string, string> {
  const classOf = new Map<string, number>();
  const edges = new Map<string, string>();
  for (const r of inventoryRecords(objects)) {
    if ('netClass' in r) for (const m of r.netClass.members) classOf.set(`${r.netClass.namespace}/${m.name}`, r.netClass.id);
    if ('netEdge' in r) edges.set(`${r.netEdge.from}>${r.netEdge.to}`, r.netEdge.conn);
  }
  const out = new Map<string, string>();
  for (const [a, ca] of classOf) for (const [b, cb] of classOf) if (a !== b) out.set(`${a}>${b}`, edges.get(`${ca}>${cb}`) ?? 'No Connections');
  return out;
}

function matrixPairs(objects: KubeObject[]): Map<string, string> {
  const m = computeMatrix(buildCluster(objects), { externals: false });
  const out = new Map<string, string>();
  for (const s of m.classes) for (const d of m.classes) for (const a of s.members) for (const b of d.members) if (a !== b) out.set(`${a.key}>${b.key}`, m.table.get(m.connId(s.id, d.id)).toString());
  return out;
}

it('uploads, pair by pair, the connections the matrix gives (np-guard cases, shop scene)', () => {
  const cases = readdirSync(join(NPGUARD_ROOT, 'cases')).map((name) => ({ name, objects: loadManifestDir(join(NPGUARD_ROOT, 'cases', name)) }));
  let pairs = 0;
  for (const { name, objects } of [...cases, { name: 'shop', objects: shopScene() }]) {
    const want = matrixPairs(objects);
    assert.deepEqual(uploadedPairs(objects), want, name);
    pairs += want.size;
  }
  assert.ok(pairs > 1000, `${pairs} pairs compared`);
});

it('sends classes every class treats alike as one: many namespaces without policies are one class and one edge', () => {
  const objects: KubeObject[] = [];
  for (let n = 0; n < 40; n++) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } });
    for (const app of ['web', 'db']) objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: `ns-${n}` }, spec: { template: { metadata: { labels: { app } }, spec: { containers: [{ name: app }] } } } });
  }
  assert.equal(computeMatrix(buildCluster(objects), { externals: false }).classes.length, 80, 'the matrix keeps a class per namespace and labels');
  const records = [...inventoryRecords(objects)];
  assert.deepEqual(records.filter((r) => 'netEdge' in r), [{ netEdge: { from: 0, to: 0, conn: 'All Connections' } }]);
  assert.deepEqual(new Set(records.flatMap((r) => ('netClass' in r ? [r.netClass.id] : []))), new Set([0]));
});
