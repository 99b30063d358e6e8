// Escalation techniques from the Kubernetes "RBAC good practices" page
// (https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks):
// workload creation runs as any service account of the namespace, impersonation, bind/escalate,
// token requests, CSR approval, nodes/proxy. Paths are asserted step by step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRbac } from '../analysis.js';
import { objectsFromYaml } from '../test-yaml.js';

const RBAC = 'rbac.authorization.k8s.io';

function role(ns: string, name: string, rules: string): string {
  return `apiVersion: ${RBAC}/v1\nkind: Role\nmetadata: { name: ${name}, namespace: ${ns} }\nrules: ${rules}\n`;
}
function clusterRole(name: string, rules: string): string {
  return `apiVersion: ${RBAC}/v1\nkind: ClusterRole\nmetadata: { name: ${name} }\nrules: ${rules}\n`;
}
function rb(ns: string, name: string, roleKind: string, roleName: string, subjects: string): string {
  return `apiVersion: ${RBAC}/v1\nkind: RoleBinding\nmetadata: { name: ${name}, namespace: ${ns} }\nroleRef: { kind: ${roleKind}, name: ${roleName}, apiGroup: ${RBAC} }\nsubjects: ${subjects}\n`;
}
function crb(name: string, roleName: string, subjects: string): string {
  return `apiVersion: ${RBAC}/v1\nkind: ClusterRoleBinding\nmetadata: { name: ${name} }\nroleRef: { kind: ClusterRole, name: ${roleName}, apiGroup: ${RBAC} }\nsubjects: ${subjects}\n`;
}
const yaml = (...docs: string[]) => objectsFromYaml(docs.join('---\n'));

const CI = yaml(
  role('ci', 'pod-creator', '[{ apiGroups: [""], resources: [pods], verbs: [create, get, list] }]'),
  rb('ci', 'devs', 'Role', 'pod-creator', `[{ kind: User, name: alice, apiGroup: ${RBAC} }]`),
  `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: deployer, namespace: ci }\n`,
  crb('deployer-admin', 'cluster-admin', '[{ kind: ServiceAccount, name: deployer, namespace: ci }]'),
);

describe('escalation paths', () => {
  it('create pods in ci → mount service account ci/deployer → its ClusterRoleBinding to cluster-admin', () => {
    const rbac = analyzeRbac(CI);
    const [path] = rbac.paths({ from: { kind: 'User', name: 'alice' }, to: 'cluster-admin' });
    assert.deepEqual(path.from, { kind: 'User', name: 'alice' });
    assert.equal(path.to, 'cluster-admin');
    assert.deepEqual(path.steps, [
      { subject: 'user:alice', action: 'create a pod in ci', permission: 'create pods in namespace ci', via: 'RoleBinding/ci/devs → Role/pod-creator' },
      { subject: 'user:alice', action: 'mount service account ci/deployer in the pod', permission: 'pod spec serviceAccountName', via: 'ServiceAccount/ci/deployer' },
      { subject: 'sa:ci/deployer', action: 'use its cluster-wide rights', permission: 'every verb on every resource, cluster-wide', via: 'ClusterRoleBinding/deployer-admin → ClusterRole/cluster-admin' },
    ]);
  });

  it('creating pods is root on a node unless Pod Security enforces baseline in the namespace', () => {
    const open = analyzeRbac(CI);
    const [direct] = open.paths({ from: { kind: 'User', name: 'alice' }, to: 'node' });
    assert.deepEqual(direct.steps.map((s) => s.action), ['create a pod in ci', "run a privileged pod that mounts the node's / through hostPath"]);
    const guarded = analyzeRbac([
      ...CI,
      ...yaml(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ci, labels: { pod-security.kubernetes.io/enforce: restricted } }\n`),
    ]);
    const [viaAdmin] = guarded.paths({ from: { kind: 'User', name: 'alice' }, to: 'node' });
    // Now the way to a node goes through the cluster-admin service account, which can create pods anywhere.
    assert.deepEqual(viaAdmin.steps.map((s) => [s.subject, s.action]), [
      ['user:alice', 'create a pod in ci'],
      ['user:alice', 'mount service account ci/deployer in the pod'],
      ['sa:ci/deployer', "run commands in any node's pods through the kubelet API"],
    ]);
  });

  it('the secrets capability needs cluster-wide read; namespace read is not "all secrets"', () => {
    const rbac = analyzeRbac(
      yaml(
        clusterRole('secret-reader', '[{ apiGroups: [""], resources: [secrets], verbs: [get, list] }]'),
        rb('team', 'local', 'ClusterRole', 'secret-reader', `[{ kind: User, name: bob, apiGroup: ${RBAC} }]`),
        crb('global', 'secret-reader', `[{ kind: Group, name: auditors, apiGroup: ${RBAC} }]`),
      ),
    );
    assert.deepEqual(rbac.paths({ from: { kind: 'User', name: 'bob' }, to: 'secrets' }), []);
    const [p] = rbac.paths({ from: { kind: 'Group', name: 'auditors' }, to: 'secrets' });
    assert.deepEqual(p.steps, [
      { subject: 'group:auditors', action: 'read every Secret in the cluster', permission: 'get/list secrets, cluster-wide', via: 'ClusterRoleBinding/global → ClusterRole/secret-reader' },
    ]);
  });

  it('reading a legacy token Secret takes over its service account', () => {
    const rbac = analyzeRbac(
      yaml(
        role('apps', 'read-secrets', '[{ apiGroups: [""], resources: [secrets], verbs: [get] }]'),
        rb('apps', 'reader', 'Role', 'read-secrets', `[{ kind: User, name: carol, apiGroup: ${RBAC} }]`),
        `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata: { name: ops-token, namespace: apps, annotations: { kubernetes.io/service-account.name: ops } }\n`,
        crb('ops-admin', 'cluster-admin', '[{ kind: ServiceAccount, name: ops, namespace: apps }]'),
      ),
    );
    const [p] = rbac.paths({ from: { kind: 'User', name: 'carol' }, to: 'cluster-admin' });
    assert.deepEqual(p.steps.map((s) => [s.subject, s.action, s.via]), [
      ['user:carol', 'read service-account token Secrets in apps', 'RoleBinding/apps/reader → Role/read-secrets'],
      ['user:carol', 'read token Secret apps/ops-token of service account apps/ops', 'Secret/apps/ops-token'],
      ['sa:apps/ops', 'use its cluster-wide rights', 'ClusterRoleBinding/ops-admin → ClusterRole/cluster-admin'],
    ]);
  });

  it('impersonating group system:masters is cluster-admin in two steps', () => {
    const rbac = analyzeRbac(
      yaml(
        clusterRole('impersonator', '[{ apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: ["system:masters"] }]'),
        crb('imp', 'impersonator', `[{ kind: User, name: mallory, apiGroup: ${RBAC} }]`),
      ),
    );
    const [p] = rbac.paths({ from: { kind: 'User', name: 'mallory' }, to: 'cluster-admin' });
    assert.deepEqual(p.steps.map((s) => [s.subject, s.action, s.permission]), [
      ['user:mallory', 'impersonate group system:masters', 'impersonate groups'],
      ['group:system:masters', 'act as superuser', 'every permission (system:masters bypasses RBAC)'],
    ]);
  });

  it('bind + create clusterrolebindings is cluster-admin in one step; bind alone is not', () => {
    const both = analyzeRbac(
      yaml(
        clusterRole('binder', `[{ apiGroups: [${RBAC}], resources: [clusterrolebindings], verbs: [create] }, { apiGroups: [${RBAC}], resources: [clusterroles], verbs: [bind], resourceNames: [cluster-admin] }]`),
        crb('binder', 'binder', `[{ kind: User, name: ben, apiGroup: ${RBAC} }]`),
      ),
    );
    const [p] = both.paths({ from: { kind: 'User', name: 'ben' }, to: 'cluster-admin' });
    assert.equal(p.steps.length, 1);
    assert.equal(p.steps[0].action, 'create a ClusterRoleBinding from itself to cluster-admin');
    const bindOnly = analyzeRbac(
      yaml(
        clusterRole('binder', `[{ apiGroups: [${RBAC}], resources: [clusterroles], verbs: [bind] }]`),
        crb('binder', 'binder', `[{ kind: User, name: ben, apiGroup: ${RBAC} }]`),
      ),
    );
    assert.deepEqual(bindOnly.paths({ from: { kind: 'User', name: 'ben' }, to: 'cluster-admin' }), []);
  });

  it('exec into a running pod takes its mounted token; not when automount is off', () => {
    const docs = (automount: string) =>
      yaml(
        role('web', 'exec', '[{ apiGroups: [""], resources: [pods/exec], verbs: [create] }]'),
        rb('web', 'exec', 'Role', 'exec', `[{ kind: User, name: dan, apiGroup: ${RBAC} }]`),
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: web }\nspec:\n  template:\n    spec:\n      serviceAccountName: api\n${automount}      containers: [{ name: c, image: nginx }]\n`,
        crb('api-admin', 'cluster-admin', '[{ kind: ServiceAccount, name: api, namespace: web }]'),
      );
    const mounted = analyzeRbac(docs(''));
    const [p] = mounted.paths({ from: { kind: 'User', name: 'dan' }, to: 'cluster-admin' });
    assert.deepEqual(p.steps.map((s) => s.action), [
      'exec into running pods in web',
      'exec into Deployment/web/api and use its mounted token (web/api)',
      'use its cluster-wide rights',
    ]);
    const off = analyzeRbac(docs('      automountServiceAccountToken: false\n'));
    assert.deepEqual(off.paths({ from: { kind: 'User', name: 'dan' }, to: 'cluster-admin' }), []);
  });

  it('create + approve a CSR for kube-apiserver-client mints a system:masters certificate', () => {
    const rbac = analyzeRbac(
      yaml(
        clusterRole('csr', `[{ apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create] }, { apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update] }]`),
        crb('csr', 'csr', `[{ kind: User, name: cert, apiGroup: ${RBAC} }]`),
        crb('signer', 'system:certificates.k8s.io:kube-apiserver-client-approver', `[{ kind: User, name: cert, apiGroup: ${RBAC} }]`),
      ),
    );
    const [p] = rbac.paths({ from: { kind: 'User', name: 'cert' }, to: 'cluster-admin' });
    assert.equal(p.steps.length, 1);
    assert.equal(p.steps[0].action, 'create and approve a CSR for a system:masters client certificate');
  });

  it('a group granting pod creation is reached through membership (system:serviceaccounts:<ns>)', () => {
    const rbac = analyzeRbac(
      yaml(
        role('build', 'pods', '[{ apiGroups: [""], resources: [pods], verbs: [create] }]'),
        rb('build', 'all-sas', 'Role', 'pods', `[{ kind: Group, name: "system:serviceaccounts:build", apiGroup: ${RBAC} }]`),
        `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: runner, namespace: build }\n`,
        `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: release, namespace: build }\n`,
        crb('release-admin', 'cluster-admin', '[{ kind: ServiceAccount, name: release, namespace: build }]'),
      ),
    );
    const [p] = rbac.paths({ from: { kind: 'ServiceAccount', namespace: 'build', name: 'runner' }, to: 'cluster-admin' });
    assert.deepEqual(p.steps.map((s) => [s.subject, s.action]), [
      ['sa:build/runner', 'use the rights of its implicit group system:serviceaccounts:build'],
      ['group:system:serviceaccounts:build', 'create a pod in build'],
      ['group:system:serviceaccounts:build', 'mount service account build/release in the pod'],
      ['sa:build/release', 'use its cluster-wide rights'],
    ]);
  });

  it('view holders reach nothing', () => {
    const rbac = analyzeRbac(yaml(rb('team', 'viewers', 'ClusterRole', 'view', `[{ kind: User, name: val, apiGroup: ${RBAC} }]`)));
    assert.deepEqual(rbac.paths({ from: { kind: 'User', name: 'val' } }), []);
  });
});

describe('blast radius', () => {
  it('reports the service account, token mount, abilities and paths of a workload', () => {
    const rbac = analyzeRbac([
      ...CI,
      ...yaml(`apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: runner, namespace: ci }\nspec:\n  template:\n    spec:\n      serviceAccountName: deployer\n      containers: [{ name: c, image: busybox }]\n`),
    ]);
    const br = rbac.blastRadius({ namespace: 'ci', kind: 'deployment', name: 'runner' });
    assert.deepEqual(br.serviceAccount, { namespace: 'ci', name: 'deployer', declared: true });
    assert.equal(br.tokenMounted, true);
    assert.ok(br.abilities.some((a) => a.ability === 'cluster-admin' && a.scope === 'cluster-wide'));
    assert.deepEqual(br.escalation.map((p) => [p.to, p.steps.length]), [['cluster-admin', 1], ['secrets', 1], ['node', 1]]);
    assert.match(br.summary, /runs as service account ci\/deployer; its API token is mounted/);
  });

  it('a workload on the default service account with automount off', () => {
    const rbac = analyzeRbac(
      yaml(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: x }\nspec:\n  automountServiceAccountToken: false\n  containers: [{ name: c, image: busybox }]\n`),
    );
    const br = rbac.blastRadius({ namespace: 'x', kind: 'Pod', name: 'p' });
    assert.deepEqual(br.serviceAccount, { namespace: 'x', name: 'default', declared: false });
    assert.equal(br.tokenMounted, false);
    assert.deepEqual(br.escalation, []);
    assert.deepEqual(br.abilities, []);
  });
});

describe('subjects named by nobody', () => {
  it('a user no binding names escalates through system:authenticated', () => {
    const rbac = analyzeRbac(
      yaml(
        crb('everyone-impersonates', 'impersonate-masters', `[{ kind: Group, name: "system:authenticated", apiGroup: ${RBAC} }]`),
        clusterRole('impersonate-masters', '[{ apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: ["system:masters"] }]'),
      ),
    );
    const [p] = rbac.paths({ from: { kind: 'User', name: 'stranger' }, to: 'cluster-admin' });
    assert.deepEqual(p.steps.map((s) => [s.subject, s.action]), [
      ['user:stranger', 'use the rights of its implicit group system:authenticated'],
      ['group:system:authenticated', 'impersonate group system:masters'],
      ['group:system:masters', 'act as superuser'],
    ]);
    // The anonymous user is not in system:authenticated.
    assert.deepEqual(rbac.paths({ from: { kind: 'User', name: 'system:anonymous' } }), []);
  });
});

describe('combinations split between a subject and its implicit group', () => {
  it('bind (own) + create clusterrolebindings (system:authenticated) is one step to cluster-admin', () => {
    const rbac = analyzeRbac(
      yaml(
        clusterRole('binder', `[{ apiGroups: [${RBAC}], resources: [clusterroles], verbs: [bind] }]`),
        crb('binder', 'binder', `[{ kind: User, name: ben, apiGroup: ${RBAC} }]`),
        clusterRole('crb-writer', `[{ apiGroups: [${RBAC}], resources: [clusterrolebindings], verbs: [create] }]`),
        crb('everyone-writes-crbs', 'crb-writer', `[{ kind: Group, name: "system:authenticated", apiGroup: ${RBAC} }]`),
      ),
    );
    const [p] = rbac.paths({ from: { kind: 'User', name: 'ben' }, to: 'cluster-admin' });
    assert.deepEqual(p.steps, [
      {
        subject: 'user:ben',
        action: 'create a ClusterRoleBinding from itself to cluster-admin',
        permission: 'create clusterrolebindings + bind clusterroles',
        via: 'ClusterRoleBinding/everyone-writes-crbs → ClusterRole/crb-writer; ClusterRoleBinding/binder → ClusterRole/binder',
      },
    ]);
    // Someone with neither part gets nothing from the group alone.
    assert.deepEqual(rbac.paths({ from: { kind: 'User', name: 'other' }, to: 'cluster-admin' }), []);
  });
});
