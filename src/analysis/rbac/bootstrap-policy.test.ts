// Expected answers follow the "Default roles and role bindings" section of the RBAC documentation
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRbac } from './analysis.js';
import { objectsFromYaml } from './test-yaml.js';

const BINDINGS = objectsFromYaml(
  ['admin', 'edit', 'view']
    .map(
      (role) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: ${role}s, namespace: team }
roleRef: { kind: ClusterRole, name: ${role}, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: User, name: ${role}-user, apiGroup: rbac.authorization.k8s.io }]
`,
    )
    .join('---\n'),
);

describe('bootstrap policy', () => {
  const rbac = analyzeRbac(BINDINGS);
  const can = (who: string, verb: string, resource: string, extra: { apiGroup?: string; subresource?: string } = {}) =>
    rbac.can({ kind: 'User', name: who }, { verb, resource, namespace: 'team', ...extra }).allowed;

  it('view: read-only, no Secrets, no Roles', () => {
    assert.equal(can('view-user', 'list', 'pods'), true);
    assert.equal(can('view-user', 'get', 'deployments', { apiGroup: 'apps' }), true);
    assert.equal(can('view-user', 'get', 'secrets'), false);
    assert.equal(can('view-user', 'list', 'roles', { apiGroup: 'rbac.authorization.k8s.io' }), false);
    assert.equal(can('view-user', 'create', 'pods'), false);
  });

  it('edit: read/write most objects and Secrets, no Roles or RoleBindings', () => {
    assert.equal(can('edit-user', 'create', 'deployments', { apiGroup: 'apps' }), true);
    assert.equal(can('edit-user', 'get', 'secrets'), true);
    assert.equal(can('edit-user', 'create', 'pods', { subresource: 'exec' }), true);
    assert.equal(can('edit-user', 'create', 'serviceaccounts', { subresource: 'token' }), true);
    assert.equal(can('edit-user', 'create', 'rolebindings', { apiGroup: 'rbac.authorization.k8s.io' }), false);
    assert.equal(can('edit-user', 'get', 'roles', { apiGroup: 'rbac.authorization.k8s.io' }), false);
  });

  it('admin: Roles and RoleBindings too, but no write to ResourceQuota or the namespace', () => {
    assert.equal(can('admin-user', 'create', 'rolebindings', { apiGroup: 'rbac.authorization.k8s.io' }), true);
    assert.equal(can('admin-user', 'get', 'secrets'), true);
    assert.equal(can('admin-user', 'update', 'resourcequotas'), false);
    assert.equal(can('admin-user', 'list', 'resourcequotas'), true);
    assert.equal(can('admin-user', 'delete', 'namespaces'), false);
  });

  it('system:discovery and system:basic-user for authenticated users; public-info for everyone', () => {
    const alice = { kind: 'User' as const, name: 'alice' };
    const anon = { kind: 'User' as const, name: 'system:anonymous' };
    assert.equal(rbac.can(alice, { verb: 'get', nonResourceURL: '/apis/apps/v1' }).allowed, true);
    assert.equal(rbac.can(alice, { verb: 'create', resource: 'selfsubjectaccessreviews', apiGroup: 'authorization.k8s.io' }).allowed, true);
    assert.equal(rbac.can(anon, { verb: 'get', nonResourceURL: '/api' }).allowed, false);
    assert.equal(rbac.can(anon, { verb: 'get', nonResourceURL: '/healthz' }).allowed, true);
    assert.equal(rbac.can(anon, { verb: 'get', nonResourceURL: '/version' }).allowed, true);
    assert.equal(rbac.can(alice, { verb: 'get', nonResourceURL: '/metrics' }).allowed, false);
  });

  it('cluster-admin is bound to system:masters; system:node grants nobody (Node authorizer instead)', () => {
    const who = rbac.whoCan({ verb: 'delete', resource: 'nodes' });
    assert.ok(who.subjects.some((s) => s.name === 'system:masters' && s.via.some((v) => v.binding === 'ClusterRoleBinding/cluster-admin')));
    const node = rbac.whoCan({ verb: 'update', resource: 'nodes', subresource: 'status' });
    assert.ok(!node.subjects.some((s) => s.name === 'system:nodes'));
  });

  it('system:kube-controller-manager may list every resource (*/*) but not delete pods', () => {
    const kcm = { kind: 'User' as const, name: 'system:kube-controller-manager' };
    assert.equal(rbac.can(kcm, { verb: 'list', resource: 'widgets', apiGroup: 'example.com' }).allowed, true);
    assert.equal(rbac.can(kcm, { verb: 'delete', resource: 'pods', namespace: 'x' }).allowed, false);
  });

  it('switching the bootstrap policy off leaves bindings to edit unresolved', () => {
    const bare = analyzeRbac(BINDINGS, { bootstrap: false });
    assert.equal(bare.can({ kind: 'User', name: 'edit-user' }, { verb: 'get', resource: 'secrets', namespace: 'team' }).allowed, false);
    assert.equal(bare.index.unresolvedBindings().length, 3);
  });

  it('an input ClusterRole replaces the bootstrap one of the same name', () => {
    const custom = analyzeRbac([
      ...BINDINGS,
      ...objectsFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: view }
rules: [{ apiGroups: [""], resources: [secrets], verbs: [get] }]
`),
    ]);
    assert.equal(custom.can({ kind: 'User', name: 'view-user' }, { verb: 'get', resource: 'secrets', namespace: 'team' }).allowed, true);
    assert.equal(custom.can({ kind: 'User', name: 'view-user' }, { verb: 'get', resource: 'pods', namespace: 'team' }).allowed, false);
  });
});
