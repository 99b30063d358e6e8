/**
 * Compliance scores per cluster, framework and scan (uploaded by whole-cluster scans): the overview's percentage
 * per framework and its change since the scan before.
 */
import type { SchemaDb } from './types.js';

export async function complianceScores(db: SchemaDb): Promise<void> {
  await db.schema
    .createTable('compliance_scores')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('scanned_at', 'bigint', (c) => c.notNull())
    .addColumn('framework', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    // percent with one decimal, kept as tenths so both databases compare it exactly; null: no control decided
    .addColumn('score_tenths', 'integer')
    .addColumn('pass', 'integer', (c) => c.notNull())
    .addColumn('fail', 'integer', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('compliance_scores_pk', ['cluster', 'framework', 'scanned_at'])
    .execute();
}
