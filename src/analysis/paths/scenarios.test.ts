// Hand-built scenes whose paths are known, one per edge type and chains of them. The RBAC semantics behind the
// rbac hops are the escalation graph's (src/analysis/rbac/escalation, from the Kubernetes "RBAC good practices"
// page); NetworkPolicy verdicts are the netpol engine's (src/analysis/network, checked against upstream cases).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/model.js';
import { AttackGraph, findPaths, type ImageVulnerability, type PathsQuery } from './index.js';
import { CRITICAL_FIXED, clusterRole, crb, denyIngress, deployment, ns, rb, role, sa, service, user } from './test-support/scenes.js';

function run(objects: KubeObject[], q: PathsQuery = {}, vulns: Record<string, ImageVulnerability[]> = {}, incidents?: ConstructorParameters<typeof AttackGraph>[0]['incidents']) {
  const g = new AttackGraph({ objects, vulnerabilities: new Map(Object.entries(vulns)), ...(incidents ? { incidents } : {}) });
  return findPaths(g, q);
}

const hopsOf = (p: { hops: { from: string; to: string; edge: string }[] }): string[] => p.hops.map((h) => `${h.from} -${h.edge}-> ${h.to}`);

const webChain = (): KubeObject[] => [
  ns('shop'),
  deployment('shop', 'web', { sa: 'web', ports: [{ containerPort: 8080 }] }),
  service('shop', 'web', 'LoadBalancer', 8080),
  crb('web-admin', 'cluster-admin', [sa('shop', 'web')]),
];

describe('attack paths: hand-built scenes', () => {
  it('internet → LoadBalancer → exploitable container → token → cluster-admin, cut by one change', () => {
    const a = run(webChain(), { to: ['cluster-admin'] }, { 'shop/web:1.0': CRITICAL_FIXED });
    assert.equal(a.paths.length, 1);
    assert.deepEqual(hopsOf(a.paths[0]), [
      'internet -exposure-> Deployment/shop/web#app',
      'Deployment/shop/web#app -exploit-> Deployment/shop/web',
      'Deployment/shop/web -token-theft-> sa:shop/web',
      'sa:shop/web -rbac-> cluster-admin',
    ]);
    assert.equal(a.paths[0].from, 'internet');
    assert.equal(a.paths[0].to, 'cluster-admin');
    assert.equal(a.paths[0].hops[0].technique.id, 'T1190');
    assert.match(a.paths[0].hops[3].evidence, /ClusterRoleBinding\/web-admin/);
    assert.equal(a.cut.length, 1);
    assert.equal(a.cut[0].breaks, 1);
    assert.ok(a.cutInfo.exact && a.cutInfo.complete);
  });

  it('no vulnerability data: no exploit hop, so no path from the internet', () => {
    assert.equal(run(webChain(), {}).paths.length, 0);
  });

  it('a vulnerability without a fix and not known exploited is not an exploit hop; a known exploited one is', () => {
    assert.equal(run(webChain(), {}, { 'shop/web:1.0': [{ id: 'CVE-1', severity: 'critical' }] }).paths.length, 0);
    const a = run(webChain(), { to: ['cluster-admin'] }, { 'shop/web:1.0': [{ id: 'CVE-1', severity: 'medium', knownExploited: true }] });
    assert.equal(a.paths.length, 1);
    // a hop without a fix has no image change: the cut uses another hop
    assert.ok(!a.cut.some((c) => c.change.startsWith('rebuild')));
  });

  it('a NetworkPolicy isolating the exposed pod removes the exposure hop', () => {
    const a = run([...webChain(), denyIngress('shop', 'deny', { matchLabels: { app: 'web' } })], {}, { 'shop/web:1.0': CRITICAL_FIXED });
    assert.equal(a.paths.length, 0);
  });

  it('automountServiceAccountToken: false removes the token-theft hop', () => {
    const objs = webChain();
    (objs[1] as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec.automountServiceAccountToken = false;
    const a = run(objs, { to: ['cluster-admin'] }, { 'shop/web:1.0': CRITICAL_FIXED });
    assert.equal(a.paths.length, 0);
  });

  it('network hop: a compromised workload reaches an exploitable one unless a policy blocks it', () => {
    const objs = [
      ns('a'),
      deployment('a', 'front', { ports: [{ containerPort: 80 }] }),
      service('a', 'front', 'NodePort', 80),
      deployment('a', 'db', { sa: 'db', ports: [{ containerPort: 5432 }] }),
      crb('db-admin', 'cluster-admin', [sa('a', 'db')]),
    ];
    const vulns = { 'a/front:1.0': CRITICAL_FIXED, 'a/db:1.0': CRITICAL_FIXED };
    const a = run(objs, { to: ['cluster-admin'] }, vulns);
    assert.equal(a.paths.length, 1);
    assert.deepEqual(hopsOf(a.paths[0]), [
      'internet -exposure-> Deployment/a/front#app',
      'Deployment/a/front#app -exploit-> Deployment/a/front',
      'Deployment/a/front -network-> Deployment/a/db#app',
      'Deployment/a/db#app -exploit-> Deployment/a/db',
      'Deployment/a/db -token-theft-> sa:a/db',
      'sa:a/db -rbac-> cluster-admin',
    ]);
    const blocked = run([...objs, denyIngress('a', 'db-deny', { matchLabels: { app: 'db' } })], { to: ['cluster-admin'] }, vulns);
    assert.equal(blocked.paths.length, 0);
  });

  for (const [name, opts, evidence] of [
    ['privileged', { securityContext: { privileged: true } }, /privileged/],
    ['CAP_SYS_ADMIN', { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }, /CAP_SYS_ADMIN/],
    ['hostPID with SYS_PTRACE', { securityContext: { capabilities: { add: ['SYS_PTRACE'] } }, podSpec: { hostPID: true } }, /hostPID/],
    ['runtime socket', { volumeMounts: [{ name: 'sock', mountPath: '/var/run/docker.sock' }], podSpec: { volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] } }, /runtime socket/],
    ['sensitive hostPath', { volumeMounts: [{ name: 'etc', mountPath: '/host/etc' }], podSpec: { volumes: [{ name: 'etc', hostPath: { path: '/etc' } }] } }, /\/etc/],
    ['hostNetwork to the kubelet', { podSpec: { hostNetwork: true } }, /kubelet/],
  ] as const) {
    it(`escape: ${name} → nodes`, () => {
      const a = run([ns('x'), deployment('x', 'w', opts as never)], { from: ['Deployment/x/w'], to: ['nodes'] });
      assert.equal(a.paths.length, 1);
      assert.deepEqual(hopsOf(a.paths[0]), ['Deployment/x/w -escape-> nodes']);
      assert.match(a.paths[0].hops[0].evidence, evidence);
      assert.equal(a.paths[0].hops[0].technique.id, 'T1611');
      assert.equal(a.cut.length, 1);
    });
  }

  it('hostPID alone (no ptrace) and a read-only /usr mount are no escape', () => {
    assert.equal(run([ns('x'), deployment('x', 'w', { podSpec: { hostPID: true } })], { from: ['Deployment/x/w'], to: ['nodes'] }).paths.length, 0);
    const ro = deployment('x', 'w', { volumeMounts: [{ name: 'usr', mountPath: '/u', readOnly: true }], podSpec: { volumes: [{ name: 'usr', hostPath: { path: '/usr' } }] } });
    assert.equal(run([ns('x'), ro], { from: ['Deployment/x/w'], to: ['nodes'] }).paths.length, 0);
  });

  it('node → cluster: node credentials give the tokens of pods on the node (DaemonSet: every node)', () => {
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { serviceAccountName: 'agent', containers: [{ name: 'a', image: 'agent:1' }] } } } };
    const a = run([ns('x'), deployment('x', 'w', { securityContext: { privileged: true } }), ds, crb('agent-admin', 'cluster-admin', [sa('kube-system', 'agent')])], { from: ['Deployment/x/w'], to: ['cluster-admin'] });
    assert.deepEqual(hopsOf(a.paths[0]), ['Deployment/x/w -escape-> nodes', 'nodes -node-credentials-> sa:kube-system/agent', 'sa:kube-system/agent -rbac-> cluster-admin']);
  });

  it('exec into another pod (pods/exec), then its token', () => {
    const objs = [
      ns('ci'),
      deployment('ci', 'runner', { sa: 'runner' }),
      deployment('ci', 'deployer', { sa: 'deployer' }),
      role('ci', 'exec', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      rb('ci', 'runner-exec', 'Role', 'exec', [sa('ci', 'runner')]),
      crb('deployer-admin', 'cluster-admin', [sa('ci', 'deployer')]),
    ];
    const a = run(objs, { from: ['Deployment/ci/runner'], to: ['cluster-admin'] });
    assert.equal(a.paths.length, 1);
    assert.ok(hopsOf(a.paths[0]).includes('exec:ci -exec-> Deployment/ci/deployer'), hopsOf(a.paths[0]).join('\n'));
    assert.ok(a.paths[0].hops.some((h) => h.edge === 'exec' && h.technique.id === 'T1609'));
  });

  it('exec into a pod without a token that can reach the node', () => {
    const objs = [
      ns('ci'),
      deployment('ci', 'runner', { sa: 'runner' }),
      deployment('ci', 'builder', { securityContext: { privileged: true }, podSpec: { automountServiceAccountToken: false } }),
      role('ci', 'exec', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      rb('ci', 'runner-exec', 'Role', 'exec', [sa('ci', 'runner')]),
    ];
    const a = run(objs, { from: ['Deployment/ci/runner'], to: ['nodes'] });
    assert.deepEqual(hopsOf(a.paths[0]), ['Deployment/ci/runner -token-theft-> sa:ci/runner', 'sa:ci/runner -rbac-> exec:ci', 'exec:ci -exec-> Deployment/ci/builder', 'Deployment/ci/builder -escape-> nodes']);
  });

  it('pod creation with a chosen service account', () => {
    const objs = [
      ns('ci'),
      deployment('ci', 'runner', { sa: 'runner' }),
      role('ci', 'pods', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
      rb('ci', 'runner-pods', 'Role', 'pods', [sa('ci', 'runner')]),
      crb('deployer-admin', 'cluster-admin', [sa('ci', 'deployer')]),
    ];
    const a = run(objs, { from: ['Deployment/ci/runner'], to: ['cluster-admin'] });
    assert.ok(a.paths[0].hops.some((h) => h.edge === 'pod-create' && h.to === 'sa:ci/deployer'), hopsOf(a.paths[0]).join('\n'));
    assert.equal(a.cut.length, 1);
  });

  it('token theft through get secrets on a legacy token Secret', () => {
    const objs = [
      ns('ci'),
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'deployer-token', namespace: 'ci', annotations: { 'kubernetes.io/service-account.name': 'deployer' } } },
      role('ci', 'secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      rb('ci', 'alice-secrets', 'Role', 'secrets', [user('alice')]),
      crb('deployer-admin', 'cluster-admin', [sa('ci', 'deployer')]),
    ];
    const a = run(objs, { from: ['user:alice'], to: ['cluster-admin'] });
    const hops = hopsOf(a.paths[0]);
    assert.ok(hops.some((h) => h.endsWith('-token-theft-> Secret/ci/deployer-token')), hops.join('\n'));
    assert.ok(hops.includes('Secret/ci/deployer-token -token-theft-> sa:ci/deployer'));
  });

  it('token theft through create serviceaccounts/token', () => {
    const objs = [
      ns('ci'),
      role('ci', 'tokens', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]),
      rb('ci', 'bob-tokens', 'Role', 'tokens', [user('bob')]),
      crb('deployer-admin', 'cluster-admin', [sa('ci', 'deployer')]),
    ];
    const a = run(objs, { from: ['user:bob'], to: ['cluster-admin'] });
    const hops = hopsOf(a.paths[0]);
    assert.ok(hops.some((h) => h.endsWith('-token-theft-> sa:ci/deployer')), hops.join('\n'));
    assert.ok(a.paths[0].hops.some((h) => h.edge === 'token-theft' && h.technique.id === 'T1528'));
  });

  it('RBAC escalation through bind: create a ClusterRoleBinding to cluster-admin', () => {
    const objs = [
      clusterRole('binder', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['create'] }, { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }]),
      crb('carol-binder', 'binder', [user('carol')]),
    ];
    const a = run(objs, { from: ['user:carol'], to: ['cluster-admin'] });
    assert.deepEqual(hopsOf(a.paths[0]), ['user:carol -rbac-> cluster-admin']);
    assert.equal(a.paths[0].hops[0].technique.id, 'T1098');
    assert.match(a.cut[0].change, /remove user:carol from ClusterRoleBinding\/carol-binder/);
  });

  it('exposure through an Ingress (the controller reaches the pod) and through a hostPort', () => {
    const ingress: KubeObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    const objs = [ns('shop'), deployment('shop', 'web', { sa: 'web', ports: [{ containerPort: 8080 }] }), service('shop', 'web', 'ClusterIP', 8080), ingress, crb('web-admin', 'cluster-admin', [sa('shop', 'web')])];
    const a = run(objs, { to: ['cluster-admin'] }, { 'shop/web:1.0': CRITICAL_FIXED });
    assert.match(a.paths[0].hops[0].evidence, /^Ingress shop\/web routes outside traffic/);
    const hp = [ns('x'), deployment('x', 'w', { sa: 'w', ports: [{ containerPort: 53, hostPort: 53 }] }), crb('w-admin', 'cluster-admin', [sa('x', 'w')])];
    const b = run(hp, { to: ['cluster-admin'] }, { 'x/w:1.0': CRITICAL_FIXED });
    assert.match(b.paths[0].hops[0].evidence, /^hostPort 53/);
    // a ClusterIP Service alone exposes nothing
    assert.equal(run([ns('shop'), deployment('shop', 'web', { sa: 'web', ports: [{ containerPort: 8080 }] }), service('shop', 'web', 'ClusterIP', 8080)], {}, { 'shop/web:1.0': CRITICAL_FIXED }).paths.length, 0);
  });

  it('runtime incidents mark their workloads as entry points', () => {
    const objs = [ns('x'), deployment('x', 'w', { securityContext: { privileged: true } })];
    const a = run(objs, { to: ['nodes'] }, {}, [{ ruleId: 'runtime-shell-in-container', severity: 'high', count: 3, workload: { namespace: 'x', kind: 'Deployment', name: 'w' } }]);
    assert.deepEqual(hopsOf(a.paths[0]), ['incidents -incident-> Deployment/x/w', 'Deployment/x/w -escape-> nodes']);
    assert.match(a.paths[0].hops[0].evidence, /runtime-shell-in-container/);
  });

  it('the cut is a minimum: two paths through one shared binding need one change, two disjoint ones need two', () => {
    const shared = [
      ns('a'),
      deployment('a', 'w1', { sa: 'app', ports: [{ containerPort: 80 }] }),
      deployment('a', 'w2', { sa: 'app', ports: [{ containerPort: 80 }], labels: { app: 'w2' } }),
      service('a', 'w1', 'LoadBalancer', 80),
      service('a', 'w2', 'LoadBalancer', 80),
      crb('app-admin', 'cluster-admin', [sa('a', 'app')]),
    ];
    const vulns = { 'a/w1:1.0': CRITICAL_FIXED, 'a/w2:1.0': CRITICAL_FIXED };
    const one = run(shared, { to: ['cluster-admin'] }, vulns);
    assert.equal(one.cut.length, 1);
    assert.match(one.cut[0].change, /ClusterRoleBinding\/app-admin/);
    const disjoint = [...shared.slice(0, 5), clusterRole('x', [])];
    (disjoint[2] as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec.serviceAccountName = 'other';
    disjoint.push(crb('a1', 'cluster-admin', [sa('a', 'app')]), crb('a2', 'cluster-admin', [sa('a', 'other')]));
    const two = run(disjoint, { to: ['cluster-admin'] }, vulns);
    assert.equal(two.cut.length, 2);
  });
});
