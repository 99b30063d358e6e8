/** Matrix renderers, isolation and exposure on small clusters whose answers follow from the documented semantics. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/model.js';
import { buildCluster } from './cluster.js';
import { exposure, renderExposureTable } from './exposure.js';
import { isolation, renderIsolationTable } from './isolation.js';
import { computeMatrix } from './matrix.js';
import { renderMatrix } from './render.js';

const deploy = (ns: string, name: string, labels: Record<string, string>, ports: Record<string, unknown>[] = []): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name, image: 'x', ports }] } } },
});
const np = (ns: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const svc = (ns: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec });

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  deploy('shop', 'web', { app: 'web' }, [{ containerPort: 8080, name: 'http' }]),
  deploy('shop', 'db', { app: 'db' }, [{ containerPort: 5432, name: 'pg' }]),
  deploy('shop', 'admin', { app: 'admin' }, [{ containerPort: 9000, name: 'http' }]),
  np('shop', 'web-public', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 'http' }] }] }),
  np('shop', 'db-from-web', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] }),
  svc('shop', 'web-lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 'http' }] }),
  svc('shop', 'db-np', { type: 'NodePort', selector: { app: 'db' }, ports: [{ port: 5432 }] }),
  svc('shop', 'admin', { selector: { app: 'admin' }, ports: [{ name: 'web', port: 80, targetPort: 9000 }] }),
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'admin', namespace: 'shop' }, spec: { rules: [{ host: 'a.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'admin', port: { name: 'web' } } } }] } }] } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'shop' }, spec: { rules: [{ backendRefs: [{ name: 'db-np', port: 5432 }] }] } },
];

describe('matrix renderers', () => {
  const m = computeMatrix(buildCluster(objects));
  it('table lists allowed connections np-guard style', () => {
    const t = renderMatrix(m, 'table').split('\n');
    assert.ok(t.includes('shop/web[Deployment] => shop/db[Deployment] : TCP 5432'));
    assert.ok(t.includes('shop/admin[Deployment] => shop/web[Deployment] : No Connections') === false);
    assert.ok(!t.some((l) => l.startsWith('shop/admin[Deployment] => shop/db')));
    assert.ok(!t.some((l) => l.startsWith('shop/db[Deployment] =>'))); // db is egress-isolated with no egress rules
    assert.ok(t.includes('11.0.0.0-255.255.255.255[External] => shop/web[Deployment] : TCP 8080'));
    assert.ok(!t.some((l) => l.startsWith('10.0.0.0-10.255.255.255[External] => shop/web')));
  });
  it('json and dot carry the same connections', () => {
    const j = JSON.parse(renderMatrix(m, 'json')) as { nodes: unknown[]; connections: { src: string; dst: string; conn: string }[] };
    const t = renderMatrix(m, 'table').split('\n');
    assert.equal(j.connections.length, t.length);
    const dot = renderMatrix(m, 'dot');
    assert.match(dot, /^digraph netpol \{/);
    assert.match(dot, /"shop\/web\[Deployment\]" -> "shop\/db\[Deployment\]" \[label="TCP 5432"\]/);
    assert.equal((dot.match(/ -> /g) ?? []).length, t.length);
  });
});

describe('isolation', () => {
  it('reports which pods no policy selects, per direction', () => {
    const r = isolation(buildCluster(objects));
    const by = Object.fromEntries(r.pods.map((p) => [p.pod, p]));
    assert.equal(by['shop/admin'].ingressIsolated, false);
    assert.equal(by['shop/admin'].egressIsolated, false);
    assert.equal(by['shop/web'].ingressIsolated, true);
    assert.equal(by['shop/web'].egressIsolated, false); // no policyTypes, no egress rules: Ingress only
    assert.deepEqual(by['shop/db'].egressPolicies, ['shop/db-from-web']);
    assert.deepEqual(r.unisolated, ['shop/admin']);
    assert.match(renderIsolationTable(r), /1 neither/);
  });

  it('a pod isolated only by a policy that allows everything in that direction is said to be open to all', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'ops', labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const allowAllEgress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'egress-anywhere', namespace: 'ops' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{}] },
    };
    const r = isolation(buildCluster([pod, allowAllEgress]));
    const [api] = r.pods;
    assert.equal(api.egressIsolated, true, 'isolated in the API\'s words');
    assert.deepEqual(api.egressAllowAll, ['ops/egress-anywhere']);
    assert.deepEqual(api.ingressAllowAll, [], 'from: [podSelector: {}] is the namespace, not everything');
    const text = renderIsolationTable(r);
    assert.match(text, /ingress: isolated \(ops\/egress-anywhere\) {2}egress: all allowed \(ops\/egress-anywhere allows all egress\)/);
    assert.match(text, /1 selected by a policy that allows all traffic in a direction/);
  });
});

describe('exposure', () => {
  const r = exposure(buildCluster(objects));
  it('finds pods the internet can reach at policy level', () => {
    const byPod = Object.fromEntries(r.internet.map((e) => [e.pod, e]));
    assert.equal(byPod['shop/admin'].reason, 'not-isolated');
    assert.equal(byPod['shop/web'].reason, 'policy');
    assert.equal(byPod['shop/web'].connections, 'TCP 8080');
    assert.deepEqual(byPod['shop/web'].allowedBy, ['shop/web-public']);
    assert.equal(byPod['shop/db'], undefined);
  });
  it('follows Services, Ingresses and HTTPRoutes to pods and applies policies', () => {
    const key = (e: { via: string; pod: string; port: number }) => `${e.via} -> ${e.pod}:${e.port}`;
    const routes = Object.fromEntries(r.routes.map((e) => [key(e), e]));
    assert.equal(routes['Service/LoadBalancer shop/web-lb -> shop/web:8080'].admitted, 'yes'); // named targetPort resolved
    assert.equal(routes['Service/NodePort shop/db-np -> shop/db:5432'].admitted, 'no');
    assert.equal(routes['Ingress shop/admin -> shop/admin:9000'].admitted, 'yes'); // not isolated
    assert.equal(routes['HTTPRoute shop/web -> shop/db:5432'].admitted, 'depends'); // only from web pods
    assert.equal(r.routes.length, 4);
    assert.match(renderExposureTable(r), /blocked by policy/);
  });
});
