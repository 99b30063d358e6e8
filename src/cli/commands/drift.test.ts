/**
 * `kubeguard drift` as users run it (a cold process) against the in-process API server holding objects as the
 * real one returns them (defaults, managedFields of kubectl apply and of a later `kubectl edit`), and against a
 * `kubectl get -o json --show-managed-fields` dump: the JSON contract, exit codes, --fail-on, --audit, usage errors.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../../core/model.js';
import type { JsonMap } from '../../core/json.js';
import { kubeguard, kubeguardAsync } from '../test-support/run-cli.js';
import type { FakeApiServer } from '../../sources/cluster/test-support/api-server.js';
import { adminUser, startServer, writeKubeconfig } from '../../sources/cluster/test-support/harness.js';
import { applied, edit } from '../../analysis/drift/test-support/live.js';
import { ScanResultStore } from '../../sources/scan-results/store.js';

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources: {limits: {cpu: 500m, memory: 128Mi}}
          securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: s3cret-value-1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {mode: fast}
`;

let dir: string;
let server: FakeApiServer;
let kubeconfig: string;
let manifests: string;

function liveObjects(): KubeObject[] {
  const [ns, dep, secret] = yaml.loadAll(MANIFESTS) as KubeObject[];
  const web = edit(applied(dep), 'kubectl-edit', (o) => {
    const c = ((o.spec as JsonMap).template as { spec: { containers: JsonMap[] } }).spec.containers[0];
    c.securityContext = { allowPrivilegeEscalation: false, runAsNonRoot: true, privileged: true };
  });
  // the API server stores stringData as data (base64) and never returns stringData
  const { stringData: _s, ...rest } = applied(secret) as JsonMap;
  void _s;
  const storedSecret = { ...rest, type: 'Opaque', data: { password: Buffer.from('s3cret-value-2').toString('base64') } };
  const shadow = applied({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hotfix', namespace: 'shop' }, data: { debug: 'true' } });
  return [applied(ns), web, storedSecret as KubeObject, shadow];
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeguard-drift-'));
  manifests = join(dir, 'app.yaml');
  writeFileSync(manifests, MANIFESTS);
  server = await startServer(liveObjects());
  kubeconfig = writeKubeconfig(server.url, [adminUser()]);
});
after(() => server.close());

interface Out {
  drifts: { kind: string; name: string; class: string; path: string; manifest: unknown; live: unknown; ruleIds: string[]; changedBy: JsonMap[]; patch: { revert: unknown[]; adopt: unknown } }[];
}

describe('kubeguard drift', () => {
  it('--cluster: rule-violation with its manager, Secret values compared as hashes, shadow and not-applied; exit 1 at --fail-on high', async () => {
    const r = await kubeguardAsync(['drift', manifests, '--cluster', '--kubeconfig', kubeconfig, '-o', 'json', '--scan-results', join(dir, 'none.db')]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    const by = (kind: string, cls: string) => out.drifts.filter((d) => d.kind === kind && d.class === cls);
    const [priv] = by('Deployment', 'rule-violation');
    assert.equal(priv.path, '/spec/template/spec/containers/0/securityContext/privileged');
    assert.ok(priv.ruleIds.includes('pss-privileged'));
    assert.deepEqual(priv.changedBy.map((c) => c.manager), ['kubectl-edit']);
    const [secret] = by('Secret', 'other');
    assert.match(String(secret.path), /^\/kubeguardRedactedData\/password$/);
    assert.match(String(secret.live), /^hmac-sha256:[0-9a-f]{64}$/);
    assert.ok(!r.stdout.includes('s3cret') && !r.stdout.includes(Buffer.from('s3cret-value-2').toString('base64')));
    assert.deepEqual(by('ConfigMap', 'shadow').map((d) => d.name), ['hotfix']);
    assert.deepEqual(by('ConfigMap', 'not-applied').map((d) => d.name), ['settings']);
    assert.equal(out.drifts.filter((d) => d.kind === 'Namespace').length, 0);
  });

  it('--fail-on critical still fails on privileged (critical); table output names class, path and who', async () => {
    const r = await kubeguardAsync(['drift', manifests, '--cluster', '--kubeconfig', kubeconfig, '--fail-on', 'critical', '-q']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /CRITICAL rule-violation Deployment\/shop\/web \/spec\/template\/spec\/containers\/0\/securityContext\/privileged/);
    assert.match(r.stdout, /changed by: kubectl-edit at /);
  });

  it('--snapshot of a kubectl dump with managedFields, and --audit names the user', () => {
    const dump = join(dir, 'dump.json');
    writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: liveObjects() }));
    const audit = join(dir, 'audit.jsonl');
    const event = {
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete', verb: 'patch',
      requestURI: '/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kubectl-edit', user: { username: 'alice@example.com', groups: ['system:authenticated'] },
      userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/abc', objectRef: { resource: 'deployments', namespace: 'shop', name: 'web', apiGroup: 'apps', apiVersion: 'v1' },
      responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-12-01T10:29:59.900000Z', stageTimestamp: '2026-12-01T10:30:00.010000Z',
    };
    writeFileSync(audit, JSON.stringify(event) + '\n');
    const r = kubeguard(['drift', manifests, '--snapshot', dump, '--audit', audit, '-o', 'json', '-q']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    const priv = out.drifts.find((d) => d.class === 'rule-violation')!;
    assert.equal(priv.changedBy[0].user, 'alice@example.com');
    assert.equal(priv.changedBy[0].manager, 'kubectl-edit');
  });

  it('an unchanged apply: no drift, exit 0', () => {
    const dump = join(dir, 'clean.json');
    writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: (yaml.loadAll(MANIFESTS) as KubeObject[]).filter((o) => o.kind !== 'Secret').map((o) => applied(o)) }));
    const only = join(dir, 'no-secret.yaml');
    writeFileSync(only, MANIFESTS.split('---').filter((d) => !d.includes('kind: Secret')).join('---'));
    const r = kubeguard(['drift', only, '--snapshot', dump, '-o', 'json', '-q']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(JSON.parse(r.stdout), { drifts: [] });
  });

  it('--scan-results: a digest pinned in the cluster that was never scanned is high image drift', () => {
    const store = join(dir, 'scan-results.db');
    const scanned = 'sha256:' + '1'.repeat(64);
    const w = ScanResultStore.open(store);
    w.record({ reference: 'docker.io/library/nginx:1.27', manifestDigest: scanned, scannedAt: new Date('2026-11-01T00:00:00Z'), counts: { info: 0, low: 0, medium: 0, high: 0, critical: 0 } });
    w.close();
    const [, dep] = yaml.loadAll(MANIFESTS) as KubeObject[];
    const pinned = edit(applied(dep), 'kubectl-set', (o) => {
      ((o.spec as JsonMap).template as { spec: { containers: JsonMap[] } }).spec.containers[0].image = `nginx:1.27@sha256:${'2'.repeat(64)}`;
    });
    const dump = join(dir, 'pinned.json');
    writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pinned] }));
    const only = join(dir, 'dep.yaml');
    writeFileSync(only, yaml.dump(dep));
    const r = kubeguard(['drift', only, '--snapshot', dump, '--scan-results', store, '-q']);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /HIGH +image +Deployment\/shop\/web \/spec\/template\/spec\/containers\/0\/image\n +digest not in the manifest; digest not scanned/);
  });

  it('usage: one live side, exactly', () => {
    assert.equal(kubeguard(['drift', manifests, '-q']).code, 2);
    const both = kubeguard(['drift', manifests, '--cluster', '--snapshot', 'x.json', '-q']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exactly one live side/);
  });
});
