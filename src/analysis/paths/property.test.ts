// Property tests over random scenes (fast-check): every path printed is valid hop by hop (each hop is an edge of
// the graph, the hops chain, no node repeats, the score is the product of the hops' likelihoods), and applying the
// cut's patches to the objects (fast-json-patch, as a user would) and building the graph again leaves no path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../core/model.js';
import { AttackGraph, findPaths, TARGETS, type ImageVulnerability, type IncidentMark, type PathsQuery } from './index.js';
import { CRITICAL_FIXED, crb, denyIngress, deployment, ns, rb, role, sa, service } from './test-support/scenes.js';
import { applyPatches } from './test-support/apply-cut.js';

const NAMESPACES = ['a', 'b'];
const SAS = ['default', 's1', 's2'];

const workloadArb = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  sa: fc.constantFrom(...SAS),
  exposed: fc.constantFrom('none', 'LoadBalancer', 'NodePort'),
  vulnerable: fc.boolean(),
  privileged: fc.boolean(),
  hostPath: fc.constantFrom('none', '/etc', '/var/run/docker.sock'),
  hostNetwork: fc.boolean(),
  noToken: fc.boolean(),
  hostPort: fc.boolean(),
  incident: fc.boolean(),
  group: fc.constantFrom('g1', 'g2', 'g3'),
});

const bindingArb = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  sa: fc.constantFrom(...SAS),
  grant: fc.constantFrom('cluster-admin', 'create-pods', 'exec', 'get-secrets', 'token'),
});

const sceneArb = fc.record({
  workloads: fc.array(workloadArb, { minLength: 1, maxLength: 6 }),
  bindings: fc.array(bindingArb, { maxLength: 5 }),
  isolate: fc.subarray(['g1', 'g2', 'g3']),
  tokenSecret: fc.boolean(),
});

type Scene = typeof sceneArb extends fc.Arbitrary<infer T> ? T : never;

const GRANT_RULES: Record<string, unknown[]> = {
  'create-pods': [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }],
  exec: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
  'get-secrets': [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
  token: [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }],
};

function build(s: Scene): { objects: KubeObject[]; vulns: Map<string, ImageVulnerability[]>; incidents: IncidentMark[] } {
  const objects: KubeObject[] = NAMESPACES.map((n) => ns(n));
  const vulns = new Map<string, ImageVulnerability[]>();
  const incidents: IncidentMark[] = [];
  s.workloads.forEach((w, i) => {
    const name = `w${i}`;
    const image = `img/${name}:1`;
    if (w.vulnerable) vulns.set(image, CRITICAL_FIXED);
    const volumes = w.hostPath === 'none' ? [] : [{ name: 'h', hostPath: { path: w.hostPath } }];
    objects.push(deployment(w.ns, name, {
      sa: w.sa,
      image,
      labels: { app: name, group: w.group },
      ports: [{ containerPort: 8080, ...(w.hostPort ? { hostPort: 18080 + i } : {}) }],
      ...(w.privileged ? { securityContext: { privileged: true } } : {}),
      ...(volumes.length ? { volumeMounts: [{ name: 'h', mountPath: '/h' }] } : {}),
      podSpec: { ...(volumes.length ? { volumes } : {}), ...(w.hostNetwork ? { hostNetwork: true } : {}), ...(w.noToken ? { automountServiceAccountToken: false } : {}) },
    }));
    if (w.exposed !== 'none') objects.push(service(w.ns, name, w.exposed, 8080, { app: name }));
    if (w.incident) incidents.push({ ruleId: 'runtime-shell-in-container', severity: 'high', workload: { namespace: w.ns, kind: 'Deployment', name } });
  });
  s.bindings.forEach((b, i) => {
    if (b.grant === 'cluster-admin') objects.push(crb(`crb${i}`, 'cluster-admin', [sa(b.ns, b.sa)]));
    else {
      objects.push(role(b.ns, `r${i}`, GRANT_RULES[b.grant]));
      objects.push(rb(b.ns, `rb${i}`, 'Role', `r${i}`, [sa(b.ns, b.sa)]));
    }
  });
  for (const n of NAMESPACES) for (const g of s.isolate) objects.push(denyIngress(n, `iso-${g}`, { matchLabels: { group: g } }));
  if (s.tokenSecret) {
    objects.push({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 's2-token', namespace: 'a', annotations: { 'kubernetes.io/service-account.name': 's2' } } });
  }
  return { objects, vulns, incidents };
}

function answer(objects: KubeObject[], vulns: Map<string, ImageVulnerability[]>, incidents: IncidentMark[], q: PathsQuery) {
  const g = new AttackGraph({ objects, vulnerabilities: vulns, incidents });
  return { g, a: findPaths(g, q) };
}

const QUERIES: PathsQuery[] = [{}, { to: ['cluster-admin'] }, { from: ['internet'], to: [...TARGETS] }];

describe('attack paths: properties over random scenes', () => {
  it('every printed path is valid hop by hop', () => {
    fc.assert(
      fc.property(sceneArb, fc.constantFrom(...QUERIES), (scene, q) => {
        const { objects, vulns, incidents } = build(scene);
        const { g, a } = answer(objects, vulns, incidents, q);
        for (const p of a.paths) {
          assert.ok(p.hops.length > 0);
          assert.equal(p.hops[0].from, p.from);
          assert.equal(p.hops[p.hops.length - 1].to, p.to);
          const visited = new Set([p.from]);
          let likelihood = 1;
          p.hops.forEach((h, i) => {
            if (i > 0) assert.equal(h.from, p.hops[i - 1].to, 'hops chain');
            const e = g.out(h.from).find((x) => x.to === h.to && x.edge === h.edge && x.evidence === h.evidence);
            assert.ok(e, `hop ${h.from} -${h.edge}-> ${h.to} is an edge of the graph`);
            assert.deepEqual(h.technique, e.technique);
            likelihood *= e.likelihood;
            assert.ok(!visited.has(h.to), 'no node repeats');
            visited.add(h.to);
            assert.ok(g.nodes.has(h.to), 'every node is described');
            assert.ok(a.nodes[h.to], 'the JSON names every node of the paths');
          });
          assert.equal(p.score, Math.round(likelihood * 1000) / 1000);
          assert.ok((q.to ?? TARGETS).includes(p.to));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('applying the cut and building again leaves no path', () => {
    fc.assert(
      fc.property(sceneArb, fc.constantFrom(...QUERIES), (scene, q) => {
        const { objects, vulns, incidents } = build(scene);
        const { a } = answer(objects, vulns, incidents, q);
        if (a.paths.length === 0) return;
        assert.ok(a.cutInfo.complete, 'every scene here has a change for each path');
        const patched = applyPatches(objects, a.cut.flatMap((c) => c.patch));
        const after = answer(patched, vulns, incidents, q).a;
        assert.deepEqual(after.paths.map((p) => p.hops.map((h) => `${h.from}>${h.to}`).join(' ')), []);
        // every change breaks some path shown (the paths its checks found are shown too), and none is redundant
        assert.ok(a.cut.every((c) => c.breaks > 0));
        assert.ok(a.cut.length <= a.paths.length);
      }),
      { numRuns: 150 },
    );
  });
});
