/**
 * Findings new and fixed per cluster and instant (flow_counts, migration 0016): what trends' flow reads when it is
 * not filtered beyond clusters, instead of counting a million findings per request. Every finding of an upload
 * shares its scan's instant, so a row is an upload's new and fixed findings as they stand now. Whatever changes a
 * finding's first_seen or fixed_at, or deletes it, counts the instants it touched again from the findings: an
 * upload (its instant, the earlier fixes it reopened, the findings another tool's duplicates replaced), retention
 * and restore (everything).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { StoreSchema } from './schema.js';

const CHUNK = 500;

/** Counts one cluster's new and fixed findings at these instants again. */
export async function recountFlow(db: Kysely<StoreSchema>, cluster: string, instants: Iterable<number>): Promise<void> {
  const all = [...new Set(instants)];
  for (let i = 0; i < all.length; i += CHUNK) {
    const at = sql.join(all.slice(i, i + CHUNK));
    await sql`DELETE FROM flow_counts WHERE cluster = ${cluster} AND at IN (${at})`.execute(db);
    await sql`
      INSERT INTO flow_counts (cluster, at, new_findings, fixed_findings)
      SELECT cluster, at, SUM(n), SUM(f) FROM (
        SELECT cluster, first_seen AS at, COUNT(*) AS n, 0 AS f FROM findings WHERE cluster = ${cluster} AND first_seen IN (${at}) GROUP BY cluster, first_seen
        UNION ALL
        SELECT cluster, fixed_at AS at, 0 AS n, COUNT(*) AS f FROM findings WHERE cluster = ${cluster} AND fixed_at IN (${at}) GROUP BY cluster, fixed_at
      ) x GROUP BY cluster, at`.execute(db);
  }
}

/** Counts every cluster's flow again (after retention deleted findings, after a restore). */
export async function rebuildFlow(db: Kysely<StoreSchema>): Promise<void> {
  await sql`DELETE FROM flow_counts`.execute(db);
  await sql`
    INSERT INTO flow_counts (cluster, at, new_findings, fixed_findings)
    SELECT cluster, at, SUM(n), SUM(f) FROM (
      SELECT cluster, first_seen AS at, COUNT(*) AS n, 0 AS f FROM findings GROUP BY cluster, first_seen
      UNION ALL
      SELECT cluster, fixed_at AS at, 0 AS n, COUNT(*) AS f FROM findings WHERE fixed_at IS NOT NULL GROUP BY cluster, fixed_at
    ) x GROUP BY cluster, at`.execute(db);
}
