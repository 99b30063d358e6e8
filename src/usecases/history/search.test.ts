/**
 * Text search through the trigram indexes of migration 0008 (SQLite FTS5, PostgreSQL pg_trgm) answers exactly what
 * a substring match over name, namespace, rule id and message answers — read in order first or through the index,
 * in every page, in the capped count — and follows findings whose text changes or that are deleted.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Finding } from '../../core/model.js';
import { eachStore } from '../../sources/store/test-support/stores.js';
import type { Store } from '../../sources/store/open.js';
import { deleteExpired } from '../../sources/store/retention.js';
import { finding, pod, uploadBody } from '../../sources/upload/test-support/uploads.js';
import { ingestUpload } from './ingest.js';
import { queryFindings, totalFindings } from './findings.js';

const now = new Date('2026-06-10T12:00:00Z');
const WORDS = ['Checkout', 'cart', 'postgres', 'redis', 'web_1', '50%off', 'tenant-a', 'Ünïcode'];

function corpus(): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < 90; i++) {
    const f = finding(['pss-privileged', 'workload-limits', 'image-tag-latest'][i % 3], pod(`${WORDS[i % WORDS.length]}-${i}`, `ns-${WORDS[(i * 5) % WORDS.length].toLowerCase()}`), 'high', `/spec/containers/${i}`);
    f.message = `container ${i} of ${WORDS[(i * 3) % WORDS.length]} breaks ${f.ruleId}`;
    out.push(f);
  }
  return out;
}

/** Substring match as LIKE/ILIKE have it: ASCII letters case-insensitive. */
function expected(fs: Finding[], q: string): string[] {
  const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const hit = (s: string) => lower(s).includes(lower(q));
  return fs.filter((f) => hit(f.resource.name) || hit(f.resource.namespace ?? '') || hit(f.ruleId) || hit(f.message)).map((f) => f.resource.name).sort();
}

async function all(store: Store, q: string, limit: number): Promise<string[]> {
  const names: string[] = [];
  let next: string | undefined;
  for (let page = 0; page < 100; page++) {
    const r = await queryFindings(store, { q, limit, sort: 'object', ...(next && { next }) });
    names.push(...r.items.map((x) => x.resource.name));
    if (!r.next) break;
    next = r.next;
  }
  return names.sort();
}

const QUERIES = ['checkout', 'CART', 'postgres', 'web_', '_', '%', '50%', 'tenant-a', 'ns-redis', 'breaks pss', 'workload-limits', 'ünïcode', 'Ünïcode', 'ca', 'x', 'nothing-like-this', '-1', '\\', 'container 7 of'];

eachStore('finding search', (open) => {
  it('matches exactly what a substring match does, in pages of any size and in the count', async () => {
    const store = await open();
    const fs = corpus();
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-01T10:00:00Z', findings: fs }), { now });
    for (const q of QUERIES) {
      const want = expected(fs, q);
      // small pages: dense matches are found by reading in order, rare ones through the index
      for (const limit of [3, 1000]) assert.deepEqual(await all(store, q, limit), want, `q=${q} limit=${limit}`);
      assert.deepEqual(await totalFindings(store, { q, cap: 5 }), { count: Math.min(want.length, 5), more: want.length > 5 }, `count q=${q}`);
      assert.deepEqual(await totalFindings(store, { q }), { count: want.length, more: false }, `count q=${q}`);
    }
  });

  it('follows changed messages and deleted findings', async () => {
    const store = await open();
    const fs = corpus().slice(0, 10);
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-01T10:00:00Z', findings: fs }), { now });
    const changed = fs.map((f, i) => (i === 2 ? { ...f, message: 'now mentions zookeeper' } : f));
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-02T10:00:00Z', findings: changed.slice(0, 8) }), { now }); // two fixed
    assert.deepEqual(await all(store, 'zookeeper', 5), [fs[2].resource.name]);
    assert.deepEqual(await all(store, fs[2].message.slice(0, 12), 5), expected(changed, fs[2].message.slice(0, 12)));
    const fixed = fs.slice(8).map((f) => f.resource.name);
    assert.deepEqual(await all(store, fixed[0], 5), [fixed[0]]);
    await deleteExpired(store, { fixedFindings: Date.parse('2026-06-03T00:00:00Z'), uploads: 0, events: 0, audit: 0, incidents: 0, trendDay: '2000-01-01' });
    assert.deepEqual(await all(store, fixed[0], 5), [], 'deleted with its finding');
    // a new finding with the deleted one's text is found once
    await ingestUpload(store, uploadBody({ scannedAt: '2026-06-04T10:00:00Z', findings: changed }), { now });
    assert.deepEqual(await all(store, fixed[0], 5), [fixed[0]]);
  });

  it('has its trigram index', async () => {
    const store = await open();
    if (store.dialect === 'sqlite') {
      const r = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 'findings_fts'`.execute(store.db);
      assert.equal(r.rows.length, 1);
    } else {
      const r = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename = 'findings' AND indexname = 'findings_search'`.execute(store.db);
      assert.equal(r.rows.length, 1, 'pg_trgm is available to the tests’ PostgreSQL (Debian ships it with the server)');
    }
  });
});
