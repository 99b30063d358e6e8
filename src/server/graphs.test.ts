/**
 * The dashboard's graphs end to end below the browser: a whole-cluster upload carries the network (NetworkPolicy
 * classes and edges, exposure) and attack paths built by the real analyses; the API answers a namespace's graph and
 * the paths with their cut; a later upload replaces them; a file scan's upload (scope resources) does not. On
 * SQLite and PostgreSQL.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/model.js';
import { CRITICAL_FIXED, shopScene } from '../analysis/paths/test-support/scenes.js';
import { eachStore } from '../sources/store/test-support/stores.js';
import { sendUpload } from '../sources/upload/client.js';
import type { UploadScope } from '../sources/upload/format.js';
import { uploadLines } from '../sources/upload/format.js';
import { inventoryRecords } from '../usecases/history/inventory.js';
import { PROPOSAL_BUDGET, proposePolicies } from '../usecases/history/network-proposal.js';
import { BusyError } from '../usecases/errors.js';
import { request, startTestServer } from './test-support/server.js';

const scene = shopScene;

interface Net {
  nodes: { id: string; type: string }[];
  edges: { from: string; to: string; conn: string }[];
  exposures: { workload: string; via: string }[];
  namespaces: { namespace: string; workloads: number }[];
}

eachStore('network and attack-path graphs', (open) => {
  it('stores a whole-cluster scan’s network and paths and answers a namespace’s graph', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const up = (objects: KubeObject[], at: string, scope: UploadScope = 'cluster') =>
        sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster: 'prod', source: 'kubeguard', scope, scannedAt: at }, [], [], [], [], [...inventoryRecords(objects, new Map([['shop/web:1.0', CRITICAL_FIXED]]))]) });
      const get = async (path: string) => request(`${s.url}/api/v1/${path}`, { token: s.tokens.viewer });
      assert.equal((await get('network?cluster=prod')).status, 404, 'nothing uploaded yet');
      await up(scene(), '2026-06-01T10:00:00Z', 'resources');
      assert.equal((await get('network?cluster=prod')).status, 404, 'a scan of some files is not the cluster’s network');

      await up(scene(), '2026-06-02T10:00:00Z');
      const r = await get('network?cluster=prod&namespace=shop');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const net = r.body as unknown as Net;
      assert.deepEqual(net.namespaces, [{ namespace: 'other', workloads: 1 }, { namespace: 'shop', workloads: 3 }]);
      const edge = (from: string, to: string) => net.edges.find((e) => e.from === from && e.to === to);
      const [web, api, db] = ['web', 'api', 'db'].map((n) => `Deployment/shop/${n}`);
      assert.ok(edge(web, api), 'web → api: allowed by api-from-web');
      assert.match(edge(api, db)?.conn ?? '', /5432/, 'api → db on 5432 only');
      assert.equal(edge(web, db), undefined, 'web → db: only api may');
      assert.ok(edge('namespace:other', web), 'web is selected by no policy: anyone may connect');
      assert.equal(edge('namespace:other', api), undefined, 'api admits web only');
      assert.ok(edge(api, 'namespace:other'), 'egress is not restricted');
      assert.ok(edge('internet', web), 'the LoadBalancer exposes web');
      assert.ok(net.exposures.some((x) => x.workload === web && /LoadBalancer/.test(x.via)));
      assert.deepEqual(net.nodes.find((n) => n.id === 'internet')?.type, 'internet');

      // what a proposed policy would change, on the network the scan uploaded (NetworkPolicy semantics: policies
      // add up; a pod selected for ingress by any policy admits only what some policy allows)
      const propose = (policies: string, extra: Record<string, string> = {}) => request(`${s.url}/api/v1/network/proposal`, { method: 'POST', token: s.tokens.viewer, body: { cluster: 'prod', policies, ...extra } });
      const pairs = (list: unknown) => (list as { from: { id: string }; to: { id: string }; connections: string }[]).map((c) => `${c.from.id}>${c.to.id}:${c.connections}`);
      const denyAll = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n';
      let q = await propose(denyAll, { namespace: 'shop' });
      assert.equal(q.status, 200, JSON.stringify(q.body));
      assert.deepEqual(q.body.policies, [{ namespace: 'shop', name: 'deny-all', replaces: false }], 'no namespace: the one asked for');
      // web was selected by no policy; api and db already admit only web and api
      assert.deepEqual(pairs(q.body.lost).filter((x) => !x.startsWith('external:')), [`Deployment/other/client>${web}:All Connections`, `${api}>${web}:All Connections`, `${db}>${web}:All Connections`]);
      assert.ok(pairs(q.body.lost).some((x) => x.startsWith('external:') && x.includes(`>${web}:`)), 'outside addresses lose web too');
      assert.deepEqual(q.body.gained, []);
      // the same name replaces the cluster's policy: db admits web on 5432 instead of api
      const dbFromWeb = JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db-from-api', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }] } });
      q = await propose(dbFromWeb);
      assert.equal(q.status, 200, JSON.stringify(q.body));
      assert.deepEqual(q.body.policies, [{ namespace: 'shop', name: 'db-from-api', replaces: true }]);
      assert.deepEqual(pairs(q.body.gained), [`${web}>${db}:TCP 5432`]);
      assert.deepEqual(pairs(q.body.lost), [`${api}>${db}:TCP 5432`]);
      assert.deepEqual(q.body.counts, { gained: 1, lost: 1 });
      // refused: not a NetworkPolicy, not YAML, nothing; the body is not echoed
      const refused = [await propose('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: secret-name-x}\n'), await propose('a: [b'), await propose('')];
      assert.deepEqual(refused.map((x) => x.status), [400, 400, 400]);
      assert.ok(!JSON.stringify(refused[0].body).includes('secret-name-x'));
      assert.equal((await request(`${s.url}/api/v1/network/proposal`, { method: 'POST', body: { policies: denyAll } })).status, 401);
      // evaluated on worker threads, two at a time: a third while two run is asked to come back; the server answers meanwhile
      const running = [proposePolicies(store, { cluster: 'prod', policies: denyAll }), proposePolicies(store, { cluster: 'prod', policies: dbFromWeb })];
      await assert.rejects(proposePolicies(store, { cluster: 'prod', policies: denyAll }), (e) => e instanceof BusyError && e.retryAfterSeconds > 0);
      assert.equal((await get('network/clusters')).status, 200, 'answered while two evaluations run');
      const [both, replaced] = await Promise.all(running);
      assert.deepEqual(both.policies, [{ namespace: 'default', name: 'deny-all', replaces: false }]);
      assert.deepEqual(pairs(replaced.gained), [`${web}>${db}:TCP 5432`], 'the same answer as on its own');
      assert.equal((await proposePolicies(store, { cluster: 'prod', policies: denyAll })).cluster, 'prod', 'free again');
      // over its time budget: the worker is ended, 422 without the proposal's text
      const budget = { ...PROPOSAL_BUDGET };
      PROPOSAL_BUDGET.timeoutMs = 1;
      try {
        const over = await propose(denyAll.replace('deny-all', 'secret-name-y'));
        assert.equal(over.status, 422, JSON.stringify(over.body));
        assert.match(String(over.body.message), /longer than/);
        assert.ok(!JSON.stringify(over.body).includes('secret-name-y'));
      } finally {
        Object.assign(PROPOSAL_BUDGET, budget);
      }

      const p = await get('attack-paths?cluster=prod');
      assert.equal(p.status, 200, JSON.stringify(p.body));
      const paths = p.body.paths as { from: string; to: string; hops: { from: string; to: string; edge: string }[]; cuts: { hop: number; change: string }[] }[];
      const toAdmin = paths.find((x) => x.from === 'internet' && x.to === 'cluster-admin');
      assert.ok(toAdmin, JSON.stringify(paths));
      assert.deepEqual(toAdmin.hops.map((h) => h.edge), ['exposure', 'exploit', 'token-theft', 'rbac']);
      assert.ok(toAdmin.cuts.length >= 1 && toAdmin.cuts.every((c) => c.hop >= 0 && c.hop < toAdmin.hops.length), 'the step the cut removes is named');
      assert.ok((p.body.cut as { change: string }[]).some((c) => c.change === toAdmin.cuts[0].change));
      assert.equal((p.body.nodes as Record<string, { type: string }>)['sa:shop/web'].type, 'serviceaccount');

      // the next whole-cluster scan replaces it: db deleted, the binding gone
      await up(scene().filter((o) => o.metadata?.name !== 'db' && o.metadata?.name !== 'web-admin'), '2026-06-03T10:00:00Z');
      const again = (await get('network?cluster=prod&namespace=shop')).body as unknown as Net;
      assert.equal(again.nodes.some((n) => n.id === db), false);
      assert.deepEqual(((await get('attack-paths?cluster=prod')).body.paths as { to: string }[]).filter((x) => x.to === 'cluster-admin'), []);

      assert.equal((await get('network?cluster=prod&namespace=nowhere')).status, 404);
      assert.equal((await request(`${s.url}/api/v1/network/proposal`, { method: 'POST', token: s.tokens.viewer, body: { cluster: 'staging', policies: denyAll } })).status, 404);
      assert.equal((await get('network?colour=red')).status, 400);
      assert.equal((await get('network')).body.cluster, 'prod', 'the first cluster with a network');
      assert.deepEqual((await get('network/clusters')).body, { items: [{ cluster: 'prod', scannedAt: '2026-06-03T10:00:00.000Z' }] });
      assert.equal((await request(`${s.url}/api/v1/attack-paths?cluster=prod`)).status, 401);

      // an inventory from a kubeguard before the network model: its graph shows, a proposal says why it cannot answer
      const old = [...inventoryRecords(scene())]
        .filter((r) => !('netPolicy' in r) && !('netNamespace' in r))
        .map((r) => ('netClass' in r ? { netClass: { ...r.netClass, members: r.netClass.members.map((m) => ({ kind: m.kind, name: m.name })) } } : r));
      await sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster: 'old', source: 'kubeguard', scope: 'cluster', scannedAt: '2026-06-03T10:00:00Z' }, [], [], [], [], old) });
      assert.equal((await get('network?cluster=old&namespace=shop')).status, 200);
      const stale = await request(`${s.url}/api/v1/network/proposal`, { method: 'POST', token: s.tokens.viewer, body: { cluster: 'old', policies: denyAll } });
      assert.equal(stale.status, 404);
      assert.match(String(stale.body.message), /scan it again/);
    } finally {
      await s.close();
    }
  });
});
