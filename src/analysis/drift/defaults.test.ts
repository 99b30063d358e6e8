// The defaulting data read back against upstream's own behaviour (kubernetes/kubernetes pkg/apis/*/v1/defaults.go
// and defaults_test.go expectations): each case is a rule of the cited function, not a value our data produced.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/model.js';
import { applyDefaults } from './defaults.js';

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((cur, k) => (cur as Record<string, unknown> | undefined)?.[k], o);
const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
const deployment = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec } } });

describe('API defaults (upstream defaulting functions)', () => {
  it('SetDefaults_Container: imagePullPolicy Always for :latest or no tag, IfNotPresent for a tag or a digest', () => {
    const o = applyDefaults(pod({ containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'nginx:latest' }, { name: 'c', image: 'nginx:1.27' }, { name: 'd', image: 'nginx@sha256:' + 'a'.repeat(64) }, { name: 'e', image: 'nginx', imagePullPolicy: 'Never' }] }));
    assert.deepEqual((get(o, 'spec.containers') as { imagePullPolicy: string }[]).map((c) => c.imagePullPolicy), ['Always', 'Always', 'IfNotPresent', 'IfNotPresent', 'Never']);
  });

  it('SetDefaults_Pod (Pods only, not templates): requests from limits, enableServiceLinks', () => {
    const limits = { cpu: '1', memory: '1Gi' };
    const p = applyDefaults(pod({ containers: [{ name: 'a', image: 'x:1', resources: { limits, requests: { cpu: '100m' } } }] }));
    assert.deepEqual(get(p, 'spec.containers.0.resources.requests'), { cpu: '100m', memory: '1Gi' });
    assert.equal(get(p, 'spec.enableServiceLinks'), true);
    const d = applyDefaults(deployment({ containers: [{ name: 'a', image: 'x:1', resources: { limits } }] }));
    assert.equal(get(d, 'spec.template.spec.containers.0.resources.requests'), undefined);
    assert.equal(get(d, 'spec.template.spec.enableServiceLinks'), undefined);
    assert.equal(get(d, 'spec.template.spec.dnsPolicy'), 'ClusterFirst');
  });

  it('SetDefaults_Deployment, SetDefaults_StatefulSet, SetDefaults_DaemonSet', () => {
    const d = applyDefaults(deployment({ containers: [] }));
    assert.deepEqual(get(d, 'spec.strategy'), { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    const recreate = applyDefaults({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'r' }, spec: { strategy: { type: 'Recreate' } } });
    assert.deepEqual(get(recreate, 'spec.strategy'), { type: 'Recreate' });
    const s = applyDefaults({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }] } });
    assert.deepEqual(get(s, 'spec.updateStrategy'), { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(get(s, 'spec.volumeClaimTemplates.0'), { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    assert.deepEqual(get(s, 'spec.persistentVolumeClaimRetentionPolicy'), { whenDeleted: 'Retain', whenScaled: 'Retain' });
    const onDelete = applyDefaults({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { updateStrategy: { type: 'OnDelete' } } });
    assert.deepEqual(get(onDelete, 'spec.updateStrategy'), { type: 'OnDelete' });
    const ds = applyDefaults({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: {} });
    assert.deepEqual(get(ds, 'spec.updateStrategy'), { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  it('SetDefaults_Job applies to Jobs, not to a CronJob\'s job template; labels come from the template', () => {
    const tpl = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } };
    const j = applyDefaults({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: tpl } });
    assert.deepEqual([get(j, 'spec.completions'), get(j, 'spec.parallelism'), get(j, 'spec.backoffLimit'), get(j, 'spec.completionMode'), get(j, 'spec.suspend')], [1, 1, 6, 'NonIndexed', false]);
    assert.deepEqual(get(j, 'metadata.labels'), { app: 'x' });
    const parallel = applyDefaults({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 3, template: tpl } });
    assert.equal(get(parallel, 'spec.completions'), undefined);
    const cj = applyDefaults({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tpl } } } });
    assert.deepEqual([get(cj, 'spec.concurrencyPolicy'), get(cj, 'spec.suspend'), get(cj, 'spec.successfulJobsHistoryLimit'), get(cj, 'spec.failedJobsHistoryLimit')], ['Allow', false, 3, 1]);
    assert.equal(get(cj, 'spec.jobTemplate.spec.backoffLimit'), undefined);
    assert.equal(get(cj, 'spec.jobTemplate.spec.template.spec.restartPolicy'), 'Always');
  });

  it('SetDefaults_Service, SetDefaults_NetworkPolicy, SetDefaults_Subject, SetDefaults_Namespace, SetDefaults_Secret', () => {
    const svc = applyDefaults({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] } });
    assert.deepEqual(get(svc, 'spec.ports'), [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }]);
    assert.deepEqual([get(svc, 'spec.sessionAffinity'), get(svc, 'spec.externalTrafficPolicy'), get(svc, 'spec.internalTrafficPolicy'), get(svc, 'spec.allocateLoadBalancerNodePorts')], ['None', 'Cluster', 'Cluster', true]);
    const clusterIp = applyDefaults({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(get(clusterIp, 'spec.externalTrafficPolicy'), undefined);
    const np = (spec: Record<string, unknown>) => get(applyDefaults({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec }), 'spec.policyTypes');
    assert.deepEqual(np({ podSelector: {} }), ['Ingress']);
    assert.deepEqual(np({ podSelector: {}, egress: [{}] }), ['Ingress', 'Egress']);
    assert.deepEqual(np({ podSelector: {}, policyTypes: ['Egress'] }), ['Egress']);
    const rb = applyDefaults({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's' }] });
    assert.deepEqual(get(rb, 'subjects'), [{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 's', apiGroup: '' }]);
    assert.equal(get(rb, 'roleRef.apiGroup'), 'rbac.authorization.k8s.io');
    assert.deepEqual(get(applyDefaults({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }), 'metadata.labels'), { 'kubernetes.io/metadata.name': 'shop' });
    assert.equal(get(applyDefaults({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }), 'type'), 'Opaque');
  });

  it('volumes, probes, env: a volume without a source is an emptyDir, defaultMode 0644, probe timings, HTTPGet path and scheme, fieldRef apiVersion', () => {
    const o = applyDefaults(pod({
      volumes: [{ name: 'e' }, { name: 's', secret: { secretName: 'x' } }, { name: 'h', hostPath: { path: '/x' } }, { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }],
      containers: [{ name: 'a', image: 'x:1', livenessProbe: { httpGet: { port: 8080 } }, env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }],
    }));
    assert.deepEqual(get(o, 'spec.volumes.0'), { name: 'e', emptyDir: {} });
    assert.equal(get(o, 'spec.volumes.1.secret.defaultMode'), 420);
    assert.equal(get(o, 'spec.volumes.2.hostPath.type'), '');
    assert.deepEqual(get(o, 'spec.volumes.3.projected'), { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }], defaultMode: 420 });
    assert.deepEqual(get(o, 'spec.containers.0.livenessProbe'), { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.equal(get(o, 'spec.containers.0.env.0.valueFrom.fieldRef.apiVersion'), 'v1');
  });

  it('kinds without known defaults are left as written', () => {
    const cr = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { endpoints: [{ port: 'web' }] } };
    assert.deepEqual(applyDefaults(cr), cr);
  });
});
