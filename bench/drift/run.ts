/**
 * Drift at scale (issue #24): N namespaces of Deployments, Services, ConfigMaps, Roles and RoleBindings, applied
 * (live objects as the API server keeps them: defaults, server-set metadata, managedFields of kubectl apply), with 1 %
 * edited by hand (privileged, image, RBAC, labels) and 1 % shadow objects. Measures, in the same run, what drift
 * costs over what `kubeguard scan` of the manifests alone costs (the rules on the manifests: the baseline a CI job
 * already pays): drift = the rules on both sides + matching, defaulting, comparing, classifying, attributing.
 * Then the same as cold processes of the built CLI: `kubeguard drift` against a dump vs `kubeguard scan` of the manifests.
 *   node --import tsx --expose-gc bench/drift/run.ts [namespaces]      (DRIFT_BENCH_CLI=0: in-process only)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { KubeObject, Resource } from '../../src/core/model.js';
import { refOf } from '../../src/core/ref.js';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { RULES } from '../../src/engine/catalog.js';
import { resolveRules } from '../../src/engine/resolve-rules.js';
import { scan } from '../../src/engine/scan.js';
import { analyzeDrift } from '../../src/analysis/drift/index.js';
import { applied, edit } from '../../src/analysis/drift/test-support/live.js';
import { rng } from '../support/rng.js';

const namespaces = Number(process.argv[2] ?? 200);
const rand = rng(24);
const RBAC = 'rbac.authorization.k8s.io';
const manifests: KubeObject[] = [];
for (let n = 0; n < namespaces; n++) {
  const ns = `team-${n}`;
  for (let i = 0; i < 10; i++) {
    const name = `app-${i}`;
    manifests.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels: { app: name } },
      spec: {
        replicas: 2, selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            serviceAccountName: name,
            containers: [{ name: 'main', image: `registry.example/${name}:1.${i}`, ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'prod' }], resources: { limits: { cpu: '500m', memory: '256Mi' } }, securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false }, readinessProbe: { httpGet: { path: '/ready', port: 8080 } } }],
            volumes: [{ name: 'cfg', configMap: { name } }],
          },
        },
      },
    });
    manifests.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] } });
    manifests.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { 'app.properties': 'level=info\n' } });
  }
  manifests.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'reader', namespace: ns }, rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list'] }] });
  manifests.push({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'reader', namespace: ns }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'reader' }, subjects: [{ kind: 'Group', name: `team-${n}`, apiGroup: RBAC }] });
}
const live: KubeObject[] = manifests.map((m) => {
  const o = applied(m);
  if (rand() >= 0.01) return o;
  if (o.kind === 'Deployment') {
    return edit(o, 'kubectl-edit', (x) => {
      const spec = x.spec as { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } };
      spec.template.spec.containers[0].securityContext.privileged = true;
    });
  }
  if (o.kind === 'Role') return edit(o, 'kubectl-edit', (x) => (x.rules as { resources: string[] }[])[0].resources.push('secrets'));
  return edit(o, 'kubectl-label', (x) => ((x.metadata as { labels?: Record<string, string> }).labels = { touched: 'yes' }));
});
for (let s = 0; s < namespaces * 0.3; s++) live.push(applied({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `hotfix-${s}`, namespace: `team-${s % namespaces}` }, data: { debug: 'true' } }));

const asResources = (objects: KubeObject[], isLive: boolean): Resource[] => objects.map((o) => ({ ref: refOf(o), object: o, source: { file: isLive ? 'cluster:bench' : 'manifests.yaml' }, ...(isLive ? { live: true } : {}) }));
const m = asResources(manifests, false);
const l = asResources(live, true);
const rules = resolveRules(RULES, DEFAULT_CONFIG);
const now = new Date('2026-12-06T12:00:00Z');

function time<T>(fn: () => T): { ms: number; value: T } {
  (globalThis as { gc?: () => void }).gc?.();
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

const baseline = time(() => scan(m, { rules, now }).findings.length);
const drift = time(() => {
  const findings = { manifest: scan(m, { rules, now }).findings, live: scan(l, { rules, now }).findings };
  return analyzeDrift({ manifests: m, live: l, unreadable: () => undefined, findings });
});
const byClass = new Map<string, number>();
for (const d of drift.value.drifts) byClass.set(d.drift.class, (byClass.get(d.drift.class) ?? 0) + 1);
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`manifests: ${manifests.length} objects in ${namespaces} namespaces; live: ${live.length} objects (managedFields, defaults, 1 % edited, ${Math.ceil(namespaces * 0.3)} shadow)`);
console.log(`baseline scan of the manifests (rules):  ${fmt(baseline.ms)} (${baseline.value} findings)`);
console.log(`drift (rules on both sides + compare):   ${fmt(drift.ms)} — ${drift.value.compared.matched} compared, ${drift.value.drifts.length} drifts: ${[...byClass].map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`ratio drift / scan of the manifests: ${(drift.ms / baseline.ms).toFixed(2)}×; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

// The CLI as users run it: cold processes of the built CLI, `drift` against a dump of the live objects vs `scan` of
// the same manifests (median of DRIFT_BENCH_RUNS, default 3). Skipped with DRIFT_BENCH_CLI=0.
if (process.env.DRIFT_BENCH_CLI !== '0') {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync('npm', ['run', 'build:cli'], { cwd: root, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-drift-'));
  const manifestFile = join(dir, 'manifests.yaml');
  const dumpFile = join(dir, 'live.json');
  writeFileSync(manifestFile, manifests.map((o) => yaml.dump(o)).join('---\n'));
  writeFileSync(dumpFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: live }));
  const runs = Number(process.env.DRIFT_BENCH_RUNS ?? 3);
  const cli = join(root, 'bin', 'kubeguard.js');
  const median = (args: string[]): number => {
    const walls: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, [cli, ...args, '--output', join(dir, 'out.json'), '-q'], { cwd: dir, env: { ...process.env, KUBEGUARD_SCAN_RESULTS: join(dir, 'none.db') } });
      if (r.status !== 0 && r.status !== 1) throw new Error(`kubeguard ${args[0]} exited ${r.status}: ${r.stderr}`);
      walls.push(performance.now() - t);
    }
    return walls.sort((a, b) => a - b)[Math.floor(walls.length / 2)];
  };
  const scanWall = median(['scan', manifestFile, '-o', 'json']);
  const driftWall = median(['drift', manifestFile, '--snapshot', dumpFile, '-o', 'json']);
  console.log(`cold CLI (median of ${runs}): scan of the manifests ${fmt(scanWall)}, drift against the dump ${fmt(driftWall)}: ${(driftWall / scanWall).toFixed(2)}×`);
  rmSync(dir, { recursive: true, force: true });
}
