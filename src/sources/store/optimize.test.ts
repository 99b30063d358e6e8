import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { finding, pod, uploadBody } from '../upload/test-support/uploads.js';
import { ingestUpload } from '../../usecases/history/ingest.js';
import { openStore } from './open.js';
import { optimizeStore } from './optimize.js';

test('SQLite: the findings are analysed again once their number moved by half, not before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-optimize-'));
  const store = await openStore(join(dir, 's.db'));
  try {
    const pods = (n: number) => Array.from({ length: n }, (_, i) => finding('pss-privileged', pod(`p${i}`)));
    const analysed = async () => Number((await sql<{ stat: string }>`SELECT stat FROM sqlite_stat1 WHERE tbl = 'findings' LIMIT 1`.execute(store.db)).rows[0]?.stat.split(' ')[0] ?? 0);
    let hour = 0;
    const scan = (n: number) => ingestUpload(store, uploadBody({ scannedAt: new Date(Date.UTC(2026, 5, 1, hour++)).toISOString(), findings: pods(n) }, 1 << 20), { now: new Date() });
    await scan(1500);
    await optimizeStore(store);
    assert.equal(await analysed(), 1500);
    await scan(2000); // a third more: the statistics still fit
    await optimizeStore(store);
    assert.equal(await analysed(), 1500);
    await scan(2400); // 60% more than analysed
    // one index at a time with a turn of the event loop before each: queries that arrive meanwhile are answered
    // during the analysis (as one statement, the synchronous driver ran all of it before any of them)
    let done = false;
    const analysis = optimizeStore(store).then(() => (done = true));
    let during = 0;
    while (!done) {
      await new Promise((r) => setImmediate(r));
      await store.db.selectFrom('findings').select('fingerprint').limit(1).execute();
      if (!done) during++;
    }
    await analysis;
    assert.ok(during >= 3, `queries answered during the analysis: ${during}`);
    assert.equal(await analysed(), 2400);
    // every index of all findings (a partial one, e.g. of fixed findings, counts fewer)
    const whole = (await sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'findings' AND (sql IS NULL OR sql NOT LIKE '% WHERE %') ORDER BY name`.execute(store.db)).rows.map((r) => r.name);
    const fresh = (await sql<{ idx: string }>`SELECT idx FROM sqlite_stat1 WHERE tbl = 'findings' AND stat LIKE '2400 %' ORDER BY idx`.execute(store.db)).rows.map((r) => r.idx);
    assert.deepEqual(fresh, whole, 'every index of findings analysed');

    // an index a migration adds: analysed on its own (between queries), not by PRAGMA optimize's whole-table ANALYZE
    await sql`CREATE INDEX findings_test_added ON findings (kind, name)`.execute(store.db);
    done = false;
    const afterUpgrade = optimizeStore(store).then(() => (done = true));
    during = 0;
    while (!done) {
      await new Promise((r) => setImmediate(r));
      await store.db.selectFrom('findings').select('fingerprint').limit(1).execute();
      if (!done) during++;
    }
    await afterUpgrade;
    assert.ok(during >= 1, 'queries answered while the new index is analysed');
    const added = (await sql<{ stat: string }>`SELECT stat FROM sqlite_stat1 WHERE idx = 'findings_test_added'`.execute(store.db)).rows;
    assert.match(added[0]?.stat ?? '', /^2400 /);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
