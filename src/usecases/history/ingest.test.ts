import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eachStore } from '../../sources/store/test-support/stores.js';
import { finding, pod, uploadBody, uploadText } from '../../sources/upload/test-support/uploads.js';
import type { FindingListRow, FindingOrder, PageKey } from '../../sources/store/findings.js';
import { FINDING_ORDERS, listFindings, pageKeyOf } from '../../sources/store/findings.js';
import type { Store } from '../../sources/store/open.js';
import { openStore } from '../../sources/store/open.js';
import { UploadError } from '../../sources/upload/read.js';
import { ingestUpload } from './ingest.js';

const now = new Date('2026-06-01T12:00:00Z');
const T1 = '2026-06-01T10:00:00.000Z';
const T2 = '2026-06-02T10:00:00.000Z';
const T3 = '2026-06-03T10:00:00.000Z';

async function all(store: Store) {
  return (await listFindings(store, {}, 10_000)).rows;
}

async function tableCounts(store: Store) {
  const n = async (t: 'findings' | 'uploads' | 'clusters' | 'daily_counts') => Number((await store.db.selectFrom(t).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { findings: await n('findings'), uploads: await n('uploads'), clusters: await n('clusters'), daily: await n('daily_counts') };
}

eachStore('finding lifecycle', (open, target) => {
  it('records new findings, and the same upload twice changes nothing', async () => {
    const store = await open();
    const u = { scannedAt: T1, findings: [finding('pss-privileged', pod('a'), 'critical'), finding('pss-privileged', pod('b'), 'critical'), finding('workload-limits', pod('a'), 'low', '/spec/containers/0/resources')] };
    const first = await ingestUpload(store, uploadBody(u), { now });
    assert.deepEqual({ ...first }, { cluster: 'prod', source: 'kubeguard', scannedAt: T1, duplicate: false, stale: false, received: 3, duplicates: 0, findings: 3, new: 3, fixed: 0, reopened: 0 });
    const before = await all(store);
    assert.equal(before.length, 3);
    assert.ok(before.every((r) => r.status === 'open' && r.first_seen === Date.parse(T1) && r.last_seen === Date.parse(T1) && r.fixed_at === null));
    const counts = await tableCounts(store);

    const again = await ingestUpload(store, uploadBody(u), { now: new Date(now.getTime() + 60_000) });
    assert.equal(again.duplicate, true);
    assert.equal(again.new, 3, 'the earlier outcome is answered');
    assert.deepEqual(await all(store), before);
    assert.deepEqual(await tableCounts(store), counts);
  });

  it('fixes what a cluster scan no longer sees, and reopens what comes back', async () => {
    const store = await open();
    const a = finding('pss-privileged', pod('a'), 'critical');
    const b = finding('pss-privileged', pod('b'), 'critical');
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: [a, b] }), { now });
    const second = await ingestUpload(store, uploadBody({ scannedAt: T2, findings: [a] }), { now });
    assert.deepEqual([second.new, second.fixed, second.reopened], [0, 1, 0]);
    let rows = await all(store);
    const fixedB = rows.find((r) => r.name === 'b')!;
    assert.equal(fixedB.status, 'fixed');
    assert.equal(fixedB.fixed_at, Date.parse(T2));
    assert.equal(fixedB.last_seen, Date.parse(T1));
    assert.equal(rows.find((r) => r.name === 'a')!.last_seen, Date.parse(T2));

    const third = await ingestUpload(store, uploadBody({ scannedAt: T3, findings: [a, b] }), { now });
    assert.deepEqual([third.new, third.fixed, third.reopened], [0, 0, 1]);
    rows = await all(store);
    const back = rows.find((r) => r.name === 'b')!;
    assert.deepEqual([back.status, back.fixed_at, back.reopened_at, back.reopen_count, back.first_seen], ['open', null, Date.parse(T3), 1, Date.parse(T1)]);
  });

  it('a scan of some resources fixes only findings on what it scanned', async () => {
    const store = await open();
    const a = finding('pss-privileged', pod('a'));
    const b = finding('pss-privileged', pod('b'));
    await ingestUpload(store, uploadBody({ scope: 'resources', resources: [pod('a'), pod('b')], scannedAt: T1, findings: [a, b] }), { now });
    const r = await ingestUpload(store, uploadBody({ scope: 'resources', resources: [pod('a')], scannedAt: T2, findings: [] }), { now });
    assert.equal(r.fixed, 1);
    const rows = await all(store);
    assert.equal(rows.find((x) => x.name === 'a')!.status, 'fixed');
    assert.equal(rows.find((x) => x.name === 'b')!.status, 'open', 'b was not scanned the second time');
  });

  it('findings a scan could not evaluate keep their state', async () => {
    const store = await open();
    const a = finding('rbac-wildcard', pod('a'));
    const b = finding('pss-privileged', pod('b'));
    const c = finding('pss-privileged', pod('c'));
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: [a, b, c] }), { now });
    const r = await ingestUpload(store, uploadBody({ scannedAt: T2, findings: [], held: [{ ruleId: 'rbac-wildcard' }, { ruleId: 'pss-privileged', resource: pod('b') }] }), { now });
    assert.equal(r.fixed, 1);
    const status = Object.fromEntries((await all(store)).map((x) => [x.name, x.status]));
    assert.deepEqual(status, { a: 'open', b: 'open', c: 'fixed' });
    // an unreadable input in a cluster-wide upload holds everything
    const r3 = await ingestUpload(store, uploadBody({ scannedAt: T3, findings: [], held: [{}] }), { now });
    assert.equal(r3.fixed, 0);
  });

  it('an older scan arriving after a newer one leaves the history alone', async () => {
    const store = await open();
    const a = finding('pss-privileged', pod('a'));
    await ingestUpload(store, uploadBody({ scannedAt: T2, findings: [a] }), { now });
    const late = await ingestUpload(store, uploadBody({ scannedAt: T1, findings: [] }), { now });
    assert.equal(late.stale, true);
    const [row] = await all(store);
    assert.deepEqual([row.status, row.last_seen], ['open', Date.parse(T2)]);
  });

  it('clusters and sources are separate histories', async () => {
    const store = await open();
    const a = finding('pss-privileged', pod('a'));
    await ingestUpload(store, uploadBody({ cluster: 'prod', scannedAt: T1, findings: [a] }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'staging', scannedAt: T1, findings: [a] }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'prod', source: 'kyverno', scannedAt: T2, findings: [] }), { now });
    const rows = await all(store);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].fingerprint, rows[1].fingerprint, 'the same rule on the same object and field is one identity');
    assert.ok(rows.every((r) => r.status === 'open'), 'an empty upload from another source fixes nothing of ours');
  });

  it('a truncated or malformed upload is refused and stores nothing', async () => {
    const store = await open();
    const text = uploadText({ scannedAt: T1, findings: [finding('pss-privileged', pod('a')), finding('pss-privileged', pod('b'))] });
    const truncated = text.split('\n').slice(0, -2).join('\n') + '\n';
    await assert.rejects(ingestUpload(store, uploadBody(truncated), { now }), (e: Error) => e instanceof UploadError && /truncated/.test(e.message));
    const bad = text.replace('"severity":"high"', '"severity":"catastrophic"');
    await assert.rejects(ingestUpload(store, uploadBody(bad), { now }), (e: Error) => e instanceof UploadError && /line 2: finding.severity/.test(e.message) && !e.message.includes('catastrophic'));
    const miscount = text.replace('"findings":2', '"findings":3');
    await assert.rejects(ingestUpload(store, uploadBody(miscount), { now }), /counts do not match/);
    assert.deepEqual(await tableCounts(store), { findings: 0, uploads: 0, clusters: 0, daily: 0 });
  });

  it('pages by key with filters, every finding exactly once', async () => {
    const store = await open();
    const fs = [];
    for (let i = 0; i < 25; i++) fs.push(finding(i % 2 ? 'pss-privileged' : 'workload-limits', pod(`p${i}`, i % 3 ? 'web' : 'db'), i % 5 ? 'high' : 'critical'));
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: fs }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'staging', scannedAt: T1, findings: fs.slice(0, 5) }), { now });
    const seen: string[] = [];
    let after: (string | number)[] | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await listFindings(store, {}, 7, after);
      seen.push(...r.rows.map((x) => `${x.cluster}/${x.name}`));
      if (!r.more) break;
      const last = r.rows[r.rows.length - 1];
      after = [last.cluster, last.fingerprint];
    }
    assert.equal(seen.length, 30);
    assert.equal(new Set(seen).size, 30);
    const filtered = await listFindings(store, { clusters: ['prod'], namespaces: ['db'], severities: ['critical'], ruleIds: ['workload-limits'] }, 100);
    const expected = fs.filter((f, i) => f.resource.namespace === 'db' && f.severity === 'critical' && f.ruleId === 'workload-limits' && i >= 0).map((f) => f.resource.name).sort();
    assert.deepEqual(filtered.rows.map((r) => r.name).sort(), expected);
    assert.ok(expected.length > 0);
  });

  it('a filter with several values of one dimension pages in every order exactly like the filter over all rows', async () => {
    const store = await open();
    const severities = ['critical', 'high', 'medium', 'low'] as const;
    const fs = Array.from({ length: 40 }, (_, i) => finding(i % 3 ? 'pss-privileged' : 'workload-limits', pod(`p${i}`, i % 2 ? 'web' : 'db'), severities[(i * 7) % 4]));
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: fs }), { now });
    await ingestUpload(store, uploadBody({ cluster: 'staging', scannedAt: T2, findings: fs.slice(0, 15) }), { now });
    const everything = (await listFindings(store, {}, 10_000)).rows;
    for (const order of Object.keys(FINDING_ORDERS) as FindingOrder[]) {
      for (const filter of [{ severities: ['critical', 'high'] }, { severities: ['low', 'critical', 'high'], clusters: ['prod'] }, { clusters: ['staging', 'prod'], namespaces: ['db'] }]) {
        const { columns, desc } = FINDING_ORDERS[order];
        const cmp = (a: FindingListRow, b: FindingListRow) => {
          for (const c of columns) if (a[c] !== b[c]) return (a[c]! < b[c]! ? -1 : 1) * (desc ? -1 : 1);
          return 0;
        };
        const matches = (r: FindingListRow) => Object.entries(filter).every(([k, vs]) => vs.includes(String(r[({ severities: 'severity', clusters: 'cluster', namespaces: 'namespace' } as const)[k as 'severities']])));
        const expected = everything.filter(matches).sort(cmp).map((r) => `${r.cluster}/${r.fingerprint}`);
        const seen: string[] = [];
        let after: PageKey | undefined;
        for (let page = 0; page < 20; page++) {
          const r = await listFindings(store, filter, 4, after, order);
          seen.push(...r.rows.map((x) => `${x.cluster}/${x.fingerprint}`));
          if (!r.more) break;
          after = pageKeyOf(r.rows[r.rows.length - 1], order);
        }
        assert.deepEqual(seen, expected, `${order} ${JSON.stringify(filter)}`);
        assert.ok(expected.length > 4);
      }
    }
  });

  it('reopening runs no migration again; a database from a newer kubeguard is refused', async () => {
    const location = await target.newLocation();
    const s1 = await openStore(location);
    await ingestUpload(s1, uploadBody({ scannedAt: T1, findings: [finding('pss-privileged', pod('a'))] }), { now });
    await s1.db.insertInto('kubeguard_migration' as never).values({ name: '9999-future', timestamp: new Date().toISOString() } as never).execute();
    await s1.close();
    await assert.rejects(openStore(location), /written by a newer version/);
    const s2 = await openStore(location, { noMigrate: true });
    assert.equal((await all(s2)).length, 1);
    await s2.close();
  });

  it("findings the scanner's own exceptions hid are kept as excepted, not fixed", async () => {
    const store = await open();
    const a = finding('pss-privileged', pod('a'));
    await ingestUpload(store, uploadBody({ scannedAt: T1, findings: [a] }), { now });
    const hidden = { ruleId: a.ruleId, severity: a.severity, resource: a.resource, path: a.path, reason: 'CNI needs it', source: 'config' as const };
    const r = await ingestUpload(store, uploadBody({ scannedAt: T2, findings: [], suppressed: [hidden] }), { now });
    assert.deepEqual([r.fixed, r.received], [0, 1]);
    let [row] = await all(store);
    assert.deepEqual([row.status, row.last_seen, row.message], ['excepted', Date.parse(T2), 'excepted (config): CNI needs it']);
    await ingestUpload(store, uploadBody({ scannedAt: T3, findings: [a] }), { now });
    [row] = await all(store);
    assert.equal(row.status, 'open', 'the config exception is gone: open again');
  });
});
