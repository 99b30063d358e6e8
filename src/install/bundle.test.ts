/**
 * `kubeguard install`, held to the bar for every registered component (and any added later):
 * our own scan at the pss-restricted preset finds nothing but the declared host exceptions, no high finding at
 * the recommended preset, `kubectl kustomize` renders the base to the same objects, replicated parts have a
 * PodDisruptionBudget and anti-affinity, every container has requests and limits, every pod is selected by a
 * NetworkPolicy of its own besides the namespace's default deny, and the image is the one given.
 * The bundle's host mechanism (namespace, annotations) is exercised with a test component shaped like a node
 * agent, since no host part is registered yet.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject, Resource } from '../core/model.js';
import { refOf } from '../core/ref.js';
import { allContainers, podTemplateOf } from '../core/podspec.js';
import { resolveRules } from '../engine/resolve-rules.js';
import { scan } from '../engine/scan.js';
import { IGNORE_ANNOTATION } from '../engine/exceptions.js';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { ruleCatalog } from '../admission/test-support/catalog.js';
import type { InstallComponent } from './component.js';
import { COMPONENTS } from './registry.js';
import { buildBundle, hostNamespace, renderKustomizeBase, renderStream } from './bundle.js';
import type { Bundle, BundleSettings } from './bundle.js';

const DIGEST_REF = 'registry.example.com/kubeguard/kubeguard@sha256:' + 'ab'.repeat(32);

async function settings(over: Partial<BundleSettings> = {}): Promise<BundleSettings> {
  return { namespace: 'kubeguard', image: DIGEST_REF, replicas: 2, certManager: false, failurePolicy: 'Fail', validDays: 30, agentMode: 'watch', catalog: await ruleCatalog(), now: new Date(), ...over };
}

/** A node agent as the sensor or node checks will be: a DaemonSet that reads the host's /proc in its PID namespace. */
const hostAgent: InstallComponent = {
  name: 'test-node-agent',
  summary: 'test component',
  needs: ['the host PID namespace and /proc'],
  placement: 'host',
  hostExceptions: [
    { rules: ['pss-host-namespaces'], reason: 'hostPID: attributes processes of every pod on the node' },
    { rules: ['pss-host-path-volumes', 'pss-restricted-volumes'], reason: 'reads /proc of the host, read-only' },
  ],
  async manifests(s) {
    const labels = { 'app.kubernetes.io/name': 'agent' };
    return [
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent', namespace: s.namespace },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              hostPID: true,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'agent',
                  image: s.image,
                  resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [{ name: 'proc', mountPath: '/host/proc', readOnly: true }],
                },
              ],
              volumes: [{ name: 'proc', hostPath: { path: '/proc', type: 'Directory' } }],
            },
          },
        },
      },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'agent', namespace: s.namespace }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'] } },
    ];
  },
};

function loaded(text: string): Resource[] {
  const parsed = parseManifestText(text, 'install.yaml');
  assert.deepEqual(parsed.errors ?? [], []);
  return parsed.resources;
}

async function restrictedScan(resources: Resource[]) {
  const report = scan(resources, { rules: resolveRules(await ruleCatalog(), { preset: 'pss-restricted' }), now: new Date() });
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.notEvaluated.filter((n) => n.ruleId), []);
  return report;
}

const objectsOf = (b: Bundle) => b.files.flatMap((f) => f.objects);
const withoutAnnotation = (o: KubeObject): KubeObject => {
  const annotations = { ...(o.metadata?.annotations ?? {}) };
  delete annotations[IGNORE_ANNOTATION];
  return { ...o, metadata: { ...o.metadata, annotations } };
};

describe('kubeguard install bundle', () => {
  for (const variant of [{}, { certManager: true }, { replicas: 1 }, { agentMode: 'cronjob' }] as Partial<BundleSettings>[]) {
    test(`every registered component passes pss-restricted with zero findings ${JSON.stringify(variant)}`, async () => {
      for (const subset of [...COMPONENTS.map((c) => [c]), COMPONENTS]) {
        const bundle = await buildBundle(subset, await settings(variant));
        const resources = loaded(renderStream(bundle));
        const report = await restrictedScan(resources);
        assert.deepEqual(report.findings.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name} ${f.path}`), []);
        assert.ok(resources.some((r) => podTemplateOf(r.object)), 'a workload was judged');
      }
    });
  }

  test('no high or critical finding at the recommended preset; image pinned by digest leaves no digest finding', async () => {
    const bundle = await buildBundle(COMPONENTS, await settings());
    const report = scan(loaded(renderStream(bundle)), { rules: resolveRules(await ruleCatalog(), { preset: 'recommended' }), now: new Date() });
    assert.deepEqual(report.findings.filter((f) => f.severity === 'high' || f.severity === 'critical' || f.ruleId === 'image-not-pinned-by-digest').map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`), []);
  });

  test('host parts: own privileged namespace, and exactly their declared exceptions, annotated with reasons', async () => {
    const bundle = await buildBundle([...COMPONENTS, hostAgent], await settings());
    const objects = objectsOf(bundle);
    const ns = objects.filter((o) => o.kind === 'Namespace');
    assert.deepEqual(ns.map((n) => [n.metadata?.name, n.metadata?.labels?.['pod-security.kubernetes.io/enforce'], n.metadata?.labels?.['pod-security.kubernetes.io/warn']]), [
      ['kubeguard', 'restricted', 'restricted'],
      [hostNamespace('kubeguard'), 'privileged', 'restricted'],
    ]);
    const agent = objects.find((o) => o.kind === 'DaemonSet' && o.metadata?.name === 'agent')!;
    assert.equal(agent.metadata?.namespace, 'kubeguard-node');
    assert.match(agent.metadata?.annotations?.[IGNORE_ANNOTATION] ?? '', /^pss-host-namespaces,pss-host-path-volumes,pss-restricted-volumes: the test-node-agent needs the host \(.*hostPID.*read-only\)$/);
    assert.equal(objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'agent')?.metadata?.annotations, undefined, 'only workloads carry the exception');

    const annotated = await restrictedScan(loaded(renderStream(bundle)));
    assert.deepEqual(annotated.findings.map((f) => f.ruleId), []);
    assert.deepEqual([...new Set(annotated.suppressed.filter((s) => s.resource.name === 'agent').map((s) => `${s.ruleId} ${s.resource.name} ${s.source}`))].sort(), [
      'pss-host-namespaces agent annotation',
      'pss-host-path-volumes agent annotation',
      'pss-restricted-volumes agent annotation',
    ]);
    assert.ok(annotated.suppressed.every((s) => s.reason.includes('needs the host')));

    // Without the annotations, the findings are exactly the declared rules: nothing undeclared hides behind them
    // (pss-restricted), and no declaration is stale (each declared rule fires at the strict preset).
    const bareObjects = objects.map(withoutAnnotation).map((o) => ({ ref: refOf(o), object: o }));
    const bare = await restrictedScan(bareObjects);
    const strict = scan(bareObjects, { rules: resolveRules(await ruleCatalog(), { preset: 'strict' }), now: new Date() });
    for (const c of [...COMPONENTS, hostAgent].filter((x) => x.placement === 'host')) {
      const declared = c.hostExceptions!.flatMap((e) => e.rules).sort();
      const names = new Set(objectsOf(await buildBundle([c], await settings())).map((o) => o.metadata?.name));
      const found = (r: typeof bare) => [...new Set(r.findings.filter((f) => names.has(f.resource.name)).map((f) => f.ruleId))].sort();
      assert.deepEqual(found(bare).filter((id) => !declared.includes(id)), [], `${c.name}: nothing undeclared`);
      assert.deepEqual(declared.filter((id) => !found(strict).includes(id)), [], `${c.name}: every declared rule is needed`);
    }
    assert.deepEqual([...new Set(bare.findings.filter((f) => f.resource.name === 'agent').map((f) => f.ruleId))].sort(), hostAgent.hostExceptions!.flatMap((e) => e.rules).sort());
  });

  test('a host part without declared exceptions is refused', async () => {
    await assert.rejects(buildBundle([{ ...hostAgent, hostExceptions: [] }], await settings()), /declares no exceptions/);
  });

  test('replicated parts: PDB and anti-affinity; every container has requests and limits; every pod has a NetworkPolicy of its own', async () => {
    const objects = objectsOf(await buildBundle([...COMPONENTS, hostAgent], await settings({ replicas: 3 })));
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as (KubeObject & { spec: { podSelector: { matchLabels?: Record<string, string> } } })[];
    const defaultDeny = policies.filter((p) => Object.keys(p.spec.podSelector).length === 0);
    assert.deepEqual(defaultDeny.map((p) => p.metadata?.namespace).sort(), ['kubeguard', 'kubeguard-node']);
    let workloads = 0;
    for (const o of objects) {
      const template = podTemplateOf(o);
      if (!template) continue;
      workloads++;
      const podLabels = template.metadata.labels ?? {};
      const selects = (sel?: Record<string, string>) => sel !== undefined && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => podLabels[k] === v);
      assert.ok(policies.some((p) => p.metadata?.namespace === o.metadata?.namespace && selects(p.spec.podSelector.matchLabels)), `${o.kind}/${o.metadata?.name} has its own NetworkPolicy`);
      for (const { container: c } of allContainers(template.spec, template.specPath)) {
        const resources = c.resources as { requests?: object; limits?: object } | undefined;
        assert.ok(resources?.requests && resources.limits, `${o.metadata?.name}/${c.name} requests and limits`);
        assert.equal(c.image, DIGEST_REF);
      }
      const replicas = (o as { spec: { replicas?: number } }).spec.replicas;
      if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
        // a singleton (one replica by design, e.g. the watching agent) is replaced, never doubled, in a rollout
        const singleton = replicas === 1 && (o as { spec: { strategy?: { type?: string } } }).spec.strategy?.type === 'Recreate';
        assert.ok(replicas === 3 || singleton, `${o.metadata?.name}: the replicas asked for, or a Recreate singleton`);
        assert.ok((template.spec as { affinity?: { podAntiAffinity?: unknown } }).affinity?.podAntiAffinity, `${o.metadata?.name} anti-affinity`);
        const pdb = objects.find((p) => p.kind === 'PodDisruptionBudget' && p.metadata?.namespace === o.metadata?.namespace && selects((p as { spec: { selector: { matchLabels: Record<string, string> } } }).spec.selector.matchLabels));
        assert.ok(pdb, `${o.metadata?.name} PodDisruptionBudget`);
        const budget = (pdb as { spec: { minAvailable?: number; maxUnavailable?: number } }).spec;
        if (singleton) assert.ok((budget.maxUnavailable ?? 0) >= 1 && budget.minAvailable === undefined, `${o.metadata?.name}: a drain may evict the singleton`);
      }
    }
    assert.ok(workloads >= 2);
  });

  test('least RBAC: no wildcard in any role, and every role is bound only to a service account of the bundle', async () => {
    const objects = objectsOf(await buildBundle(COMPONENTS, await settings()));
    type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; nonResourceURLs?: string[] };
    for (const role of objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole') as (KubeObject & { rules?: Rule[]; aggregationRule?: unknown })[]) {
      assert.equal(role.aggregationRule, undefined, `${role.metadata?.name}: no aggregation`);
      for (const r of role.rules ?? []) for (const list of [r.apiGroups, r.resources, r.verbs, r.nonResourceURLs]) assert.ok(!(list ?? []).includes('*'), `${role.kind}/${role.metadata?.name}: no wildcard`);
    }
    const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
    for (const b of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') as (KubeObject & { subjects?: { kind: string; name: string; namespace?: string }[] })[]) {
      for (const sub of b.subjects ?? []) assert.ok(sub.kind === 'ServiceAccount' && accounts.has(`${sub.namespace}/${sub.name}`), `${b.metadata?.name} binds only our service accounts`);
    }
  });

  test('docs/install.md describes every registered component', () => {
    const doc = readFileSync(new URL('../../docs/install.md', import.meta.url), 'utf8');
    for (const c of COMPONENTS) assert.match(doc, new RegExp(`^### ${c.name} \\(`, 'm'), c.name);
  });

  test('kubectl kustomize renders the base to the objects of the stream', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-install-'));
    try {
      const bundle = await buildBundle([...COMPONENTS, hostAgent], await settings({ certManager: true }));
      for (const [name, text] of renderKustomizeBase(bundle)) writeFileSync(join(dir, name), text);
      const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.error && process.env.CI !== 'true') return t.skip('kubectl is not installed (scripts/setup.d/kubectl.sh installs it)');
      assert.equal(r.status, 0, r.stderr);
      const key = (o: KubeObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
      const sorted = (xs: KubeObject[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
      assert.deepEqual(sorted(yaml.loadAll(r.stdout) as KubeObject[]), sorted(objectsOf(bundle)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
