/**
 * A workload's context on the server: the RBAC power of its service account (uploaded by a whole-cluster scan,
 * computed by the RBAC analysis as `kubeguard rbac blast-radius` does), and the cluster's runtime baseline (PUT as
 * the file `runtime baseline learn` writes) — one workload's entry, and the connections it saw drawn as the
 * network view's observed edges. "Nothing recorded" is null, never an empty answer. On SQLite and PostgreSQL.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CRITICAL_FIXED, shopScene } from '../analysis/paths/test-support/scenes.js';
import { BASELINE_API_VERSION, type Baseline } from '../analysis/runtime/baseline.js';
import { formatBaseline } from '../sources/events/baseline-file.js';
import { eachStore } from '../sources/store/test-support/stores.js';
import { sendUpload } from '../sources/upload/client.js';
import { uploadLines } from '../sources/upload/format.js';
import { inventoryRecords } from '../usecases/history/inventory.js';
import { request, startTestServer } from './test-support/server.js';

const container = (c: Partial<Baseline['workloads'][number]['containers'][string]>) => ({ processes: [], egress: [], ingress: [], dns: [], http: [], ...c });

/** What `runtime baseline learn` would write after watching the shop scene (other/client reaching db: not allowed by policy). */
const baseline: Baseline = {
  apiVersion: BASELINE_API_VERSION,
  kind: 'RuntimeBaseline',
  locked: true,
  lockedAt: '2026-06-02T00:00:00Z',
  learned: { from: '2026-06-01T00:00:00Z', until: '2026-06-01T23:00:00Z', events: 1234 },
  workloads: [
    { namespace: 'shop', workload: 'web', kind: 'Deployment', containers: { web: container({ processes: ['/usr/bin/node server.js'], egress: ['shop/api:9000/TCP', 'api.stripe.com:443/TCP'], dns: ['api.stripe.com'] }) } },
    { namespace: 'shop', workload: 'api', containers: { api: container({ ingress: ['shop/web:9000/TCP'], egress: ['shop/db:5432/TCP'] }) } },
    { namespace: 'shop', workload: 'db', locked: false, containers: { db: container({ ingress: ['shop/api:5432/TCP', 'other/client:5432/TCP'] }) } },
  ],
};

eachStore('workload context: RBAC power and runtime baseline', (open) => {
  it('answers a workload’s service-account power and its baseline, and draws observed connections', async () => {
    const store = await open();
    const s = await startTestServer(store);
    try {
      const get = async (path: string) => request(`${s.url}/api/v1/${path}`, { token: s.tokens.viewer });
      const access = (kind: string, ns: string, name: string) => get(`workloads/access?cluster=prod&namespace=${ns}&kind=${kind}&name=${name}`);
      assert.deepEqual((await access('Deployment', 'shop', 'web')).body, { cluster: 'prod', scannedAt: null, access: null }, 'nothing recorded yet');

      await sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster: 'prod', source: 'kubeguard', scope: 'cluster', scannedAt: '2026-06-02T10:00:00Z' }, [], [], [], [], [...inventoryRecords(shopScene(), new Map([['shop/web:1.0', CRITICAL_FIXED]]))]) });
      // web's account is bound to cluster-admin (ClusterRoleBinding web-admin) and its token is mounted
      const web = (await access('Deployment', 'shop', 'web')).body as { access: { serviceAccount: unknown; tokenMounted: boolean; abilities: { scope: string; ability: string; via: string[] }[]; escalation: { to: string; severity: string }[]; severity: string } };
      assert.deepEqual(web.access.serviceAccount, { namespace: 'shop', name: 'web', declared: false });
      assert.equal(web.access.tokenMounted, true);
      assert.deepEqual(web.access.abilities.find((a) => a.ability === 'cluster-admin'), { scope: 'cluster-wide', ability: 'cluster-admin', words: 'do anything (every verb on every resource)', via: ['ClusterRoleBinding/web-admin → ClusterRole/cluster-admin'] });
      assert.equal(web.access.escalation.find((p) => p.to === 'cluster-admin')?.severity, 'critical');
      assert.equal(web.access.severity, 'critical');
      // api runs as the namespace's default account: bootstrap RBAC gives it nothing dangerous
      const api = (await access('Deployment', 'shop', 'api')).body as { access: { serviceAccount: { name: string }; abilities: unknown[]; escalation: unknown[]; severity: string } };
      assert.deepEqual([api.access.serviceAccount.name, api.access.abilities, api.access.escalation, api.access.severity], ['default', [], [], 'info']);
      assert.equal((await access('Deployment', 'shop', 'nothing')).body.access, null);

      // no baseline yet: null, and no observed connection
      assert.deepEqual((await get('baselines/workload?cluster=prod&namespace=shop&workload=web')).body, { cluster: 'prod', clusterBaseline: null, baseline: null });
      let net = (await get('network?cluster=prod&namespace=shop')).body;
      assert.deepEqual([net.observed, net.baseline], [[], null]);

      const put = (body: string, type = 'application/yaml', token = s.tokens.uploader, cluster = 'prod') => fetch(`${s.url}/api/v1/baselines?cluster=${cluster}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
      const r = await put(formatBaseline(baseline));
      assert.equal(r.status, 200);
      const stored = (await r.json()) as { uploadedAt: string };
      assert.match(stored.uploadedAt, /^\d{4}-\d\d-\d\dT/);
      assert.deepEqual(stored, { cluster: 'prod', uploadedAt: stored.uploadedAt, locked: true, learned: { ...baseline.learned, lockedAt: '2026-06-02T00:00:00Z' }, workloads: 3 });
      const entry = (await get('baselines/workload?cluster=prod&namespace=shop&workload=db')).body as { baseline: { locked: boolean; containers: Record<string, { ingress: string[] }> } };
      assert.equal(entry.baseline.locked, false, 'the workload’s own lock decides');
      assert.deepEqual(entry.baseline.containers.db.ingress, ['shop/api:5432/TCP', 'other/client:5432/TCP']);
      assert.equal((await get('baselines/workload?cluster=prod&namespace=shop&workload=cart')).body.baseline, null);

      net = (await get('network?cluster=prod&namespace=shop')).body;
      const observed = (net.observed as { from: string; to: string; conn: string }[]).map((e) => `${e.from}>${e.to}:${e.conn}`).sort();
      assert.deepEqual(observed, [
        'Deployment/shop/api>Deployment/shop/db:TCP 5432',
        'Deployment/shop/web>Deployment/shop/api:TCP 9000',
        'Deployment/shop/web>peer:api.stripe.com:TCP 443',
        'namespace:other>Deployment/shop/db:TCP 5432',
      ].sort());
      assert.equal((net.nodes as { id: string; type: string }[]).find((n) => n.id === 'peer:api.stripe.com')?.type, 'peer');
      assert.equal((net.baseline as { workloads: number }).workloads, 3);

      // JSON works too and replaces the previous baseline
      assert.equal((await put(JSON.stringify({ ...baseline, workloads: baseline.workloads.slice(0, 1) }), 'application/json')).status, 200);
      assert.equal((await get('baselines/workload?cluster=prod&namespace=shop&workload=db')).body.baseline, null);
      // refused: not a baseline, not YAML, a viewer; the values are not echoed
      const bad = await put('apiVersion: v1\nkind: Secret\nmetadata: {name: hunter2}\n');
      assert.equal(bad.status, 400);
      assert.ok(!(await bad.text()).includes('hunter2'));
      assert.equal((await put('a: [b')).status, 400);
      assert.equal((await put(formatBaseline(baseline), 'application/yaml', s.tokens.viewer)).status, 403);
      assert.equal((await put(formatBaseline(baseline), 'application/yaml', s.tokens.uploader, '-bad')).status, 400);
    } finally {
      await s.close();
    }
  });
});
