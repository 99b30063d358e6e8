/**
 * NetworkPolicy reachability benchmark: 5,000 pods in 200 namespaces with 1,000 policies.
 * Run: node --import tsx bench/netpol/run.ts [--namespaces N --pods-per-ns N --policies-per-ns N --sample N --unique]
 * (--unique gives every pod its own labels, so no two pods share an equivalence class: the worst case.)
 * Prints the full-matrix time and memory, and the naive per-pod-pair evaluation (measured on a sample in the
 * same run, extrapolated to every pair) with the ratio. Not a test: no thresholds are asserted.
 */
import { buildCluster } from '../../src/analysis/network/cluster.js';
import { evaluatePair, type Endpoint } from '../../src/analysis/network/evaluate.js';
import { computeMatrix } from '../../src/analysis/network/matrix.js';
import { diff } from '../../src/analysis/network/diff.js';
import { exposure } from '../../src/analysis/network/exposure.js';
import { isolation } from '../../src/analysis/network/isolation.js';
import { generateCluster } from './generate.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const unique = process.argv.includes('--unique');
const shape = { namespaces: arg('namespaces', 200), podsPerNamespace: arg('pods-per-ns', 25), policiesPerNamespace: arg('policies-per-ns', 5), unique };
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const objects = generateCluster(shape);

let t = performance.now();
const cluster = buildCluster(objects);
const buildMs = performance.now() - t;

const rssBefore = process.memoryUsage().rss;
t = performance.now();
const matrix = computeMatrix(cluster);
const matrixMs = performance.now() - t;
const allowedPairs = matrix.countAllowedPodPairs();
const rssAfter = process.memoryUsage().rss;
const maxRss = process.resourceUsage().maxRSS * 1024;

// Baseline: the reference evaluator, one pod pair at a time (what a naive tool does), on a random sample.
const pods = cluster.pods;
const n = pods.length;
const sample = arg('sample', 20000);
let seed = 7;
const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
const ep = (i: number): Endpoint => ({ type: 'pod', pod: pods[i] });
let mismatches = 0;
t = performance.now();
for (let k = 0; k < sample; k++) {
  const a = Math.floor(next() * n);
  let b = Math.floor(next() * n);
  if (a === b) b = (b + 1) % n;
  const v = evaluatePair(cluster, ep(a), ep(b));
  if (!v.conns.equals(matrix.connsBetween(pods[a].key, pods[b].key))) mismatches++;
}
const naivePerPairMs = (performance.now() - t) / sample;
const totalPairs = n * (n - 1);
const naiveMs = naivePerPairMs * totalPairs;

console.log(`netpol bench${unique ? ' (worst case: every pod unique)' : ''}: ${cluster.pods.length} pods, ${cluster.namespaces.size} namespaces, ${cluster.policies.length} policies`);
console.log(`  equivalence classes:       ${matrix.classes.length} (+ ${matrix.externals.length} external intervals), ${matrix.table.size} distinct connection sets`);
console.log(`  build model:               ${buildMs.toFixed(0)} ms`);
console.log(`  full matrix:               ${matrixMs.toFixed(0)} ms  (${allowedPairs.toLocaleString('en')} of ${totalPairs.toLocaleString('en')} ordered pod pairs allowed)`);
console.log(`  memory:                    rss ${mb(rssBefore)} -> ${mb(rssAfter)}, peak rss ${mb(maxRss)}`);
console.log(`  baseline (naive per pair): ${(naivePerPairMs * 1000).toFixed(1)} µs/pair on ${sample} sampled pairs -> ${(naiveMs / 1000).toFixed(0)} s extrapolated for all pairs`);
console.log(`  speed-up:                  ${(naiveMs / matrixMs).toFixed(0)}x  (baseline ÷ matrix)`);
console.log(`  sample cross-check:        ${sample - mismatches}/${sample} sampled pairs identical in both evaluators`);
console.log(`  targets:                   matrix ≤ 10 s: ${matrixMs <= 10000 ? 'met' : 'MISSED'}; peak rss ≤ 1 GiB: ${maxRss <= 1024 ** 3 ? 'met' : 'MISSED'}`);

// Other operations on the same cluster (informational).
const timed = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
};
const [iso, isoMs] = timed(() => isolation(cluster));
const [exp, expMs] = timed(() => exposure(cluster));
// A policy change: every 20th namespace drops its first policy.
const changed = buildCluster(objects.filter((o, i) => !(o.kind === 'NetworkPolicy' && Number(o.metadata?.namespace?.slice(3)) % 20 === 0 && objects[i - 1]?.kind !== 'NetworkPolicy')));
const [d, diffMs] = timed(() => diff(cluster, changed));
console.log(`  isolation:                 ${isoMs.toFixed(0)} ms (${iso.summary.unisolated} pods isolated in neither direction)`);
console.log(`  exposure:                  ${expMs.toFixed(0)} ms (${exp.internet.length} pods reachable from public addresses)`);
console.log(`  diff (${cluster.policies.length - changed.policies.length} policies removed):     ${diffMs.toFixed(0)} ms (+${d.newlyAllowed.length} / -${d.newlyDenied.length} pod pairs)`);
