import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../test-support/conformance.js';
import type { KubeObject } from '../../core/model.js';
import type { OsvRecord } from './osv.js';
import type { Package } from './package.js';
import { scanPackages } from './scan.js';
import { MemoryAdvisorySource } from './source.js';
import { correlateWorkloads } from './workloads.js';

const records = ['npm/GHSA-whgm-jr23-g3j9.json', 'npm/GHSA-35jh-r3h4-6jhm.json', 'Alpine/ALPINE-CVE-2025-26519.json'].map(
  (p) => JSON.parse(readFileSync(join(conformanceDir('osv', 'records'), p), 'utf8')) as OsvRecord,
);
const source = new MemoryAdvisorySource(records);
const IMAGES: Record<string, Package[]> = {
  'registry.example/web:1': [
    { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' }, // CVE-2021-23337, high 7.2
    { name: 'ansi-html', version: '0.0.7', purl: 'pkg:npm/ansi-html@0.0.7' }, // CVE-2021-23424, high 7.5
  ],
  'alpine:3.19': [{ name: 'musl', version: '1.2.4_git20230717-r4', purl: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?distro=3.19.1' }], // high 7.0
};

const deploy = (name: string, image: string, labels: Record<string, string>, podExtra: object = {}, containerExtra: object = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', image, ...containerExtra }], ...podExtra } } },
});

const hardened = { securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true } };

test('vulnerabilities per workload, ranked by severity × exposure × privileges; each image scanned once', () => {
  const objects: KubeObject[] = [
    deploy('web', 'registry.example/web:1', { app: 'web' }),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' } } },
    deploy('worker', 'registry.example/web:1', { app: 'worker' }, {}, { securityContext: { privileged: true } }),
    deploy('api', 'alpine:3.19', { app: 'api' }, {}, hardened),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { app: 'api' } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'api', namespace: 'shop' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] } },
    deploy('agent', 'alpine:3.19', { app: 'agent' }, { hostNetwork: true }, hardened),
    deploy('batch', 'private.example/unknown:2', { app: 'batch' }, {}, hardened),
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'registry.example/web:1' }] } } } },
  ];
  const calls: string[] = [];
  const result = correlateWorkloads(objects, (image) => {
    calls.push(image);
    const pkgs = IMAGES[image];
    return pkgs ? scanPackages(source, pkgs).vulnerabilities : undefined;
  });
  assert.deepEqual(calls.sort(), ['alpine:3.19', 'private.example/unknown:2', 'registry.example/web:1']);
  assert.deepEqual(
    result.map((r) => [r.resource.name, r.exposure, r.total, r.score]),
    [
      ['web', 'internet', 2, 30], // 2 highs (10) × 2 (internet) × 1.5 (escalation, root)
      ['worker', 'cluster', 2, 17.5], // 10 × 1 × 1.75 (privileged, escalation, root)
      ['api', 'internet', 1, 10], // 5 × 2 (Ingress → Service api) × 1
      ['agent', 'node', 1, 9.38], // 5 × 1.5 (hostNetwork) × 1.25 (hostNetwork)
      ['batch', 'cluster', 0, 0],
    ],
  );
  assert.deepEqual(result[0].exposureReasons, ['Service web (LoadBalancer)']);
  assert.deepEqual(result[2].exposureReasons, ['Ingress api → Service api']);
  assert.ok(result[1].privileges.includes('privileged (main)'));
  assert.deepEqual(result[4].notScanned, ['private.example/unknown:2']);
  assert.equal(result[0].bySeverity.high, 2);
  assert.equal(result[0].images[0].path, '/spec/template/spec/containers/0');
});

test('a pod counts as a workload unless a scanned controller stands for it (ResourceIndex ownership)', () => {
  const pod = (name: string, ownerReferences: object[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', ownerReferences }, spec: { containers: [{ name: 'main', image: 'alpine:3.19' }] } });
  const objects: KubeObject[] = [
    deploy('web', 'registry.example/web:1', { app: 'web' }),
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'registry.example/web:1' }] } } } },
    pod('web-abc-1', [{ kind: 'ReplicaSet', name: 'web-abc', controller: true }]), // its ReplicaSet (and Deployment) stand for it
    pod('api-xyz-1', [{ kind: 'ReplicaSet', name: 'api-xyz', controller: true }]), // a `kubectl get pods` dump: its ReplicaSet is not in the input
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp-1' } },
    pod('etcd-cp-1', [{ apiVersion: 'v1', kind: 'Node', name: 'cp-1', controller: true }]), // a mirror pod: its Node has no pod template
  ];
  assert.deepEqual(correlateWorkloads(objects, () => []).map((r) => `${r.resource.kind}/${r.resource.name}`).sort(), ['Deployment/web', 'Pod/api-xyz-1', 'Pod/etcd-cp-1']);
});
