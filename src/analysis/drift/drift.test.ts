// Drift, one case per class, on live objects shaped as the API server returns them (defaults filled in,
// managedFields of kubectl client-side apply, server-side apply, helm and controllers; kubectl edit moves
// ownership of what it changes), against manifests as people write them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../../core/model.js';
import type { JsonMap } from '../../core/json.js';
import { applied, edit } from './test-support/live.js';
import { asResource, driftOf } from './test-support/run.js';
import { renderDriftJson } from './render.js';

const deployment = (over: JsonMap = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: '128Mi' } }, securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true }, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }],
      },
    },
    ...over,
  },
});
const container = (o: JsonMap) => ((o.spec as JsonMap).template as { spec: { containers: JsonMap[] } }).spec.containers[0];
const summary = (r: ReturnType<typeof driftOf>) => r.drifts.map((d) => `${d.drift.class} ${d.drift.kind}/${d.drift.name} ${d.drift.path}`);

describe('drift: what is not drift', () => {
  it('a Deployment as a real API server returned it (hand-copied, not made by our defaults) equals its manifest', () => {
    const live = JSON.parse(readFileSync(new URL('./testdata/deployment-live.json', import.meta.url), 'utf8')) as KubeObject;
    const manifest = JSON.parse(live.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration']) as KubeObject;
    assert.deepEqual(summary(driftOf([manifest], [live])), []);
  });

  it('semantic equality: quantities, int-or-string, map lists in another order', () => {
    const m = deployment();
    const live = edit(applied(m), 'kube-apiserver-normalised', (o) => {
      const c = container(o);
      c.resources = { limits: { cpu: '0.5', memory: '134217728' } };
      c.env = [{ name: 'B', value: '2' }, { name: 'A', value: '1' }];
    });
    assert.deepEqual(summary(driftOf([m], [live])), []);
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: '8080' }, { name: 'dns', port: 53, protocol: 'UDP' }] } };
    const svcLive = edit(applied(svc), 'kubectl-patch', (o) => {
      const ports = (o.spec as JsonMap).ports as JsonMap[];
      (o.spec as JsonMap).ports = [ports[1], { ...ports[0], targetPort: 8080 }];
    });
    assert.deepEqual(summary(driftOf([svc], [svcLive])), []);
  });

  it('fields only controllers own (replicas under an autoscaler) and fields the config ignores', () => {
    const m = deployment();
    const scaled = edit(applied(m), 'kube-controller-manager', (o) => ((o.spec as JsonMap).replicas = 5));
    assert.deepEqual(summary(driftOf([m], [scaled])), []);
    const byArgoRollouts = edit(applied(m), 'rollouts-controller', (o) => ((o.spec as JsonMap).replicas = 3));
    assert.deepEqual(summary(driftOf([m], [byArgoRollouts])), ['other Deployment/web /spec/replicas']);
    assert.deepEqual(summary(driftOf([m], [byArgoRollouts], { ignore: [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['rollouts-controller'] }] })), []);
    assert.deepEqual(summary(driftOf([m], [byArgoRollouts], { ignore: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] })), []);
    assert.deepEqual(summary(driftOf([m], [byArgoRollouts], { controllers: ['rollouts-controller'] })), []);
  });
});

describe('drift: hostile input', () => {
  it('an object nested 1,500 deep is compared (whole below depth 100) without exhausting the stack', () => {
    const deep = (n: number, leaf: unknown): unknown => { let v = leaf; for (let i = 0; i < n; i++) v = { a: v }; return v; };
    const cm = (v: unknown): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' }, data: { k: 'v' }, extra: v });
    const r = driftOf([cm(deep(1_500, 1))], [applied(cm(deep(1_500, 2)))]);
    assert.equal(r.drifts.length, 1);
    assert.equal(r.drifts[0].drift.class, 'other');
  });
});

describe('drift: custom resources', () => {
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: { type: 'object', properties: {
          size: { type: 'integer', default: 3 },
          mode: { type: 'string', nullable: false, default: 'safe' },
          ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        } },
      } } } }],
    },
  };
  const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: { mode: null, ports: [{ port: 80 }], typo: 1, extra: { anything: true } } };

  it('the CRD schema\'s defaults (items too, a null that is not nullable) and pruning are not drift', () => {
    const live = edit(applied(crd), 'x', () => undefined);
    const cr = { ...widget, spec: { size: 3, mode: 'safe', ports: [{ port: 80, protocol: 'TCP' }], extra: { anything: true } } };
    assert.deepEqual(summary(driftOf([crd, widget], [live, applied(cr)])), []);
    const changed = edit(applied(cr), 'kubectl-edit', (o) => ((o.spec as JsonMap).size = 30));
    assert.deepEqual(summary(driftOf([crd, widget], [live, changed])), ['other Widget/w /spec/size']);
  });
});

describe('drift: one case per class', () => {
  it('rule-violation: kubectl edit turns on privileged; the rules say what it introduced, managedFields who did it', () => {
    const m = deployment();
    const live = edit(applied(m), 'kubectl-edit', (o) => (container(o).securityContext = { allowPrivilegeEscalation: false, runAsNonRoot: true, privileged: true }));
    const r = driftOf([m], [live]);
    assert.equal(r.drifts.length, 1);
    const d = r.drifts[0];
    assert.equal(d.drift.class, 'rule-violation');
    assert.equal(d.drift.path, '/spec/template/spec/containers/0/securityContext/privileged');
    assert.equal(d.drift.live, true);
    assert.ok(d.drift.ruleIds.includes('pss-privileged'), d.drift.ruleIds.join());
    assert.equal(d.severity, 'critical');
    assert.deepEqual(d.drift.changedBy.map((c) => c.manager), ['kubectl-edit']);
    assert.deepEqual(d.drift.patch.revert, [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext/privileged' }]);
    const adopt = d.drift.patch.adopt as JsonMap;
    assert.deepEqual((adopt.spec as JsonMap).template, { spec: { containers: [{ name: 'web', securityContext: { privileged: true } }] } });
  });

  it('image: tag moved, digest not in the manifest, digest not scanned', () => {
    const m = deployment();
    const digest = 'sha256:' + 'a'.repeat(64);
    const moved = edit(applied(m), 'kubectl-set', (o) => (container(o).image = 'nginx:1.28'));
    const pinned = edit(applied(m), 'kubectl-set', (o) => (container(o).image = `nginx:1.27@${digest}`));
    const [a] = driftOf([m], [moved]).drifts;
    assert.equal(a.drift.class, 'image');
    assert.match(a.why, /tag moved from 1\.27 to 1\.28/);
    const scanned = driftOf([m], [pinned], { scanned: () => true }).drifts[0];
    assert.equal(scanned.drift.class, 'image');
    assert.match(scanned.why, /digest not in the manifest; digest scanned/);
    assert.equal(scanned.severity, 'medium');
    const unscanned = driftOf([m], [pinned], { scanned: () => false }).drifts[0];
    assert.match(unscanned.why, /digest not scanned/);
    assert.equal(unscanned.severity, 'high');
  });

  it('image: a tag moved under unchanged objects — the pods run another digest than scanned, or several', () => {
    const m = deployment();
    const dep = applied(m);
    const uid = String(dep.metadata!.uid);
    const rs = applied({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d9f8b6c5', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid, controller: true }] }, spec: { selector: {}, template: {} } });
    const d = (c: string) => 'sha256:' + c.repeat(64);
    const pod = (name: string, digest: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: `pod-${name}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8b6c5', uid: String(rs.metadata!.uid), controller: true }] },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      status: { containerStatuses: [{ name: 'web', image: 'docker.io/library/nginx:1.27', imageID: `docker.io/library/nginx@${digest}` }] },
    });
    const same = driftOf([m], [dep, rs, pod('web-7d9f8b6c5-aaaaa', d('1'))], { scannedDigests: () => [d('1')] });
    assert.deepEqual(summary(same), []);
    const moved = driftOf([m], [dep, rs, pod('web-7d9f8b6c5-aaaaa', d('2'))], { scannedDigests: () => [d('1')] });
    assert.deepEqual(summary(moved), ['image Deployment/web /spec/template/spec/containers/0/image']);
    assert.match(moved.drifts[0].why, /tag moved since it was scanned/);
    assert.equal(moved.drifts[0].severity, 'high');
    assert.deepEqual(moved.drifts[0].drift.patch.revert, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: `nginx:1.27@${d('1')}` }]);
    const split = driftOf([m], [dep, rs, pod('web-7d9f8b6c5-aaaaa', d('1')), pod('web-7d9f8b6c5-bbbbb', d('3'))]);
    assert.match(split.drifts[0].why, /the pods run 2 digests of nginx:1\.27/);
    assert.deepEqual(split.drifts[0].drift.live, [`nginx:1.27@${d('1')}`, `nginx:1.27@${d('3')}`]);
  });

  it('rbac: a Role widened by hand is rbac drift; narrowed is other', () => {
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
    const wider = edit(applied(role), 'kubectl-edit', (o) => ((o.rules as JsonMap[])[0].resources = ['pods', 'secrets']));
    const d = driftOf([role], [wider]).drifts;
    assert.deepEqual(d.map((x) => x.drift.class), ['rbac']);
    assert.match(d[0].why, /grants get \/?secrets/);
    const narrower = edit(applied(role), 'kubectl-edit', (o) => ((o.rules as JsonMap[])[0].verbs = ['get']));
    assert.deepEqual(driftOf([role], [narrower]).drifts.map((x) => x.drift.class), ['other']);
  });

  it('rbac: a subject added to a binding', () => {
    const rb: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] };
    const live = edit(applied(rb), 'kubectl-patch', (o) => (o.subjects as JsonMap[]).push({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' }));
    const [d] = driftOf([rb], [live]).drifts;
    assert.equal(d.drift.class, 'rbac');
    assert.match(d.why, /binds User:mallory/);
  });

  it('network-policy: an ingress rule opened to every source is loosened', () => {
    const np: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] } };
    const pods = ['web', 'db', 'other'].map((app) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: app, namespace: 'shop', labels: { app } }, spec: { containers: [{ name: 'c', image: 'x:1' }] }, status: { podIP: '10.0.0.' + app.length } }));
    const opened = edit(applied(np), 'kubectl-edit', (o) => (((o.spec as JsonMap).ingress as JsonMap[])[0].from = []));
    const r = driftOf([np], [opened, ...pods]);
    const d = r.drifts.filter((x) => x.drift.kind === 'NetworkPolicy');
    assert.deepEqual(d.map((x) => x.drift.class), ['network-policy']);
    assert.match(d[0].why, /newly allowed/);
    const narrowed = edit(applied(np), 'kubectl-edit', (o) => ((o.spec as JsonMap).ingress = []));
    assert.deepEqual(driftOf([np], [narrowed, ...pods]).drifts.filter((x) => x.drift.kind === 'NetworkPolicy').map((x) => x.drift.class), ['other']);
  });

  it('shadow: objects no manifest declares, only where the manifests reach', () => {
    const m = deployment();
    const rb = applied({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'debug', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }] });
    const crb = applied({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'shop-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] });
    const elsewhere = applied({ ...deployment(), metadata: { name: 'web', namespace: 'other' } });
    const systemRole = applied({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view' }, rules: [] });
    const rs = applied({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d4f8', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u', controller: true }] }, spec: { selector: {}, template: {} } });
    const roleManifest: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'web', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }] };
    const r = driftOf([m, roleManifest], [applied(m), applied(roleManifest), rb, crb, elsewhere, systemRole, rs]);
    assert.deepEqual(summary(r).sort(), ['shadow ClusterRoleBinding/shop-admin ', 'shadow RoleBinding/debug ']);
    const crbDrift = r.drifts.find((d) => d.drift.name === 'shop-admin')!;
    assert.equal(crbDrift.severity, 'critical');
    assert.deepEqual(crbDrift.drift.patch.revert, [{ op: 'remove', path: '' }]);
    assert.equal((crbDrift.drift.patch.adopt as KubeObject).metadata?.uid, undefined);
    assert.deepEqual(r.shadowScope, { namespaces: ['shop'], kinds: ['apps/Deployment', 'rbac.authorization.k8s.io/RoleBinding'] });
  });

  it('not-applied, and a kind the cluster would not list: could not evaluate', () => {
    const m = deployment();
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } };
    const r = driftOf([m, cm], []);
    assert.deepEqual(summary(r).sort(), ['not-applied ConfigMap/settings ', 'not-applied Deployment/web ']);
    const deny: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {} } };
    const missingPolicy = driftOf([deny], []).drifts[0];
    assert.deepEqual([missingPolicy.drift.class, missingPolicy.severity], ['not-applied', 'high']);
    assert.deepEqual(r.drifts.map((d) => d.severity), ['low', 'low']);
    const forbidden = driftOf([m, cm], [], { unreadable: (ref) => (ref.kind === 'ConfigMap' ? 'configmaps: 403 forbidden' : undefined) });
    assert.deepEqual(summary(forbidden), ['not-applied Deployment/web ']);
    assert.deepEqual(forbidden.notEvaluated.map((n) => [n.ruleId, n.resource?.name, n.reason]), [['drift', 'settings', 'configmaps: 403 forbidden']]);
  });

  it('other: a label changed by hand, with the user and time from the audit log', () => {
    const m = deployment();
    const live = edit(applied(m), 'kubectl-label', (o) => ((o.metadata as JsonMap).labels = { team: 'ops' }));
    const audit = [
      { time: '2026-12-01T10:30:00.120Z', verb: 'patch', user: 'alice@example.com', groups: ['ops'], manager: 'kubectl-label', apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'web' },
      { time: '2026-12-01T09:00:00Z', verb: 'patch', user: 'bob', manager: 'kubectl-edit', apiGroup: 'apps', resource: 'deployments', namespace: 'shop', name: 'web' },
    ];
    const [d] = driftOf([m], [live], { audit }).drifts;
    assert.equal(d.drift.class, 'other');
    assert.equal(d.drift.path, '/metadata/labels');
    assert.deepEqual(d.drift.live, { team: 'ops' });
    assert.deepEqual(d.drift.changedBy, [{ manager: 'kubectl-label', operation: 'Update', time: '2026-12-01T10:30:00Z', user: 'alice@example.com', groups: ['ops'], verb: 'patch', requestTime: '2026-12-01T10:30:00.120Z' }]);
  });

  it('other: an ignore annotation added in the cluster is medium, not info', () => {
    const m = deployment();
    const live = edit(applied(m), 'kubectl-annotate', (o) => ((o.metadata as JsonMap).annotations = { ...((o.metadata as JsonMap).annotations as JsonMap), 'kubeguard.io/ignore': 'pss-privileged: hotfix' }));
    const [d] = driftOf([m], [live]).drifts;
    assert.deepEqual([d.drift.class, d.drift.path, d.severity], ['other', '/metadata/annotations', 'medium']);
  });

  it('secret values never appear: an env var password changed in the cluster is shown redacted', () => {
    const m = deployment();
    const live = edit(applied(m), 'kubectl-edit', (o) => (container(o).env as JsonMap[]).push({ name: 'DB_PASSWORD', value: 'hunter2-correct-horse' }));
    const r = driftOf([m], [live]);
    const json = renderDriftJson(r);
    assert.ok(!json.includes('hunter2'), json);
    assert.match(json, /<redacted, 21 chars>/);
  });

  it('the JSON contract: exactly the keys the issue names', () => {
    const m = deployment();
    const live = edit(applied(m), 'kubectl-edit', (o) => (container(o).image = 'nginx:1.28'));
    const parsed = JSON.parse(renderDriftJson(driftOf([m], [live]))) as { drifts: JsonMap[] };
    assert.deepEqual(Object.keys(parsed), ['drifts']);
    assert.deepEqual(Object.keys(parsed.drifts[0]), ['kind', 'namespace', 'name', 'class', 'path', 'manifest', 'live', 'ruleIds', 'changedBy', 'patch']);
  });

  it('a manifest without a namespace placed by -n matches its live object', () => {
    const m = deployment();
    delete m.metadata!.namespace;
    const placed = { ...asResource(m), ref: { ...asResource(m).ref, namespace: 'shop' }, object: { ...m, metadata: { ...m.metadata, namespace: 'shop' } } };
    assert.deepEqual(summary(driftOf([placed], [applied({ ...m, metadata: { name: 'web', namespace: 'shop' } })])), []);
  });
});
