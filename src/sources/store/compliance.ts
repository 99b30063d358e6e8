/** Compliance scores in the store (migration 0014): one row per cluster, framework and scan. */
import type { Kysely } from 'kysely';
import type { ComplianceScoreRecord } from '../upload/format.js';
import type { Store } from './open.js';
import type { StoreSchema } from './schema.js';

export async function insertComplianceScores(db: Kysely<StoreSchema>, cluster: string, scannedAt: number, scores: readonly ComplianceScoreRecord[]): Promise<void> {
  // one row per framework: the last word stands; a scan received twice keeps its first rows
  const byFramework = new Map(scores.map((s) => [s.framework, s]));
  for (const s of byFramework.values()) {
    await db
      .insertInto('compliance_scores')
      .values({ cluster, scanned_at: scannedAt, framework: s.framework, version: s.version, score_tenths: s.score === null ? null : Math.round(s.score * 10), pass: s.pass, fail: s.fail, counts: JSON.stringify(s.counts) })
      .onConflict((oc) => oc.columns(['cluster', 'framework', 'scanned_at']).doNothing())
      .execute();
  }
}

/**
 * The latest two scores of each cluster and framework, newest first (the overview's value and its change): one
 * index range read of two rows per pair, however many scans are kept.
 */
export async function latestComplianceScores(store: Store, clusters?: string[]) {
  let pairs = store.db.selectFrom('compliance_scores').select(['cluster', 'framework']).distinct();
  if (clusters?.length) pairs = pairs.where('cluster', 'in', clusters);
  const out = [];
  for (const p of await pairs.orderBy('cluster').orderBy('framework').execute()) {
    out.push(...(await store.db.selectFrom('compliance_scores').selectAll().where('cluster', '=', p.cluster).where('framework', '=', p.framework).orderBy('scanned_at', 'desc').limit(2).execute()));
  }
  return out;
}
