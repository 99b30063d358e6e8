/**
 * Keeping the query planner informed: SQLite's `PRAGMA optimize` analyses the tables whose statistics are stale
 * (cheap when nothing changed), so a selective filter such as "new since" uses its index instead of a scan in page
 * order. PostgreSQL's autovacuum does the same by itself.
 *
 * `PRAGMA optimize` re-analyses a table only once it grew or shrank tenfold, and the findings' plans go wrong well
 * before: statistics taken after a first 150,000-pod cluster (one cluster, every finding open) still described the
 * store at a million findings across 20 clusters, and "open critical and high findings of one cluster" walked the
 * cluster's open findings (70 ms in-process; p99 389 ms under 10 clients) instead of its few critical and high ones
 * (5 ms). So the findings are analysed again whenever their number moved by half since the last analysis: a full
 * ANALYZE (5 s at a million findings, so once per such step; `analysis_limit` sampling is no cheaper way out — its
 * estimates of 1,001 rows per value sent "new since" through the whole table in key order, 0.7 ms -> 3.9 s).
 * It runs one index at a time (~0.3 s each at a million findings), each its own statement on the store's one
 * connection with a turn of the event loop before each, so requests that arrive meanwhile are served between them:
 * no 5 s stall of every request.
 */
import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Store } from './open.js';

const DRIFT = 0.5;
/** Below this many findings every plan is fast: no analysis. */
const SMALL = 1000;

export async function optimizeStore(store: Store): Promise<void> {
  if (store.dialect !== 'sqlite') return;
  // An index without statistics (one a migration just added) makes PRAGMA optimize analyse its whole table in one
  // statement (findings: ~5 s at a million, right after an upgrade): such indexes are analysed first, one at a time.
  const analysedOnce = (await sql<{ n: number }>`SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'sqlite_stat1'`.execute(store.db)).rows[0].n > 0;
  if (analysedOnce) await analyseIndexes(store, sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'findings' AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE tbl = 'findings' AND idx IS NOT NULL) ORDER BY name`);
  await sql`PRAGMA optimize=0x10002`.execute(store.db);
  const stat = (await sql<{ stat: string }>`SELECT stat FROM sqlite_stat1 WHERE tbl = 'findings' LIMIT 1`.execute(store.db)).rows[0];
  const analysed = stat ? Number(stat.stat.split(' ')[0]) : 0;
  const now = Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM findings`.execute(store.db)).rows[0].n);
  if (Math.max(now, analysed) >= SMALL && Math.abs(now - analysed) > DRIFT * Math.max(analysed, SMALL)) await analyseFindings(store);
}

/**
 * `ANALYZE findings`, one index at a time (the same statistics: ANALYZE of an index writes that index's row),
 * giving the event loop a turn between them: the SQLite driver is synchronous, so without one the whole analysis
 * would run before any request that arrived meanwhile.
 */
export async function analyseFindings(store: Store): Promise<void> {
  await analyseIndexes(store, sql<{ name: string }>`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'findings' ORDER BY name`);
}

async function analyseIndexes(store: Store, which: RawBuilder<{ name: string }>): Promise<void> {
  const indexes = await which.execute(store.db);
  for (const { name } of indexes.rows) {
    await new Promise((resolve) => setImmediate(resolve));
    await sql`ANALYZE ${sql.id(name)}`.execute(store.db);
  }
}
