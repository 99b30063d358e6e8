/**
 * np-guard connlist cases with Kubernetes Ingress objects (no NetworkPolicy): the expected
 * `{ingress-controller} => workload : conns` lines are what Ingress → Service → pod (targetPort) routing reaches.
 * Our exposure report must route to exactly those workloads and ports.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCluster } from './cluster.js';
import { ConnSet } from './conns.js';
import { exposure } from './exposure.js';
import { loadManifestDir } from './test-support/load-manifests.js';
import { NPGUARD_ROOT } from './test-support/npguard-expected.js';

const CASES = ['k8s_ingress_test', 'multiple_ingress_objects_with_different_ports', 'one_ingress_multiple_ports', 'one_ingress_multiple_services'];

describe('np-guard ingress-controller cases (exposure through Ingress)', () => {
  for (const name of CASES) {
    it(name, () => {
      const cluster = buildCluster(loadManifestDir(join(NPGUARD_ROOT, 'cases', name)));
      const kinds = new Map(cluster.pods.map((p) => [p.key, p.kind]));
      const got = new Map<string, ConnSet>();
      for (const r of exposure(cluster).routes) {
        if (!r.via.startsWith('Ingress ') || r.admitted === 'no') continue;
        const w = `${r.pod}[${kinds.get(r.pod)}]`;
        got.set(w, (got.get(w) ?? ConnSet.NONE).union(ConnSet.port(r.protocol, r.port)));
      }
      const want = new Map<string, ConnSet>();
      for (const line of readFileSync(join(NPGUARD_ROOT, 'expected', `${name}_connlist_output.txt`), 'utf8').split('\n')) {
        const m = /^\{ingress-controller\} => (.+?) : (.+)$/.exec(line.trim());
        if (m) want.set(m[1], ConnSet.parse(m[2]));
      }
      assert.ok(want.size > 0);
      assert.deepEqual(
        Object.fromEntries([...got].map(([k, v]) => [k, v.toString()]).sort()),
        Object.fromEntries([...want].map(([k, v]) => [k, v.toString()]).sort()),
      );
    });
  }
});
