// Expected answers follow the Kubernetes RBAC documentation
// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/) and the authorizer's scoping rules
// (plugin/pkg/auth/authorizer/rbac, pkg/registry/rbac/validation/rule.go).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRbac } from './analysis.js';
import { objectsFromYaml } from './test-yaml.js';

// The docs' own examples: Role pod-reader + RoleBinding read-pods (jane), ClusterRole secret-reader bound
// by RoleBinding read-secrets in development (dave) and by ClusterRoleBinding read-secrets-global (manager).
const DOCS = objectsFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { namespace: default, name: pod-reader }
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: read-pods, namespace: default }
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef: { kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: secret-reader }
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: read-secrets, namespace: development }
subjects:
- kind: User
  name: dave
  apiGroup: rbac.authorization.k8s.io
roleRef: { kind: ClusterRole, name: secret-reader, apiGroup: rbac.authorization.k8s.io }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: read-secrets-global }
subjects:
- kind: Group
  name: manager
  apiGroup: rbac.authorization.k8s.io
roleRef: { kind: ClusterRole, name: secret-reader, apiGroup: rbac.authorization.k8s.io }
`);

const user = (name: string) => ({ kind: 'User' as const, name });
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount' as const, namespace, name });

describe('RBAC authorizer semantics', () => {
  const rbac = analyzeRbac(DOCS, { bootstrap: false });

  it('a Role grants only in its namespace', () => {
    assert.equal(rbac.can(user('jane'), { verb: 'get', resource: 'pods', namespace: 'default' }).allowed, true);
    assert.equal(rbac.can(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }).allowed, true);
    assert.equal(rbac.can(user('jane'), { verb: 'delete', resource: 'pods', namespace: 'default' }).allowed, false);
    assert.equal(rbac.can(user('jane'), { verb: 'get', resource: 'pods', namespace: 'kube-system' }).allowed, false);
    // A request without a namespace (all namespaces) is not covered by a RoleBinding.
    assert.equal(rbac.can(user('jane'), { verb: 'list', resource: 'pods' }).allowed, false);
  });

  it('a RoleBinding to a ClusterRole grants it only in the binding namespace', () => {
    assert.equal(rbac.can(user('dave'), { verb: 'get', resource: 'secrets', namespace: 'development' }).allowed, true);
    assert.equal(rbac.can(user('dave'), { verb: 'get', resource: 'secrets', namespace: 'default' }).allowed, false);
    assert.equal(rbac.can(user('dave'), { verb: 'list', resource: 'secrets' }).allowed, false);
  });

  it('a ClusterRoleBinding grants in every namespace and cluster-wide', () => {
    const manager = { name: 'bob', groups: ['manager', 'system:authenticated'] };
    assert.equal(rbac.can(manager, { verb: 'get', resource: 'secrets', namespace: 'default' }).allowed, true);
    assert.equal(rbac.can(manager, { verb: 'list', resource: 'secrets' }).allowed, true);
    assert.deepEqual(rbac.can(manager, { verb: 'list', resource: 'secrets' }).reason, {
      binding: 'ClusterRoleBinding/read-secrets-global',
      role: 'ClusterRole/secret-reader',
    });
    assert.equal(rbac.can({ name: 'eve', groups: ['system:authenticated'] }, { verb: 'list', resource: 'secrets' }).allowed, false);
  });

  it('system:masters is a superuser without any binding', () => {
    const root = { name: 'root', groups: ['system:masters'] };
    assert.deepEqual(rbac.can(root, { verb: 'delete', resource: 'nodes' }), { allowed: true, reason: 'superuser' });
    assert.equal(rbac.can(root, { verb: 'get', nonResourceURL: '/metrics' }).allowed, true);
  });

  it('who-can lists each subject with the binding and role that grant it', () => {
    assert.deepEqual(rbac.whoCan({ verb: 'get', resource: 'secrets', namespace: 'development' }), {
      subjects: [
        { kind: 'User', name: 'dave', via: [{ binding: 'RoleBinding/development/read-secrets', role: 'ClusterRole/secret-reader' }] },
        { kind: 'Group', name: 'manager', via: [{ binding: 'ClusterRoleBinding/read-secrets-global', role: 'ClusterRole/secret-reader' }] },
        { kind: 'Group', name: 'system:masters', via: [{ binding: '(superuser group, authorized before RBAC)', role: '(all permissions)' }] },
      ],
    });
    const names = rbac.whoCan({ verb: 'get', resource: 'secrets', namespace: 'default' }).subjects.map((s) => s.name);
    assert.deepEqual(names, ['manager', 'system:masters']);
    const pods = rbac.whoCan({ verb: 'watch', resource: 'pods', namespace: 'default' }).subjects.map((s) => s.name);
    assert.deepEqual(pods, ['jane', 'system:masters']);
  });
});

describe('subjects and implicit groups', () => {
  const rbac = analyzeRbac(
    objectsFromYaml(`
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: cm-reader }
rules: [{ apiGroups: [""], resources: [configmaps], verbs: [get] }]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: local-sa, namespace: ci }
roleRef: { kind: ClusterRole, name: cm-reader, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: ServiceAccount, name: builder }]
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: sa-without-namespace }
roleRef: { kind: ClusterRole, name: cm-reader, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: ServiceAccount, name: orphan }]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: all-qa-sas, namespace: qa }
roleRef: { kind: ClusterRole, name: cm-reader, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: Group, name: "system:serviceaccounts:qa", apiGroup: rbac.authorization.k8s.io }]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: everyone, namespace: public }
roleRef: { kind: ClusterRole, name: cm-reader, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io }]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: anonymous, namespace: open }
roleRef: { kind: ClusterRole, name: cm-reader, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: Group, name: "system:unauthenticated", apiGroup: rbac.authorization.k8s.io }]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: sa-by-username, namespace: tools }
roleRef: { kind: ClusterRole, name: cm-reader, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: User, name: "system:serviceaccount:tools:bot", apiGroup: rbac.authorization.k8s.io }]
`),
    { bootstrap: false },
  );
  const cm = (namespace?: string) => ({ verb: 'get', resource: 'configmaps', ...(namespace ? { namespace } : {}) });

  it('a ServiceAccount subject without namespace defaults to the RoleBinding namespace', () => {
    assert.equal(rbac.can(sa('ci', 'builder'), cm('ci')).allowed, true);
    assert.equal(rbac.can(sa('default', 'builder'), cm('ci')).allowed, false);
  });

  it('a ServiceAccount subject without namespace in a ClusterRoleBinding matches nobody', () => {
    assert.equal(rbac.can(sa('default', 'orphan'), cm()).allowed, false);
    assert.equal(rbac.can(sa('ci', 'orphan'), cm('ci')).allowed, false);
  });

  it('service accounts are in system:serviceaccounts:<ns>; users are not', () => {
    assert.equal(rbac.can(sa('qa', 'anything'), cm('qa')).allowed, true);
    assert.equal(rbac.can(sa('dev', 'anything'), cm('qa')).allowed, false);
    assert.equal(rbac.can(user('alice'), cm('qa')).allowed, false);
  });

  it('users and service accounts are in system:authenticated; the anonymous user is not', () => {
    assert.equal(rbac.can(user('alice'), cm('public')).allowed, true);
    assert.equal(rbac.can(sa('qa', 'x'), cm('public')).allowed, true);
    assert.equal(rbac.can(user('system:anonymous'), cm('public')).allowed, false);
    assert.equal(rbac.can(user('system:anonymous'), cm('open')).allowed, true);
    assert.equal(rbac.can(user('alice'), cm('open')).allowed, false);
  });

  it('a User subject named system:serviceaccount:<ns>:<name> is that service account', () => {
    assert.equal(rbac.can(sa('tools', 'bot'), cm('tools')).allowed, true);
    const who = rbac.whoCan(cm('tools')).subjects.filter((s) => s.name !== 'system:masters');
    assert.deepEqual(who.map((s) => s.via[0].binding), ['RoleBinding/tools/sa-by-username']);
  });

  it('a RoleBinding never grants cluster-scoped resources or non-resource URLs', () => {
    const r = analyzeRbac(
      objectsFromYaml(`
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: admin-here, namespace: team }
roleRef: { kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: User, name: lead, apiGroup: rbac.authorization.k8s.io }]
`),
    );
    assert.equal(r.can(user('lead'), { verb: 'delete', resource: 'secrets', namespace: 'team' }).allowed, true);
    assert.equal(r.can(user('lead'), { verb: 'get', resource: 'nodes' }).allowed, false);
    assert.equal(r.can(user('lead'), { verb: 'get', nonResourceURL: '/metrics' }).allowed, false);
    assert.equal(r.can(user('lead'), { verb: 'get', resource: 'secrets', namespace: 'other' }).allowed, false);
  });

  it('a binding to a missing role grants nothing', () => {
    const r = analyzeRbac(
      objectsFromYaml(`
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: { name: dangling, namespace: team }
roleRef: { kind: Role, name: does-not-exist, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: User, name: lead, apiGroup: rbac.authorization.k8s.io }]
`),
      { bootstrap: false },
    );
    assert.equal(r.index.unresolvedBindings().length, 1);
    assert.equal(r.can(user('lead'), { verb: 'get', resource: 'pods', namespace: 'team' }).allowed, false);
  });
});

describe('aggregated ClusterRoles', () => {
  it('the docs example: "monitoring" aggregates roles labelled aggregate-to-monitoring', () => {
    const r = analyzeRbac(
      objectsFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: monitoring }
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: { rbac.example.com/aggregate-to-monitoring: "true" }
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-endpoints
  labels: { rbac.example.com/aggregate-to-monitoring: "true" }
rules:
- apiGroups: [""]
  resources: ["services", "endpointslices", "pods"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: mon }
roleRef: { kind: ClusterRole, name: monitoring, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: User, name: prom, apiGroup: rbac.authorization.k8s.io }]
`),
      { bootstrap: false },
    );
    assert.equal(r.can(user('prom'), { verb: 'list', resource: 'endpointslices' }).allowed, true);
    assert.equal(r.can(user('prom'), { verb: 'delete', resource: 'pods', namespace: 'x' }).allowed, false);
  });

  it('matchExpressions (In, NotIn, Exists, DoesNotExist) select roles; declared rules are replaced', () => {
    const r = analyzeRbac(
      objectsFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: agg }
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions:
    - { key: tier, operator: In, values: [ops, sre] }
    - { key: deprecated, operator: DoesNotExist }
rules: [{ apiGroups: [""], resources: [nodes], verbs: [delete] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ops, labels: { tier: ops } }
rules: [{ apiGroups: [""], resources: [configmaps], verbs: [get] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: old, labels: { tier: sre, deprecated: "yes" } }
rules: [{ apiGroups: [""], resources: [secrets], verbs: [get] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: dev, labels: { tier: dev } }
rules: [{ apiGroups: [""], resources: [pods], verbs: [get] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: agg }
roleRef: { kind: ClusterRole, name: agg, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: User, name: u, apiGroup: rbac.authorization.k8s.io }]
`),
      { bootstrap: false },
    );
    assert.equal(r.can(user('u'), { verb: 'get', resource: 'configmaps' }).allowed, true);
    assert.equal(r.can(user('u'), { verb: 'get', resource: 'secrets' }).allowed, false, 'DoesNotExist excludes "old"');
    assert.equal(r.can(user('u'), { verb: 'get', resource: 'pods' }).allowed, false, 'In excludes "dev"');
    assert.equal(r.can(user('u'), { verb: 'delete', resource: 'nodes' }).allowed, false, 'declared rules are replaced by the controller');
  });

  it('a role labelled to aggregate into a bootstrap role extends it (docs: aggregate-to-view)', () => {
    const r = analyzeRbac(
      objectsFromYaml(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: crontabs-view
  labels: { rbac.authorization.k8s.io/aggregate-to-view: "true" }
rules: [{ apiGroups: [stable.example.com], resources: [crontabs], verbs: [get, list, watch] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: viewers, namespace: app }
roleRef: { kind: ClusterRole, name: admin, apiGroup: rbac.authorization.k8s.io }
subjects: [{ kind: User, name: ann, apiGroup: rbac.authorization.k8s.io }]
`),
    );
    // view aggregates into edit, edit into admin: the new rule reaches admin too.
    assert.equal(r.can(user('ann'), { verb: 'list', resource: 'crontabs', apiGroup: 'stable.example.com', namespace: 'app' }).allowed, true);
  });
});

describe('who-can in any namespace', () => {
  it('namespace "*" collects RoleBindings of every namespace plus ClusterRoleBindings', () => {
    const rbac = analyzeRbac(DOCS, { bootstrap: false });
    const r = rbac.whoCan({ verb: 'get', resource: 'secrets', namespace: '*' });
    assert.deepEqual(
      r.subjects.map((s) => [s.name, s.via.map((v) => v.binding)]),
      [
        ['dave', ['RoleBinding/development/read-secrets']],
        ['manager', ['ClusterRoleBinding/read-secrets-global']],
        ['system:masters', ['(superuser group, authorized before RBAC)']],
      ],
    );
    const pods = rbac.whoCan({ verb: 'list', resource: 'pods', namespace: '*' });
    assert.deepEqual(pods.subjects.map((s) => s.name), ['jane', 'system:masters']);
  });
});
