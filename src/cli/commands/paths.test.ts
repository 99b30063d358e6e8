/**
 * `kubeguard paths` as users run it (a cold process): the JSON contract of issue #22, table with --explain, DOT and
 * Mermaid, --from/--to/--top, the incidents file of `runtime analyze`, a snapshot input, usage errors.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/model.js';
import { kubeguard, kubeguardAsync } from '../test-support/run-cli.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';

let dir: string;
const SCENE = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers: [{name: app, image: "shop/web:1.0", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs, namespace: ops}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec:
      containers:
        - name: agent
          image: "ops/logs:2"
          volumeMounts: [{name: sock, mountPath: /run/containerd/containerd.sock}]
      volumes: [{name: sock, hostPath: {path: /run/containerd/containerd.sock}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-paths-'));
  writeFileSync(join(dir, 'scene.yaml'), SCENE);
  writeFileSync(join(dir, 'vulns.json'), JSON.stringify({ images: { 'shop/web:1.0': [{ id: 'CVE-2024-0001', severity: 'critical', package: 'openssl', version: '3.0.1', fixedVersion: '3.0.8' }] } }));
  writeFileSync(join(dir, 'incidents.json'), JSON.stringify({ incidents: [{ ruleId: 'runtime-shell-in-container', severity: 'high', count: 2, workload: { namespace: 'ops', kind: 'DaemonSet', name: 'logs' } }], events: { read: 2, skipped: 0 } }));
});

interface Json {
  paths: { from: string; to: string; hops: { from: string; to: string; edge: string; evidence: string; technique: { id: string; name: string } }[]; score: number }[];
  cut: { change: string; patch: { object: string; operations: unknown[] }[]; breaks: number }[];
  nodes: Record<string, { type: string; label: string }>;
}

describe('kubeguard paths', () => {
  it('prints the JSON contract: paths with hops, evidence and technique, and the cut as patches', () => {
    const r = kubeguard(['paths', join(dir, 'scene.yaml'), '--vulns', join(dir, 'vulns.json'), '--to', 'cluster-admin', '-o', 'json', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Json;
    assert.equal(j.paths.length, 1);
    const p = j.paths[0];
    assert.deepEqual(Object.keys(p).sort(), ['from', 'hops', 'score', 'to']);
    assert.deepEqual(Object.keys(p.hops[0]).sort(), ['edge', 'evidence', 'from', 'technique', 'to']);
    assert.equal(p.from, 'internet');
    assert.equal(p.to, 'cluster-admin');
    assert.deepEqual(p.hops.map((h) => h.to), ['Deployment/shop/web#app', 'Deployment/shop/web', 'sa:shop/web', 'cluster-admin']);
    assert.ok(p.score > 0 && p.score <= 1);
    assert.equal(j.cut.length, 1);
    assert.deepEqual(Object.keys(j.cut[0]).sort(), ['breaks', 'change', 'patch']);
    assert.equal(j.cut[0].breaks, 1);
    assert.ok(j.cut[0].patch[0].operations.length > 0);
    assert.equal(j.nodes['sa:shop/web'].type, 'serviceaccount');
  });

  it('runtime incidents become entry points; --from a workload or a subject; --top', () => {
    const inc = kubeguard(['paths', join(dir, 'scene.yaml'), '--incidents', join(dir, 'incidents.json'), '--from', 'incidents', '--to', 'nodes', '-o', 'json', '-q']);
    assert.equal(inc.code, 0, inc.stderr);
    const j = JSON.parse(inc.stdout) as Json;
    assert.deepEqual(j.paths[0].hops.map((h) => `${h.edge} ${h.to}`), ['incident DaemonSet/ops/logs', 'escape nodes']);
    assert.match(j.paths[0].hops[1].evidence, /containerd\.sock/);
    const sub = kubeguard(['paths', join(dir, 'scene.yaml'), '--from', 'sa:shop/web', '-o', 'json', '-q']);
    assert.deepEqual((JSON.parse(sub.stdout) as Json).paths.map((p) => p.to).sort(), ['cluster-admin', 'nodes', 'secrets']);
    const top = kubeguard(['paths', join(dir, 'scene.yaml'), '--from', 'sa:shop/web', '--top', '1', '-o', 'json', '-q']);
    assert.equal((JSON.parse(top.stdout) as Json).paths.length, 1);
  });

  it('table with --explain, DOT and Mermaid', () => {
    const t = kubeguard(['paths', join(dir, 'scene.yaml'), '--vulns', join(dir, 'vulns.json'), '--to', 'cluster-admin', '--explain', '-q']);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /1\. internet → cluster-admin/);
    assert.match(t.stdout, /T1528 Steal Application Access Token: read the service-account token/);
    assert.match(t.stdout, /Cut \(1 change, minimum\)/);
    const dot = kubeguard(['paths', join(dir, 'scene.yaml'), '--vulns', join(dir, 'vulns.json'), '-o', 'dot', '-q']);
    assert.match(dot.stdout, /^digraph attack_paths \{/);
    assert.match(dot.stdout, /"internet" \[shape=invhouse/);
    assert.match(dot.stdout, /"sa:shop\/web" -> "cluster-admin" \[label="rbac"\]/);
    const mm = kubeguard(['paths', join(dir, 'scene.yaml'), '--vulns', join(dir, 'vulns.json'), '-o', 'mermaid', '-q']);
    assert.match(mm.stdout, /^flowchart LR/);
    assert.match(mm.stdout, /-->\|"exploit"\|/);
  });

  it('reads a snapshot (kubectl get -o json) like every analysis command', () => {
    const objects = SCENE.split('\n---\n').length;
    assert.equal(objects, 4);
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'mallory', apiGroup: 'rbac.authorization.k8s.io' }] }] };
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(list));
    const r = kubeguard(['paths', '--snapshot', join(dir, 'snap.json'), '--from', 'user:mallory', '--to', 'cluster-admin', '-o', 'json', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Json;
    assert.deepEqual(j.paths[0].hops.map((h) => `${h.from} ${h.edge} ${h.to}`), ['user:mallory rbac cluster-admin']);
    assert.match(j.cut[0].change, /remove user:mallory from ClusterRoleBinding\/x/);
  });

  it('usage errors exit 2 without echoing file contents', () => {
    assert.equal(kubeguard(['paths', join(dir, 'scene.yaml'), '--to', 'everything', '-q']).code, 2);
    assert.equal(kubeguard(['paths', join(dir, 'scene.yaml'), '--from', 'Deployment/shop/none', '-q']).code, 2);
    writeFileSync(join(dir, 'bad.json'), '{"images": {"x": "sekrit-value"}}');
    const bad = kubeguard(['paths', join(dir, 'scene.yaml'), '--vulns', join(dir, 'bad.json'), '-q']);
    assert.equal(bad.code, 2);
    assert.doesNotMatch(bad.stderr, /sekrit/);
  });

  describe('--cluster (the fake API server speaking the real REST protocol)', () => {
    let server: FakeApiServer;
    let kubeconfig: string;
    before(async () => {
      const objects = parseAllDocuments(SCENE).map((d) => d.toJS() as KubeObject);
      for (const [i, o] of objects.entries()) o.metadata = { ...o.metadata, uid: `uid-${i}`, resourceVersion: '1' };
      server = await startServer(objects);
      kubeconfig = writeKubeconfig(server.url, [adminUser()]);
    });
    after(() => server.close());

    it('reads the live cluster like every analysis command', async () => {
      const r = await kubeguardAsync(['paths', '--cluster', '--kubeconfig', kubeconfig, '--vulns', join(dir, 'vulns.json'), '--to', 'cluster-admin', '-o', 'json', '-q']);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as Json;
      assert.deepEqual(j.paths[0].hops.map((h) => h.to), ['Deployment/shop/web#app', 'Deployment/shop/web', 'sa:shop/web', 'cluster-admin']);
    });
  });
});
