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
      assert.equal((await get('network?colour=red')).status, 400);
      assert.equal((await get('network')).body.cluster, 'prod', 'the first cluster with a network');
      assert.deepEqual((await get('network/clusters')).body, { items: [{ cluster: 'prod', scannedAt: '2026-06-03T10:00:00.000Z' }] });
      assert.equal((await request(`${s.url}/api/v1/attack-paths?cluster=prod`)).status, 401);
    } finally {
      await s.close();
    }
  });
});
