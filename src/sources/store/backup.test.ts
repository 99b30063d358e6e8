import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { eachStore } from './test-support/stores.js';
import { openStore } from './open.js';
import type { Store } from './open.js';
import { BACKUP_TABLES, backupStore, restoreStore } from './backup.js';
import { finding, pod, uploadBody } from '../upload/test-support/uploads.js';
import { ingestUpload } from '../../usecases/history/ingest.js';
import { authenticateToken, createApiToken } from '../../usecases/access/tokens.js';
import { decideException, requestException } from '../../usecases/exceptions/workflow.js';
import { catalogResolver } from '../../usecases/exceptions/rules.js';
import { replaceBaseline } from './baselines.js';
import { insertComplianceScores } from './compliance.js';

const now = new Date('2026-06-01T12:00:00Z');

async function dump(store: Store): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of BACKUP_TABLES) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(t.table)}`.execute(store.db)).rows;
    out[t.table] = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort()))).sort();
  }
  return out;
}

async function populate(store: Store): Promise<string> {
  await ingestUpload(store, uploadBody({ scannedAt: '2026-06-01T10:00:00.000Z', findings: [finding('pss-privileged', pod('a'), 'critical'), finding('workload-limits', pod('b'), 'low', '/x')] }), { now });
  await ingestUpload(store, uploadBody({ scannedAt: '2026-06-02T10:00:00.000Z', findings: [finding('pss-privileged', pod('a'), 'critical'), finding('workload-limits', pod('c'), 'low', '/y')] }), { now });
  const token = (await createApiToken(store, { role: 'viewer', now })).token;
  const ex = await requestException(store, { id: 'token:9', name: 'dev', role: 'viewer' }, { rules: ['pss-privileged'], reason: 'r', expires: '2999-01-01' }, now, catalogResolver);
  await decideException(store, { id: 'token:8', name: 'lead', role: 'approver' }, ex.id, 'approve', 'ok', now);
  const cluster = (await store.db.selectFrom('clusters').select('name').executeTakeFirstOrThrow()).name;
  await replaceBaseline(store, cluster, { apiVersion: 'kubeguard.io/v1', kind: 'RuntimeBaseline', locked: true, learned: { events: 3 }, workloads: [{ namespace: 'shop', workload: 'web', containers: {} }] } as never, now.getTime());
  await insertComplianceScores(store.db, cluster, now.getTime(), [{ framework: 'nsa', version: 'v1.2', score: 65.8, pass: 25, fail: 13, counts: { PASS: 25, FAIL: 13 } }]);
  return token;
}

eachStore('backup and restore', (open, target) => {
  it('round-trips every table, to the same database kind and across kinds; tokens keep working; ids continue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-backup-'));
    try {
      const source = await open();
      const token = await populate(source);
      const file = join(dir, 'backup.jsonl.gz');
      const counts = await backupStore(source, file, now);
      assert.equal(counts.findings, 3);
      const expected = await dump(source);
      for (const location of [await target.newLocation(), join(dir, 'other.db')]) {
        const restored = await openStore(location);
        try {
          await restoreStore(restored, file);
          assert.deepEqual(await dump(restored), expected, location);
          const flow = (st: Store) => st.db.selectFrom('flow_counts').select(['cluster', 'at', 'new_findings', 'fixed_findings']).orderBy('cluster').orderBy('at').execute();
          assert.deepEqual((await flow(restored)).map((r) => ({ ...r, at: Number(r.at) })), (await flow(source)).map((r) => ({ ...r, at: Number(r.at) })), 'derived counts rebuilt');
          const byNamespace = (st: Store) => st.db.selectFrom('open_by_namespace').selectAll().orderBy('cluster').orderBy('namespace').orderBy('severity').execute();
          const open = await byNamespace(restored);
          assert.ok(open.length > 0);
          assert.deepEqual(open.map((r) => ({ ...r, open: Number(r.open) })), (await byNamespace(source)).map((r) => ({ ...r, open: Number(r.open) })), 'namespace counts rebuilt');
          for (const t of ['runtime_baselines', 'baseline_workloads', 'compliance_scores']) assert.equal(expected[t]?.length, 1, t);
          if (restored.dialect === 'sqlite') {
            const hits = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM findings_fts WHERE rule_id LIKE '%privileged%'`.execute(restored.db);
            assert.equal(Number(hits.rows[0]!.n), 1, 'the search index rebuilt');
          }
          assert.equal((await authenticateToken(restored, token, now))?.role, 'viewer');
          const next = await createApiToken(restored, { role: 'admin', now });
          assert.ok(next.id > 1, 'serial ids continue after the restored ones');
          await assert.rejects(restoreStore(restored, file), /not empty/);
        } finally {
          await restored.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a truncated or foreign file restores nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-backup-'));
    try {
      const source = await open();
      await populate(source);
      const file = join(dir, 'b.gz');
      await backupStore(source, file, now);
      const text = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
      writeFileSync(join(dir, 'cut.gz'), gzipSync(text.slice(0, -3).join('\n') + '\n'));
      writeFileSync(join(dir, 'foreign.gz'), gzipSync('{"hello":1}\n'));
      const empty = await open();
      await assert.rejects(restoreStore(empty, join(dir, 'cut.gz')), /truncated/);
      await assert.rejects(restoreStore(empty, join(dir, 'foreign.gz')), /not a kubeguard server backup/);
      assert.ok(Object.values(await dump(empty)).every((rows) => rows.length === 0));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
