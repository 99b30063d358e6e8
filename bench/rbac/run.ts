/**
 * RBAC analysis at scale (issue 3): 3,200 namespaces, 11,000 RoleBindings, 200 ClusterRoleBindings.
 * Prints index build time, full escalation analysis (graph + every subject's shortest paths; target ≤ 2 s),
 * who-can per query (target ≤ 5 ms) and, measured in the same run, a naive who-can that scans every
 * binding per query, with the speed-up ratio.
 *   node --import tsx bench/rbac/run.ts [namespaces] [roleBindings] [clusterRoleBindings]
 */
import { RbacAnalysis } from '../../src/analysis/rbac/analysis.js';
import { ruleAllows } from '../../src/analysis/rbac/matching.js';
import type { RbacIndex } from '../../src/analysis/rbac/rbac-index.js';
import type { ResourceRequest } from '../../src/analysis/rbac/types.js';
import { subjectKey } from '../../src/analysis/rbac/identity.js';
import { RESOURCES, VERBS, syntheticCluster } from './corpus.js';

const [nsCount, rbCount, crbCount] = [3200, 11000, 200].map((d, i) => Number(process.argv[2 + i] ?? d));
const corpus = syntheticCluster(nsCount, rbCount, crbCount);

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

/** Baseline: what a straightforward implementation does per query — look at every binding. */
function naiveWhoCan(index: RbacIndex, req: ResourceRequest): Set<string> {
  const out = new Set<string>();
  for (const b of index.bindings) {
    if (b.binding.kind === 'RoleBinding' && b.binding.namespace !== req.namespace) continue;
    const rules = index.rulesOf(b);
    if (rules.some((r) => ruleAllows(r, req))) for (const s of b.binding.subjects) out.add(subjectKey(s));
  }
  return out;
}

const build = time(() => new RbacAnalysis(corpus.objects));
const rbac = build.value;
const graph = time(() => rbac.graph);
const paths = time(() => rbac.shortestPaths);
const all = time(() => rbac.paths());
const escalationMs = graph.ms + paths.ms + all.ms;

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const queries: ResourceRequest[] = Array.from({ length: 2000 }, () => {
  const [apiGroup, resource] = RESOURCES[Math.floor(rand() * RESOURCES.length)];
  return { verb: VERBS[Math.floor(rand() * VERBS.length)], apiGroup, resource, namespace: corpus.namespaces[Math.floor(rand() * corpus.namespaces.length)] };
});
// Warm up, then measure.
for (const q of queries.slice(0, 100)) rbac.whoCan(q);
const indexed = time(() => {
  let n = 0;
  for (const q of queries) n += rbac.whoCan(q).subjects.length;
  return n;
});
const anyNs = time(() => {
  let n = 0;
  for (const q of queries.slice(0, 200)) n += rbac.whoCan({ ...q, namespace: '*' }).subjects.length;
  return n;
});
const naiveQueries = queries.slice(0, 200);
const naive = time(() => {
  let n = 0;
  for (const q of naiveQueries) n += naiveWhoCan(rbac.index, q).size;
  return n;
});
// Same answers (the superuser group is left out of both: who-can always lists it, the naive scan only via bindings).
let mismatches = 0;
for (const q of naiveQueries.slice(0, 50)) {
  const a = new Set(rbac.whoCan(q).subjects.map((s) => subjectKey(s)).filter((k) => k !== 'group:system:masters'));
  const b = naiveWhoCan(rbac.index, q);
  b.delete('group:system:masters');
  if (a.size !== b.size || [...b].some((k) => !a.has(k))) mismatches++;
}

const perQuery = indexed.ms / queries.length;
const naivePerQuery = naive.ms / naiveQueries.length;
const fmt = (n: number) => n.toFixed(2);
console.log(`cluster: ${nsCount} namespaces, ${corpus.counts.RoleBinding} RoleBindings, ${corpus.counts.ClusterRoleBinding} ClusterRoleBindings, ${corpus.counts.Role} Roles, ${corpus.counts.ServiceAccount} ServiceAccounts, ${corpus.objects.length} objects`);
console.log(`index build:              ${fmt(build.ms)} ms`);
console.log(`escalation graph:         ${fmt(graph.ms)} ms (${rbac.graph.nodes.size} nodes, ${rbac.graph.edgeCount} edges)`);
console.log(`shortest paths (BFS):     ${fmt(paths.ms)} ms`);
console.log(`all subjects' paths:      ${fmt(all.ms)} ms (${all.value.length} paths)`);
console.log(`full escalation analysis: ${fmt(escalationMs)} ms (target ≤ 2000 ms) ${escalationMs <= 2000 ? 'OK' : 'OVER'}`);
console.log(`who-can (indexed):        ${perQuery.toFixed(3)} ms/query over ${queries.length} queries (target ≤ 5 ms) ${perQuery <= 5 ? 'OK' : 'OVER'}`);
console.log(`who-can -A (any namespace): ${(anyNs.ms / 200).toFixed(3)} ms/query over 200 queries (avg ${Math.round(anyNs.value / 200)} subjects per answer)`);
console.log(`who-can (naive scan):     ${naivePerQuery.toFixed(3)} ms/query over ${naiveQueries.length} queries (baseline)`);
console.log(`ratio naive / indexed:    ${(naivePerQuery / perQuery).toFixed(1)}×   answers differing on 50 checked queries: ${mismatches}`);
