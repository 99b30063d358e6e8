// Effective permissions: merged per scope like `kubectl auth can-i --list`, expected rows follow the
// RBAC documentation examples (a Role in one namespace, a ClusterRole bound per namespace and cluster-wide).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRbac } from './analysis.js';
import { objectsFromYaml } from './test-yaml.js';

const OBJECTS = objectsFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { namespace: default, name: pod-reader }
rules: [{ apiGroups: [""], resources: [pods], verbs: [get, watch, list] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { namespace: default, name: pod-writer }
rules:
- { apiGroups: [""], resources: [pods], verbs: [create, list] }
- { apiGroups: [""], resources: [configmaps], resourceNames: [app-config], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: read-pods, namespace: default }
subjects: [{ kind: User, name: jane, apiGroup: rbac.authorization.k8s.io }]
roleRef: { kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: write-pods, namespace: default }
subjects: [{ kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io }]
roleRef: { kind: Role, name: pod-writer, apiGroup: rbac.authorization.k8s.io }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: node-reader }
rules:
- { apiGroups: [""], resources: [nodes], verbs: [get, list] }
- { nonResourceURLs: ["/metrics"], verbs: [get] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: nodes }
subjects: [{ kind: User, name: jane, apiGroup: rbac.authorization.k8s.io }]
roleRef: { kind: ClusterRole, name: node-reader, apiGroup: rbac.authorization.k8s.io }
`);

describe('effective permissions', () => {
  const rbac = analyzeRbac(OBJECTS, { bootstrap: false });

  it('merges verbs per (group, resource, names) and keeps scopes apart', () => {
    const p = rbac.permissions({ kind: 'User', name: 'jane' }, ['devs']);
    assert.deepEqual(p.user, { name: 'jane', groups: ['system:authenticated', 'devs'] });
    assert.deepEqual(p.clusterWide, [{ apiGroup: '', resource: 'nodes', resourceNames: [], verbs: ['get', 'list'], via: ['ClusterRoleBinding/nodes → ClusterRole/node-reader'] }]);
    assert.deepEqual(p.nonResource, [{ url: '/metrics', verbs: ['get'], via: ['ClusterRoleBinding/nodes → ClusterRole/node-reader'] }]);
    assert.deepEqual(p.namespaces, {
      default: [
        { apiGroup: '', resource: 'configmaps', resourceNames: ['app-config'], verbs: ['get'], via: ['RoleBinding/default/write-pods → Role/pod-writer'] },
        {
          apiGroup: '',
          resource: 'pods',
          resourceNames: [],
          verbs: ['create', 'get', 'list', 'watch'],
          via: ['RoleBinding/default/read-pods → Role/pod-reader', 'RoleBinding/default/write-pods → Role/pod-writer'],
        },
      ],
    });
  });

  it("without the group, only the user's own bindings count", () => {
    const p = rbac.permissions({ kind: 'User', name: 'jane' });
    assert.deepEqual(p.namespaces.default.map((r) => [r.resource, r.verbs]), [['pods', ['get', 'list', 'watch']]]);
    assert.equal(p.superuser, false);
  });

  it('a RoleBinding never contributes non-resource URLs', () => {
    const r = analyzeRbac(
      objectsFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: x, namespace: ns }
subjects: [{ kind: User, name: u, apiGroup: rbac.authorization.k8s.io }]
roleRef: { kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io }
`),
    );
    const p = r.permissions({ kind: 'User', name: 'u' });
    assert.ok(!p.nonResource.some((n) => n.url === '*'));
    assert.deepEqual(p.namespaces.ns, [{ apiGroup: '*', resource: '*', resourceNames: [], verbs: ['*'], via: ['RoleBinding/ns/x → ClusterRole/cluster-admin'] }]);
  });
});
