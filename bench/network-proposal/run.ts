/**
 * bench/network-proposal: what the dashboard's "what would a proposed policy change" costs on the server, against
 * the same analysis in process (the baseline, measured in the same run): `kubeguard netpol diff` builds both
 * clusters from the objects and diffs them; the server rebuilds the cluster from the network model a whole-cluster
 * scan uploaded (SQLite store, real HTTP: POST /api/v1/network/proposal) and diffs the same way. The proposal is
 * an allow-all ingress policy for one namespace (every connection into its pods that policies denied is gained). Also prints what the
 * network model adds to the upload (records and bytes). bench/netpol's cluster: 200 namespaces × 25 pods by default.
 *   node --import tsx bench/network-proposal/run.ts [--namespaces 200 --pods-per-ns 25 --runs 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCluster } from '../../src/analysis/network/cluster.js';
import { diff } from '../../src/analysis/network/diff.js';
import type { KubeObject } from '../../src/core/model.js';
import { startTestServer } from '../../src/server/test-support/server.js';
import { openStore } from '../../src/sources/store/open.js';
import { sendUpload } from '../../src/sources/upload/client.js';
import { NEWER_INVENTORY_KEYS, uploadLines } from '../../src/sources/upload/format.js';
import { inventoryRecords } from '../../src/usecases/history/inventory.js';
import { generateCluster } from '../netpol/generate.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 5);
const objects = generateCluster({ namespaces: arg('namespaces', 200), podsPerNamespace: arg('pods-per-ns', 25), policiesPerNamespace: 5 });
const proposal: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bench-allow-all', namespace: 'ns-0' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (f: () => unknown) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

console.log(`load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${objects.length} objects`);

// baseline: netpol diff in process
let inProcess: ReturnType<typeof diff> | undefined;
const baseline: number[] = [];
for (let i = 0; i <= RUNS; i++) {
  const ms = await time(() => (inProcess = diff(buildCluster(objects), buildCluster([...objects, proposal]))));
  if (i > 0) baseline.push(ms); // the first run warms up
}

const dir = mkdtempSync(join(tmpdir(), 'kubeguard-bench-proposal-'));
const store = await openStore(join(dir, 'store.db'));
const s = await startTestServer(store);
try {
  const records = [...inventoryRecords(objects)];
  const model = records.filter((r) => NEWER_INVENTORY_KEYS.some((k) => k in r) || 'netClass' in r);
  const bytes = (rs: typeof records) => rs.reduce((n, r) => n + JSON.stringify(r).length + 1, 0);
  const withDetail = bytes(model);
  const withoutDetail = bytes(model.filter((r) => 'netClass' in r).map((r) => ('netClass' in r ? { netClass: { ...r.netClass, members: r.netClass.members.map((m) => ({ kind: m.kind, name: m.name })) } } : r)));
  const uploadMs = await time(() => sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster: 'bench', source: 'kubeguard', scope: 'cluster', scannedAt: new Date().toISOString() }, [], [], [], [], records) }));
  const server: number[] = [];
  let answer: { counts: { gained: number; lost: number } } | undefined;
  const text = JSON.stringify(proposal);
  for (let i = 0; i <= RUNS; i++) {
    const ms = await time(async () => {
      const r = await fetch(`${s.url}/api/v1/network/proposal`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.viewer}`, 'content-type': 'application/json' }, body: JSON.stringify({ cluster: 'bench', policies: text }) });
      answer = (await r.json()) as typeof answer;
    });
    if (i > 0) server.push(ms);
  }
  const same = answer?.counts.gained === inProcess?.newlyAllowed.length && answer?.counts.lost === inProcess?.newlyDenied.length;
  console.log(`workloads ${buildCluster(objects).pods.length}; proposal: ${answer?.counts.gained} gained, ${answer?.counts.lost} lost (${same ? 'same as' : 'DIFFERENT from'} netpol diff)`);
  console.log(`network model in the upload: ${model.length} records, ${(withDetail / 1024).toFixed(0)} KiB (classes without it: ${(withoutDetail / 1024).toFixed(0)} KiB); whole upload ${records.length} records in ${uploadMs.toFixed(0)} ms`);
  console.log(`netpol diff in process (baseline): median ${median(baseline).toFixed(0)} ms`);
  console.log(`POST /api/v1/network/proposal:      median ${median(server).toFixed(0)} ms (worst ${Math.max(...server).toFixed(0)} ms)`);
  console.log(`ratio server / in process: ${(median(server) / median(baseline)).toFixed(2)}`);
  if (!same) process.exitCode = 1;
} finally {
  await s.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
