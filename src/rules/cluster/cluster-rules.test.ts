/** Semantics of the cluster rules beyond their fixtures, with expectations from the upstream documentation cited. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/model.js';
import { runOn } from '../test-support/rule-tester.js';
import mesh from './namespace-plaintext-east-west/rule.js';
import webhook from './webhook-fail-open/rule.js';
import exposed from './exposed-dangerous-workload/rule.js';
import saAdmin from './service-account-cluster-admin/rule.js';
import defaultSa from './default-service-account-token-automounted/rule.js';

const ns = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } });
const pa = (name: string, namespace: string, mode: string, selector?: Record<string, string>): KubeObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace },
  spec: { ...(selector ? { selector: { matchLabels: selector } } : {}), mtls: { mode } },
});
const deploy = (name: string, namespace: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = { app: name }, meta: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, ...meta },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: 'nginx:1.27' }], ...spec } } },
});
const svc = (name: string, namespace: string, type: string, selector: Record<string, string> = { app: name }): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type, selector, ports: [{ port: 80 }] } });

describe('namespace-plaintext-east-west (istio.io PeerAuthentication precedence)', () => {
  const injected = ns('shop', { 'istio-injection': 'enabled' });
  const app = deploy('web', 'shop');
  it('a namespace policy with mode UNSET inherits the mesh-wide STRICT', () => {
    assert.deepEqual(runOn(mesh, [injected, app, pa('default', 'istio-system', 'STRICT'), pa('default', 'shop', 'UNSET')]).findings, []);
  });
  it('a workload-scoped STRICT policy does not make the namespace STRICT', () => {
    const { findings } = runOn(mesh, [injected, app, pa('db-only', 'shop', 'STRICT', { app: 'db' })]);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /mTLS is PERMISSIVE \(no PeerAuthentication: Istio defaults to PERMISSIVE\)/);
  });
  it('a namespace DISABLE overrides the mesh-wide STRICT', () => {
    assert.match(runOn(mesh, [injected, app, pa('default', 'istio-system', 'STRICT'), pa('off', 'shop', 'DISABLE')]).findings[0].message, /mTLS is DISABLE/);
  });
  it('STRICT without injection covers nothing; ambient mode with STRICT does', () => {
    assert.match(runOn(mesh, [ns('shop'), app, pa('default', 'istio-system', 'STRICT')]).findings[0].message, /outside any service mesh/);
    assert.deepEqual(runOn(mesh, [ns('shop', { 'istio.io/dataplane-mode': 'ambient' }), app, pa('default', 'istio-system', 'STRICT')]).findings, []);
  });
  it('honours a custom Istio root namespace', () => {
    const objects = [injected, app, pa('default', 'mesh-root', 'STRICT')];
    assert.equal(runOn(mesh, objects).findings.length, 1);
    assert.deepEqual(runOn(mesh, objects, { istioRootNamespace: 'mesh-root' }).findings, []);
  });
  it('skips system namespaces and namespaces without workloads', () => {
    assert.deepEqual(runOn(mesh, [ns('kube-system'), deploy('coredns', 'kube-system'), ns('empty')]).findings, []);
  });
});

describe('webhook-fail-open', () => {
  const cfg = (name: string, webhooks: Record<string, unknown>[]): KubeObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name }, webhooks });
  it('recognises a security tool by its service namespace, and ignores other webhooks', () => {
    const objects = [
      cfg('policies', [{ name: 'a.example.com', failurePolicy: 'Ignore', timeoutSeconds: 5, clientConfig: { service: { name: 'svc', namespace: 'kubewarden' } } }]),
      cfg('cert-manager-webhook', [{ name: 'webhook.cert-manager.io', failurePolicy: 'Ignore', timeoutSeconds: 5, clientConfig: { service: { name: 'cert-manager-webhook', namespace: 'cert-manager' } } }]),
    ];
    const { findings } = runOn(webhook, objects);
    assert.deepEqual(findings.map((f) => [f.resource.name, f.path]), [['policies', '/webhooks/0/failurePolicy']]);
  });
  it('takes a custom pattern for in-house tools', () => {
    const objects = [cfg('acme-guard', [{ name: 'guard.acme.io', failurePolicy: 'Ignore', timeoutSeconds: 2 }])];
    assert.equal(runOn(webhook, objects).findings.length, 0);
    assert.equal(runOn(webhook, objects, { securityToolPattern: 'acme-guard' }).findings.length, 1);
  });
});

describe('exposed-dangerous-workload', () => {
  it('NodePort + hostPID is the combination; an unmatched selector is not exposure', () => {
    const a = runOn(exposed, [svc('agent', 'ops', 'NodePort'), deploy('agent', 'ops', { hostPID: true, automountServiceAccountToken: false })]);
    assert.equal(a.findings.length, 1);
    assert.equal(a.findings[0].path, '/spec/template/spec/hostPID');
    assert.match(a.findings[0].message, /Service agent \(NodePort\).*shares the node's PID namespace/);
    const b = runOn(exposed, [svc('agent', 'ops', 'NodePort', { app: 'other' }), deploy('agent', 'ops', { hostPID: true, automountServiceAccountToken: false })]);
    assert.deepEqual(b.findings, []);
  });

  it('follows a Gateway API HTTPRoute to its backend Service', () => {
    const route: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { parentRefs: [{ name: 'public', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    };
    const { findings } = runOn(exposed, [route, svc('web', 'shop', 'ClusterIP'), deploy('web', 'shop', { hostNetwork: true, automountServiceAccountToken: false })]);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /HTTPRoute web → Service web/);
  });

  it('a token reaches cluster-admin through a group binding (service accounts are in system:serviceaccounts:<namespace>)', () => {
    // https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects
    const crb: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'tools-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: 'system:serviceaccounts:tools', apiGroup: 'rbac.authorization.k8s.io' }],
    };
    const { findings } = runOn(exposed, [crb, svc('ui', 'tools', 'LoadBalancer'), deploy('ui', 'tools')]);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /mounts the token of ServiceAccount default, which reaches cluster-admin/);
    // the same workload without the token is fine
    assert.deepEqual(runOn(exposed, [crb, svc('ui', 'tools', 'LoadBalancer'), deploy('ui', 'tools', { automountServiceAccountToken: false })]).findings, []);
  });

  it('reports the Deployment, not its ReplicaSet and Pods', () => {
    const d = deploy('web', 'shop', { hostIPC: true, automountServiceAccountToken: false }, { app: 'web' }, { uid: 'd1' });
    const rs: KubeObject = { ...deploy('web-7d', 'shop', { hostIPC: true, automountServiceAccountToken: false }, { app: 'web' }, { uid: 'r1', ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] }), kind: 'ReplicaSet' };
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-7d-x', namespace: 'shop', labels: { app: 'web' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d', uid: 'r1', controller: true }] }, spec: { hostIPC: true, automountServiceAccountToken: false, containers: [{ name: 'web', image: 'nginx' }] } };
    const { findings } = runOn(exposed, [svc('web', 'shop', 'LoadBalancer'), d, rs, pod]);
    assert.deepEqual(findings.map((f) => f.resource.kind), ['Deployment']);
  });
});

describe('service-account-cluster-admin and default-service-account-token-automounted', () => {
  it('holds cluster-admin through a group binding, and counts the workloads running as it', () => {
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'ci' } };
    const crb: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'all-sa-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts', apiGroup: 'rbac.authorization.k8s.io' }] };
    const { findings } = runOn(saAdmin, [sa, crb, deploy('build', 'ci', { serviceAccountName: 'builder' }), deploy('other', 'ci')]);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /ServiceAccount ci\/builder holds cluster-admin rights cluster-wide \(ClusterRoleBinding\/all-sa-admin.*\); 1 workload\(s\) run as it/);
  });
  it('a RoleBinding to cluster-admin is full control of that namespace only; edit is not', () => {
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner', namespace: 'ci' } };
    const rb = (ns: string, role: string): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `runner-${role}`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ kind: 'ServiceAccount', name: 'runner', namespace: 'ci' }] });
    const { findings } = runOn(saAdmin, [sa, rb('shop', 'cluster-admin'), rb('payments', 'edit')]);
    assert.deepEqual(findings.map((f) => /in namespace (\w+)/.exec(f.message)?.[1]), ['shop']);
  });
  it('counts only the workloads that run as "default" with a token', () => {
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' } };
    const objects = [sa, deploy('a', 'shop'), deploy('b', 'shop', { serviceAccountName: 'b' }), deploy('c', 'shop', { automountServiceAccountToken: false }), deploy('d', 'other')];
    assert.match(runOn(defaultSa, objects).findings[0].message, /\(1 workload\(s\) run with that token\)/);
  });
});
