import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../sources/manifests/parse-text.js';
import { ResourceIndex } from '../core/resource-index.js';
import { scan } from './scan.js';
import { resolveRules } from './resolve-rules.js';
import { RULES } from './catalog.js';
import { ownedReplicas } from './owned.js';

// Shaped like live API output: a Deployment, its ReplicaSet and two Pods, one of them with an injected sidecar.
const LIVE = `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: shop, uid: d-1}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: app, image: "nginx:1.27", securityContext: {privileged: true}}]
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-5d9c
    namespace: shop
    uid: rs-1
    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d-1, controller: true}]
  spec:
    template:
      metadata: {labels: {app: web}}
      spec:
        containers: [{name: app, image: "nginx:1.27", securityContext: {privileged: true}}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-5d9c-a
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9c, uid: rs-1, controller: true}]
  spec:
    containers: [{name: app, image: "nginx:1.27", securityContext: {privileged: true}}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-5d9c-b
    namespace: shop
    ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9c, uid: rs-1, controller: true}]
  spec:
    containers:
    - {name: app, image: "nginx:1.27", securityContext: {privileged: true}}
    - {name: injected-proxy, image: "proxy:1", securityContext: {privileged: true}}
`;

describe('replicas of scanned controllers', () => {
  it('are judged once, on the controller, unless their containers differ', () => {
    const { resources } = parseManifestText(LIVE, 'live.yaml');
    const owned = ownedReplicas(new ResourceIndex(resources));
    assert.deepEqual([...owned].map((r) => r.ref.name).sort(), ['web-5d9c', 'web-5d9c-a']);
    const rules = resolveRules(RULES, { preset: 'strict', rules: {} }).filter((r) => r.rule.id === 'pss-privileged');
    const report = scan(resources, { rules, now: new Date('2026-01-01') });
    assert.deepEqual(report.findings.map((f) => `${f.resource.name} ${f.path}`).sort(), [
      'web /spec/template/spec/containers/0/securityContext/privileged',
      'web-5d9c-b /spec/containers/0/securityContext/privileged',
      'web-5d9c-b /spec/containers/1/securityContext/privileged',
    ]);
  });

  it('a pod whose owner is not in the scan is judged', () => {
    const { resources } = parseManifestText(LIVE, 'live.yaml');
    const pods = resources.filter((r) => r.ref.kind === 'Pod');
    assert.equal(ownedReplicas(new ResourceIndex(pods)).size, 0);
  });
});
