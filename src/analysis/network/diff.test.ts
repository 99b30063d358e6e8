/**
 * Semantic diff checked against upstream data: np-guard publishes the connectivity of old/new policy sets over the
 * same (or different) topologies; the expected diff is the difference of the two upstream connection lists.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildCluster } from './cluster.js';
import { ConnSet } from './conns.js';
import { diff, renderDiffTable } from './diff.js';
import { parseIp } from './ip.js';
import { computeMatrix, policyBlocks } from './matrix.js';
import { loadManifestDir } from './test-support/load-manifests.js';
import { expectedExternal, expectedPods, NPGUARD_ROOT, readExpected } from './test-support/npguard-expected.js';

const PAIRS: [string, string][] = [
  ['semanticDiff-same-topologies-old1', 'semanticDiff-same-topologies-new1'],
  ['semanticDiff-same-topologies-old1', 'semanticDiff-same-topologies-new1a'],
  ['semanticDiff-same-topologies-old2', 'semanticDiff-same-topologies-new2'],
  ['semanticDiff-same-topologies-old3', 'semanticDiff-same-topologies-new3'],
  ['semanticDiff-orig-topologies-no-policy', 'semanticDiff-orig-topologies-policy-a'],
  ['semanticDiff-different-topologies-policy-a', 'semanticDiff-different-topologies-policy-b'],
  ['semanticDiff-different-topologies-policy-a-with-ipblock', 'semanticDiff-different-topologies-policy-b-with-ipblock'],
];

const load = (name: string) => buildCluster(loadManifestDir(join(NPGUARD_ROOT, 'cases', name)));

describe('netpol semantic diff (expected from np-guard connlists)', () => {
  for (const [oldName, newName] of PAIRS) {
    it(`${oldName} -> ${newName}`, () => {
      const before = load(oldName);
      const after = load(newName);
      const report = diff(before, after, { ipBlockMatchesPods: false });
      const expOld = readExpected(oldName);
      const expNew = readExpected(newName);
      const got = new Map<string, { added: string; removed: string }>();
      for (const c of report.newlyAllowed) got.set(`${c.src} => ${c.dst}`, { added: c.added!, removed: 'No Connections' });
      for (const c of report.newlyDenied) {
        const k = `${c.src} => ${c.dst}`;
        got.set(k, { added: got.get(k)?.added ?? 'No Connections', removed: c.removed! });
      }
      // Expected: over the union of workloads and the aligned external intervals.
      const names = new Map([...before.pods, ...after.pods].map((p) => [p.key, `${p.key}[${p.kind}]`]));
      const exts = computeMatrix(after, { extraBlocks: [...policyBlocks(before), ...policyBlocks(after)] }).externals;
      const want = new Map<string, { added: string; removed: string }>();
      const put = (k: string, b: ConnSet, a: ConnSet) => {
        if (b.equals(a)) return;
        want.set(k, { added: a.subtract(b).toString(), removed: b.subtract(a).toString() });
      };
      for (const s of names.values()) {
        for (const d of names.values()) if (s !== d) put(`${s} => ${d}`, expectedPods(expOld, s, d), expectedPods(expNew, s, d));
        for (const e of exts) {
          put(`${e.name}[External] => ${s}`, expectedExternal(expOld, 'from', e.interval, s), expectedExternal(expNew, 'from', e.interval, s));
          put(`${s} => ${e.name}[External]`, expectedExternal(expOld, 'to', e.interval, s), expectedExternal(expNew, 'to', e.interval, s));
        }
      }
      assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries([...want].sort()));
    });
  }

  it('renders newly allowed and newly denied', () => {
    const a = buildCluster([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'n', labels: { a: 'x' } }, spec: { containers: [{ name: 'c' }] } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'y', namespace: 'n' }, spec: { containers: [{ name: 'c' }] } }]);
    const b = buildCluster([...[...a.pods].map(() => ({})), { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'n' }, spec: { podSelector: { matchLabels: { a: 'x' } } } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'n', labels: { a: 'x' } }, spec: { containers: [{ name: 'c' }] } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'y', namespace: 'n' }, spec: { containers: [{ name: 'c' }] } }]);
    const r = diff(a, b);
    assert.equal(r.newlyAllowed.length, 0);
    assert.deepEqual(r.newlyDenied.map((c) => `${c.src} => ${c.dst}`).sort(), ['0.0.0.0-255.255.255.255[External] => n/x[Pod]', 'n/y[Pod] => n/x[Pod]']);
    assert.match(renderDiffTable(r), /- n\/y\[Pod\] => n\/x\[Pod\] : All Connections/);
    assert.equal(ConnSet.parse(r.newlyDenied[0].removed!).isAll(), true);
    assert.ok(parseIp('0.0.0.0'));
  });
});
