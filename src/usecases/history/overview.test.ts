import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eachStore } from '../../sources/store/test-support/stores.js';
import { finding, pod, uploadBody } from '../../sources/upload/test-support/uploads.js';
import { ingestUpload } from './ingest.js';
import { clusters, counts, timeToFix, trends } from './overview.js';
import { countFindings, flowFromFindings, flowPerDay } from '../../sources/store/findings.js';
import type { Principal } from '../access/tokens.js';
import { catalogResolver } from '../exceptions/rules.js';
import { decideException, expireExceptions, requestException } from '../exceptions/workflow.js';

const now = new Date('2026-06-10T12:00:00Z');
const day = (d: number) => `2026-06-0${d}T10:00:00.000Z`;
const a = finding('pss-privileged', pod('a'), 'critical');
const b = finding('workload-limits', pod('b', 'web'), 'low', '/x');
const c = finding('workload-limits', pod('c', 'web'), 'low', '/x');

eachStore('overview', (open) => {
  it('trends carry a cluster’s count forward between its scans, per filter; new and fixed per day; time to fix', async () => {
    const store = await open();
    await ingestUpload(store, uploadBody({ scannedAt: day(1), findings: [a, b] }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'staging', scannedAt: day(2), findings: [a] }), { now });
    await ingestUpload(store, uploadBody({ scannedAt: day(3), findings: [a, c] }), { now }); // b fixed, c new
    await ingestUpload(store, uploadBody({ scannedAt: day(5), findings: [a, b, c] }), { now }); // b reopened
    const t = await trends(store, { from: day(1), to: day(6) }, now);
    assert.deepEqual(t.open, [
      { day: '2026-06-01', open: 2 },
      { day: '2026-06-02', open: 3 },
      { day: '2026-06-03', open: 3 },
      { day: '2026-06-04', open: 3 },
      { day: '2026-06-05', open: 4 },
      { day: '2026-06-06', open: 4 },
    ]);
    assert.deepEqual(t.flow, [
      { day: '2026-06-01', new: 2, fixed: 0 },
      { day: '2026-06-02', new: 1, fixed: 0 },
      { day: '2026-06-03', new: 1, fixed: 0 },
    ], 'b was fixed on day 3 but is open again: its fixed time is gone, first seen stays day 1');
    const web = await trends(store, { from: day(1), to: day(6), namespace: 'web', cluster: 'prod' }, now);
    assert.deepEqual(web.open.map((p) => p.open), [1, 1, 1, 1, 2, 2]);
    const critical = await trends(store, { from: day(3), to: day(4), severity: 'critical' }, now);
    assert.deepEqual(critical.open.map((p) => p.open), [2, 2], 'staging counted from its day-2 scan');

    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-07T10:00:00.000Z', findings: [a] }), { now });
    const ttf = await timeToFix(store, { from: day(1), to: '2026-06-08T00:00:00.000Z', cluster: 'prod' }, now);
    // b: first seen day 1, fixed day 7 (6 days); c: day 3 → day 7 (4 days)
    assert.deepEqual(ttf.items, [{ severity: 'low', fixed: 2, meanHours: 120 }]);

    // two scans of one cluster in one day are one day of the flow; a range starting mid-day counts from its start
    await ingestUpload(store, uploadBody({ cluster: 'qa', scannedAt: '2026-06-07T08:00:00.000Z', findings: [a] }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'qa', scannedAt: '2026-06-07T20:00:00.000Z', findings: [b] }), { now }); // b new, a fixed
    const qa = (from: string) => trends(store, { from, to: '2026-06-08T00:00:00.000Z', cluster: 'qa' }, now);
    assert.deepEqual((await qa('2026-06-07T00:00:00.000Z')).flow, [{ day: '2026-06-07', new: 2, fixed: 1 }]);
    assert.deepEqual((await qa('2026-06-07T12:00:00.000Z')).flow, [{ day: '2026-06-07', new: 1, fixed: 1 }]);

    // another tool's findings, then ours on the same problem: the import's are deleted, and the kept counts follow
    const kyverno = finding('pss-privileged', pod('k', 'web'), 'critical', '/spec');
    await ingestUpload(store, uploadBody({ cluster: 'qa', source: 'kyverno', scannedAt: '2026-06-08T08:00:00.000Z', findings: [kyverno] }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'qa', scannedAt: '2026-06-09T08:00:00.000Z', findings: [b, { ...kyverno, path: '/spec/containers/0/securityContext' }] }), { now });
    for (const f of [{}, { clusters: ['prod'] }, { clusters: ['qa', 'staging'] }]) {
      const [from, to] = [Date.parse('2026-05-01T00:00:00Z'), Date.parse('2026-07-01T00:00:00Z')];
      assert.deepEqual(await flowPerDay(store, f, from, to), await flowFromFindings(store, f, from, to), JSON.stringify(f));
    }
    assert.deepEqual((await trends(store, { from: '2026-06-08T00:00:00.000Z', to: '2026-06-10T00:00:00.000Z', cluster: 'qa' }, now)).flow, [{ day: '2026-06-09', new: 1, fixed: 0 }], "kyverno's finding of day 8 is ours since day 9");
  });

  it('clusters and counts', async () => {
    const store = await open();
    await ingestUpload(store, uploadBody({ scannedAt: day(1), findings: [a, b, c] }), { now });
    await ingestUpload(store, uploadBody({ scannedAt: day(2), findings: [a, b] }), { now });
    const [prod] = await clusters(store);
    assert.deepEqual(prod, { name: 'prod', createdAt: now.toISOString(), lastScans: { kubeguard: day(2) }, open: { info: 0, low: 1, medium: 0, high: 0, critical: 1 }, excepted: 0, fixed: 1 });
    const byRule = await counts(store, { by: 'ruleId,status' });
    assert.deepEqual(byRule.items, [
      { group: { ruleId: 'pss-privileged', status: 'open' }, count: 1 },
      { group: { ruleId: 'workload-limits', status: 'fixed' }, count: 1 },
      { group: { ruleId: 'workload-limits', status: 'open' }, count: 1 },
    ], 'largest first, then by group');
    await assert.rejects(counts(store, { by: 'colour' }), /by must be/);
  });

  it('open counts come from the latest counted day and follow exception decisions; a cluster never counted is counted from its findings', async () => {
    const store = await open();
    const dev: Principal = { id: 'token:1', name: 'dev', role: 'viewer' };
    const lead: Principal = { id: 'token:2', name: 'lead', role: 'approver' };
    await ingestUpload(store, uploadBody({ scannedAt: day(1), findings: [a, b, c] }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'staging', scannedAt: day(2), findings: [a, c] }), { now });
    const direct = async () => {
      const rows = await countFindings(store, { statuses: ['open'] }, ['cluster', 'namespace', 'rule_id', 'severity']);
      const by = (key: (g: Record<string, string>) => string) => {
        const m = new Map<string, number>();
        for (const r of rows) m.set(key(r.group), (m.get(key(r.group)) ?? 0) + r.count);
        return Object.fromEntries([...m].sort());
      };
      return { rules: by((g) => g.rule_id), clusterSeverity: by((g) => `${g.cluster}/${g.severity}`), namespaces: by((g) => `${g.cluster}/${g.namespace}`) };
    };
    const viaOverview = async () => {
      const rules = Object.fromEntries((await counts(store, { by: 'ruleId', status: 'open' })).items.map((i) => [i.group.ruleId, i.count]).sort());
      const clusterSeverity: Record<string, number> = {};
      for (const cl of await clusters(store)) for (const [sev, n] of Object.entries(cl.open)) if (n) clusterSeverity[`${cl.name}/${sev}`] = n;
      const namespaces = Object.fromEntries((await counts(store, { by: 'cluster,namespace', status: 'open' })).items.map((i) => [`${i.group.cluster}/${i.group.namespace}`, i.count]).sort());
      return { rules, clusterSeverity: Object.fromEntries(Object.entries(clusterSeverity).sort()), namespaces };
    };
    assert.deepEqual(await viaOverview(), await direct());
    assert.deepEqual((await viaOverview()).rules, { 'pss-privileged': 2, 'workload-limits': 3 });

    const ex = await requestException(store, dev, { rules: ['workload-limits'], clusters: ['prod'], reason: 'batch jobs', expires: '2026-06-20' }, now, catalogResolver);
    await decideException(store, lead, ex.id, 'approve', undefined, now);
    assert.deepEqual((await viaOverview()).rules, { 'pss-privileged': 2, 'workload-limits': 1 }, 'approval counted at once');
    assert.deepEqual(await viaOverview(), await direct());
    assert.equal((await clusters(store)).find((x) => x.name === 'prod')!.excepted, 2);
    await expireExceptions(store, new Date('2026-06-21T12:00:00Z'));
    assert.deepEqual((await viaOverview()).rules, { 'pss-privileged': 2, 'workload-limits': 3 }, 'expiry counted at once');

    // a cluster whose counted days are gone (retention) is counted from its findings
    await store.db.deleteFrom('daily_counts').where('cluster', '=', 'staging').execute();
    assert.deepEqual(await viaOverview(), await direct());
  });
});
