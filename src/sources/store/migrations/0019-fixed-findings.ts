/**
 * Mean time to fix at a million findings: it reads a cluster's findings fixed in a period. Through
 * (status, cluster, namespace) that was every fixed finding of the cluster from the table (1–15 ms at a million
 * findings, and more when the planner chose another index); this partial index holds only fixed findings, in the
 * order the query asks (cluster, fixed_at) and with what it reads, so the answer comes from the index alone, and an
 * open finding (most inserts) costs it nothing. The query names `status = 'fixed'` as a literal: a planner can
 * only use a partial index whose condition it sees in the query (store/findings.ts meanTimeToFix).
 */
import { sql } from 'kysely';
import type { SchemaDb } from './types.js';

export async function fixedFindings(db: SchemaDb): Promise<void> {
  await sql`CREATE INDEX findings_fixed ON findings (cluster, fixed_at, severity, first_seen, status) WHERE status = 'fixed'`.execute(db);
}
