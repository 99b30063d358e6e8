/**
 * `kubeguard scan --images`: images the workloads run are analysed (here a root filesystem directory with a real
 * node_modules entry) and matched against a database imported from real OSV records; lodash 4.17.20 is affected by
 * GHSA-35jh-r3h4-6jhm / CVE-2021-23337 (fixed in 4.17.21), per testdata/osv/SOURCE.md.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import { kubeguard } from '../test-support/run-cli.js';

let dir: string;
let db: string;

function rootfs(name: string, lodash: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'app', 'node_modules', 'lodash'), { recursive: true });
  writeFileSync(join(root, 'app', 'node_modules', 'lodash', 'package.json'), JSON.stringify({ name: 'lodash', version: lodash, license: 'MIT' }));
  return root;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-images-'));
  db = join(dir, 'vulns.db');
  assert.equal(kubeguard(['db', 'import', conformanceDir('osv', 'records'), '--db', db]).code, 0);
  const vulnerable = rootfs('old', '4.17.20');
  const fixed = rootfs('new', '4.17.21');
  writeFileSync(join(dir, 'app.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: {name: exposed, namespace: shop}
spec:
  selector: {matchLabels: {app: exposed}}
  template:
    metadata: {labels: {app: exposed}}
    spec:
      containers:
        - name: app
          image: ${vulnerable}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: internal, namespace: shop}
spec:
  selector: {matchLabels: {app: internal}}
  template:
    metadata: {labels: {app: internal}}
    spec:
      containers:
        - {name: app, image: ${vulnerable}}
        - {name: sidecar, image: ${fixed}}
---
apiVersion: v1
kind: Service
metadata: {name: exposed, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: exposed}
  ports: [{port: 80}]
`);
});

describe('scan --images', () => {
  it('reports vulnerabilities per workload at the image line, ranking the internet-exposed workload first', () => {
    const r = kubeguard(['scan', join(dir, 'app.yaml'), '--images', '--db', db, '--preset', 'pss-baseline', '-o', 'json', '-q']);
    assert.equal(r.code, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; resource: { name: string }; path: string; location: { line: number }; message: string }[] }).findings.filter((f) => f.ruleId.startsWith('CVE-'));
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.resource.name} ${f.path} ${f.location.line}`), [
      'CVE-2021-23337 exposed /spec/template/spec/containers/0/image 11',
      'CVE-2021-23337 internal /spec/template/spec/containers/0/image 22',
    ]);
    assert.match(findings[0].message, /rank 1 of 2 \(exposure: internet/);
    assert.match(findings[1].message, /rank 2 of 2 \(exposure: cluster/);
  });

  it('reports one finding per path from the internet to a critical target (attack paths, #22)', () => {
    const admin = join(dir, 'admin.yaml');
    writeFileSync(admin, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: shop-default-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: default, namespace: shop}]
`);
    const r = kubeguard(['scan', join(dir, 'app.yaml'), admin, '--images', '--db', db, '--preset', 'pss-baseline', '-o', 'json', '-q']);
    assert.equal(r.code, 1, r.stderr);
    type F = { ruleId: string; severity: string; resource: { name: string }; message: string; related?: { ruleId: string; message: string }[] };
    const paths = (JSON.parse(r.stdout) as { findings: F[] }).findings.filter((f) => f.ruleId === 'attack-path');
    // three paths (cluster-admin, secrets, nodes) enter by the same workload: one problem, merged into one finding
    assert.equal(paths.length, 1);
    assert.equal(paths[0].resource.name, 'exposed');
    assert.equal(paths[0].severity, 'critical');
    assert.match(paths[0].message, /^the internet reaches (cluster-admin|every Secret) through Deployment\/shop\/exposed/);
    assert.match(paths[0].message, /exploit → Deployment\/shop\/exposed token-theft → sa:shop\/default rbac →/);
    // without the binding, the exposed workload reaches nothing critical: no attack-path finding
    const alone = kubeguard(['scan', join(dir, 'app.yaml'), '--images', '--db', db, '--preset', 'pss-baseline', '-o', 'json', '-q']);
    assert.ok(!(JSON.parse(alone.stdout) as { findings: F[] }).findings.some((f) => f.ruleId === 'attack-path'));
  });

  it('says the images could not be evaluated without a database', () => {
    const r = kubeguard(['scan', join(dir, 'app.yaml'), '--images', '--db', join(dir, 'none.db'), '--preset', 'pss-baseline', '-o', 'json', '-q']);
    assert.equal(r.code, 3);
  });
});
