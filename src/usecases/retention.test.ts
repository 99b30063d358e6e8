import { it } from 'node:test';
import assert from 'node:assert/strict';
import { eachStore } from '../sources/store/test-support/stores.js';
import { finding, pod, uploadBody } from '../sources/upload/test-support/uploads.js';
import { ingestUpload } from './history/ingest.js';
import { applyRetention } from './retention.js';

eachStore('retention', (open) => {
  it('deletes fixed findings, upload records and trend days past their age; never open findings', async () => {
    const store = await open();
    const old = new Date('2025-01-01T00:00:00Z');
    const a = finding('pss-privileged', pod('a'));
    const b = finding('workload-limits', pod('b'), 'low', '/x');
    await ingestUpload(store, uploadBody({ scannedAt: '2025-01-01T00:00:00.000Z', findings: [a, b] }), { now: old });
    await ingestUpload(store, uploadBody({ scannedAt: '2025-01-02T00:00:00.000Z', findings: [a] }), { now: old }); // b fixed in 2025
    const now = new Date('2026-06-01T00:00:00Z');
    const deleted = await applyRetention(store, now, { auditDays: 30 });
    assert.deepEqual(deleted, { findings: 1, uploads: 2, deliveries: 0, events: 0, audit: 2, incidents: 0, dailyCounts: 0 });
    const left = await store.db.selectFrom('findings').select(['name', 'status']).execute();
    assert.deepEqual(left, [{ name: 'a', status: 'open' }], 'the open finding stays however old');
    const flow = await store.db.selectFrom('flow_counts').select(['at', 'new_findings', 'fixed_findings']).execute();
    assert.deepEqual(flow.map((r) => [Number(r.at), Number(r.new_findings), Number(r.fixed_findings)]), [[Date.parse('2025-01-01T00:00:00Z'), 1, 0]], "b's day-1 newness and day-2 fix went with it");
    const audit = await store.db.selectFrom('audit_log').select('action').execute();
    assert.deepEqual(audit, [{ action: 'retention.delete' }]);
    assert.equal((await applyRetention(store, new Date('2028-01-10T00:00:00Z'))).dailyCounts, 5, 'trend days older than two years: two days, each a marker and its rule rows');
  });
});
