/**
 * GET /api/v1/overview: the overview page's sections in one answer, equal to what /clusters, /trends,
 * /compliance and /findings/counts answer one by one, and current after every upload, exception decision and
 * retention (the server keeps the answer until the store's cluster generations move).
 * On SQLite and PostgreSQL.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eachStore } from '../sources/store/test-support/stores.js';
import { sendUpload } from '../sources/upload/client.js';
import { uploadLines } from '../sources/upload/format.js';
import { finding, pod, uploadText } from '../sources/upload/test-support/uploads.js';
import type { Finding } from '../core/model.js';
import { deleteExpired } from '../sources/store/retention.js';
import { request, startTestServer } from './test-support/server.js';

const NOW = new Date('2026-06-10T12:00:00Z');

eachStore('overview in one answer', (open) => {
  it('answers what the separate endpoints answer, after uploads and exception decisions', async () => {
    const store = await open();
    const s = await startTestServer(store, () => NOW);
    try {
      const get = async (path: string) => {
        const r = await request(`${s.url}/api/v1/${path}`, { token: s.tokens.viewer });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
      };
      const separately = async () => ({
        clusters: (await get('clusters')).items,
        trends: await get('trends'),
        compliance: (await get('compliance')).items,
        topRules: (await get('findings/counts?by=ruleId&status=open&top=10')).items,
        worstNamespaces: (await get('findings/counts?by=cluster,namespace&status=open&top=10')).items,
      });
      // the worst workloads, counted here from every finding the test uploaded and its state now
      const open = new Map<string, { cluster: string; namespace: string; kind: string; name: string; open: Record<string, number> }>();
      const worst = async () => {
        const rows = await store.db.selectFrom('findings').select(['cluster', 'namespace', 'kind', 'name', 'severity']).where('status', '=', 'open').execute();
        open.clear();
        for (const r of rows) {
          const k = [r.cluster, r.namespace, r.kind, r.name].join('/');
          const w = open.get(k) ?? open.set(k, { cluster: r.cluster, namespace: r.namespace, kind: r.kind, name: r.name, open: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } }).get(k)!;
          w.open[r.severity]++;
        }
        const rank = (w: { open: Record<string, number> }) => ['critical', 'high', 'medium', 'low', 'info'].map((x) => w.open[x]);
        return [...open.values()].sort((a, b) => rank(b).reduce((d, x, i) => d || x - rank(a)[i], 0) || [a.cluster, a.namespace, a.kind, a.name].join('/').localeCompare([b.cluster, b.namespace, b.kind, b.name].join('/'))).slice(0, 10);
      };
      const same = async (why: string) => {
        const o = await get('overview');
        const { worstWorkloads, ...rest } = o;
        assert.deepEqual(rest, await separately(), why);
        assert.deepEqual(worstWorkloads, await worst(), `${why}: worst workloads`);
      };
      const up = (cluster: string, at: string, list: Finding[]) => sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => [uploadText({ cluster, scannedAt: at, findings: list })] });

      await same('an empty store');
      const shop = [finding('run-as-root', pod('web', 'shop')), finding('run-as-root', pod('api', 'shop'), 'critical'), finding('no-limits', pod('db', 'shop'), 'medium'), finding('no-limits', pod('x', 'ops'), 'low')];
      await up('prod', '2026-06-08T10:00:00Z', shop);
      await up('dev', '2026-06-09T10:00:00Z', shop.slice(0, 2));
      await sendUpload({ url: s.url, token: s.tokens.uploader, attempts: 1, lines: () => uploadLines({ cluster: 'prod', source: 'kubeguard', scope: 'cluster', scannedAt: '2026-06-09T11:00:00Z' }, [], shop.slice(1), [], [], [{ complianceScore: { framework: 'nsa', version: 'v1', score: 75, pass: 3, fail: 1, counts: { PASS: 3, FAIL: 1 } } }]) });
      const first = await get('overview');
      await same('two clusters, a fix, compliance');
      assert.deepEqual((first.clusters as { name: string; open: Record<string, number>; fixed: number }[]).map((c) => [c.name, c.open.critical, c.open.high, c.fixed]), [['dev', 1, 1, 0], ['prod', 1, 0, 1]]);
      assert.deepEqual((first.topRules as { group: { ruleId: string }; count: number }[]).map((r) => [r.group.ruleId, r.count]), [['run-as-root', 3], ['no-limits', 2]]);
      assert.equal((first.compliance as { score: number }[])[0].score, 75);
      assert.deepEqual((first.worstWorkloads as { cluster: string; name: string }[]).slice(0, 3).map((w) => `${w.cluster}/${w.name}`), ['dev/api', 'prod/api', 'dev/web'], 'critical first, then high');

      // an exception approved: its findings leave the open counts at once
      const ex = await request(`${s.url}/api/v1/exceptions`, { method: 'POST', token: s.tokens.viewer, body: { rules: ['no-limits'], clusters: ['prod'], reason: 'batch jobs size themselves', expires: '2999-01-01' } });
      assert.equal(ex.status, 201, JSON.stringify(ex.body));
      assert.equal((await request(`${s.url}/api/v1/exceptions/${ex.body.id}/approve`, { method: 'POST', token: s.tokens.approver })).status, 200);
      const excepted = await get('overview');
      await same('after an approval');
      assert.deepEqual((excepted.topRules as { group: { ruleId: string } }[]).map((r) => r.group.ruleId), ['run-as-root']);
      assert.equal((excepted.clusters as { name: string; excepted: number }[]).find((c) => c.name === 'prod')?.excepted, 2);
      // revoked: back
      assert.equal((await request(`${s.url}/api/v1/exceptions/${ex.body.id}/revoke`, { method: 'POST', token: s.tokens.approver })).status, 200);
      await same('after a revocation');
      assert.deepEqual(((await get('overview')).topRules as { group: { ruleId: string } }[]).map((r) => r.group.ruleId), ['run-as-root', 'no-limits']);
      // the next upload fixes everything in dev
      await up('dev', '2026-06-10T10:00:00Z', []);
      await same('after dev fixed everything');
      assert.equal(((await get('overview')).clusters as { name: string; fixed: number }[]).find((c) => c.name === 'dev')?.fixed, 2);
      // retention deletes the fixed findings and the oldest day's counts
      await deleteExpired(store, { fixedFindings: NOW.getTime(), uploads: 0, events: 0, audit: 0, incidents: 0, trendDay: '2026-06-09' });
      await same('after retention');
      assert.equal(((await get('overview')).clusters as { name: string; fixed: number }[]).find((c) => c.name === 'dev')?.fixed, 0);
      // more workloads than each cluster keeps (10): the top 10 over all clusters are still exact
      const many = Array.from({ length: 14 }, (_, i) => finding('no-limits', pod(`w${i}`, 'batch'), i % 3 ? 'low' : 'medium'));
      await up('big', '2026-06-10T11:00:00Z', [...many, finding('run-as-root', pod('w13', 'batch'), 'info')]);
      await up('big2', '2026-06-10T11:00:00Z', many.slice(0, 12));
      await same('more than ten workloads per cluster');
      assert.equal((await request(`${s.url}/api/v1/overview`)).status, 401);
      assert.equal((await request(`${s.url}/api/v1/overview`, { token: s.tokens.uploader })).status, 403);
    } finally {
      await s.close();
    }
  });
});
