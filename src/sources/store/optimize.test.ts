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
    await optimizeStore(store);
    assert.equal(await analysed(), 2400);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
