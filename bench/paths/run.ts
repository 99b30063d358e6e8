/**
 * Attack paths at scale (issue #22): 10,000 workloads (pods), 1,000 NetworkPolicies, 11,000 RoleBindings, with
 * LoadBalancer Services, exploitable images, privileged pods and dangerous grants sprinkled in so paths exist.
 * Measures, in the same run, the graph build plus every path from the entry points to the three critical
 * targets (with the cut), against the sum of the underlying analyses alone: the RBAC escalation analysis (graph
 * and every subject's shortest paths, `rbac paths`), the NetworkPolicy engine (cluster, reachability matrix,
 * exposure) and the workload-vulnerability correlation. Target: ≤ 10 s and ≤ 1 GiB.
 *   node --import tsx --expose-gc bench/paths/run.ts [workloads] [policies] [roleBindings]
 */
import type { KubeObject } from '../../src/core/model.js';
import { RbacAnalysis } from '../../src/analysis/rbac/analysis.js';
import { buildCluster } from '../../src/analysis/network/cluster.js';
import { computeMatrix } from '../../src/analysis/network/matrix.js';
import { exposure } from '../../src/analysis/network/exposure.js';
import { correlateWorkloads } from '../../src/analysis/vulns/workloads.js';
import type { Vulnerability } from '../../src/analysis/vulns/scan.js';
import { AttackGraph, findPaths, type ImageVulnerability } from '../../src/analysis/paths/index.js';
import { rng } from '../support/rng.js';

const [workloads, policies, roleBindings] = [10_000, 1_000, 11_000].map((d, i) => Number(process.argv[2 + i] ?? d));
const RBAC = 'rbac.authorization.k8s.io';
const rand = rng(22);
const nsCount = Math.max(1, Math.round(workloads / 20));
const objects: KubeObject[] = [];
const vulns = new Map<string, ImageVulnerability[]>();
for (let n = 0; n < nsCount; n++) {
  const ns = `ns-${n}`;
  objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: n % 3 === 0 ? { 'pod-security.kubernetes.io/enforce': 'baseline' } : {} } });
  objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: ns } });
  objects.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'reader', namespace: ns }, rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list'] }] });
  objects.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'ops', namespace: ns }, rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get', 'create'] }] });
}
for (let i = 0; i < workloads; i++) {
  const ns = `ns-${i % nsCount}`;
  const name = `w-${i}`;
  const image = `registry.example/app-${i % 500}:1.${i % 7}`;
  const tier = i % 4 === 0 ? 'web' : i % 4 === 1 ? 'api' : 'db';
  const privileged = rand() < 0.01;
  objects.push({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier } },
        spec: {
          serviceAccountName: rand() < 0.5 ? 'app' : 'default',
          ...(rand() < 0.3 ? { automountServiceAccountToken: false } : {}),
          containers: [{ name: 'main', image, ports: [{ containerPort: 8080 }], ...(privileged ? { securityContext: { privileged: true } } : {}) }],
        },
      },
    },
  });
  if (rand() < 0.02) objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 443, targetPort: 8080 }] } });
}
for (let i = 0; i < 500; i++) if (rand() < 0.1) vulns.set(`registry.example/app-${i}:1.${i % 7}`, [{ id: `CVE-2024-${1000 + i}`, severity: 'critical', package: 'openssl', version: '3.0.1', fixedVersion: '3.0.8' }]);
for (let p = 0; p < policies; p++) {
  const ns = `ns-${p % nsCount}`;
  objects.push(p % 2 === 0
    ? { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `db-${p}`, namespace: ns }, spec: { podSelector: { matchLabels: { tier: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'api' } } }], ports: [{ port: 8080 }] }] } }
    : { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `api-${p}`, namespace: ns }, spec: { podSelector: { matchLabels: { tier: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }] }] } });
}
for (let b = 0; b < roleBindings; b++) {
  const ns = `ns-${b % nsCount}`;
  const r = rand();
  const role = r < 0.02 ? { kind: 'Role', name: 'ops' } : r < 0.021 ? { kind: 'ClusterRole', name: 'admin' } : { kind: 'Role', name: 'reader' };
  const subject = rand() < 0.7 ? { kind: 'ServiceAccount', name: rand() < 0.5 ? 'app' : 'default', namespace: ns } : { kind: 'User', name: `user-${b % 3000}`, apiGroup: RBAC };
  objects.push({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: `rb-${b}`, namespace: ns }, roleRef: { apiGroup: RBAC, ...role }, subjects: [subject] });
}
for (let c = 0; c < 5; c++) objects.push({ apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: `crb-${c}` }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: `ns-${c * 37 % nsCount}` }] });

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
function time<T>(fn: () => T): { ms: number; value: T } {
  (globalThis as { gc?: () => void }).gc?.();
  const t = performance.now();
  const value = fn();
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { ms: performance.now() - t, value };
}

// The underlying analyses alone, as their own commands run them.
const rbac = time(() => {
  const a = new RbacAnalysis(objects);
  return a.shortestPaths.allPaths().length;
});
const net = time(() => {
  const c = buildCluster(objects);
  const m = computeMatrix(c, { externals: false });
  return m.classes.length + exposure(c).routes.length;
});
const vuln = time(() => correlateWorkloads(objects, (image) => (vulns.get(image) ?? []) as unknown as Vulnerability[]).length);
const baseline = rbac.ms + net.ms + vuln.ms;

const paths = time(() => {
  const g = new AttackGraph({ objects, vulnerabilities: vulns });
  const a = findPaths(g);
  return { g, a };
});
clearInterval(sampler);
const { g, a } = paths.value;
const counts = new Map<string, number>();
for (const o of objects) counts.set(o.kind ?? '', (counts.get(o.kind ?? '') ?? 0) + 1);
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`cluster: ${counts.get('Deployment')} workloads, ${counts.get('NetworkPolicy')} NetworkPolicies, ${counts.get('RoleBinding')} RoleBindings, ${counts.get('Service')} LoadBalancers, ${vulns.size} vulnerable images, ${objects.length} objects`);
console.log(`underlying analyses:  rbac paths ${fmt(rbac.ms)} (${rbac.value} paths) + netpol matrix/exposure ${fmt(net.ms)} + vulnerability correlation ${fmt(vuln.ms)} = ${fmt(baseline)}`);
console.log(`attack paths:         ${fmt(paths.ms)} (graph ${g.nodes.size} nodes, ${g.edgeCount} edges built; ${a.paths.length} paths to cluster-admin/secrets/nodes; cut ${a.cut.length} changes, ${a.cutInfo.exact ? 'exact' : 'greedy'}, ${a.cutInfo.rounds} rounds)`);
console.log(`ratio attack paths / sum of underlying analyses: ${(paths.ms / baseline).toFixed(2)}×`);
console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (target ≤ 1024 MiB) ${peakRss <= 2 ** 30 ? 'OK' : 'OVER'}; time target ≤ 10 s ${paths.ms <= 10_000 ? 'OK' : 'OVER'}`);
