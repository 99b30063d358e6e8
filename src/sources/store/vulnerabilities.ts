/**
 * Vulnerability findings (rule id = the advisory id, e.g. CVE-2024-0727; analysis/vulns/findings.ts) grouped by
 * advisory for the dashboard's Vulnerabilities page. Rule ids of rules are lower-case, advisory ids start with an
 * upper-case letter: the range [A, [) on rule_id selects them on the rule index (binary order in SQLite, "C" in
 * PostgreSQL); callers keep only ids that isVulnerabilityRuleId accepts.
 */
import type { SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { FindingFilter, FindingRow } from './findings.js';
import { applyFilter } from './findings.js';
import type { Store } from './open.js';

export interface AdvisoryGroup {
  id: string;
  severityRank: number;
  findings: number;
  clusters: number;
  /** Distinct objects other than scanned images (workloads). */
  workloads: number;
  /** Distinct images scanned directly (`image scan --upload`). */
  images: number;
  /** Findings whose message names a fixed version. */
  fixable: number;
}

function advisoryIds(dialect: Store['dialect']) {
  return dialect === 'postgres' ? sql<SqlBool>`rule_id COLLATE "C" >= 'A' AND rule_id COLLATE "C" < '['` : sql<SqlBool>`rule_id >= 'A' AND rule_id < '['`;
}

/** One row per advisory id under the filter (at most `limit`, worst first). */
export async function advisoryGroups(store: Store, filter: FindingFilter, limit: number): Promise<AdvisoryGroup[]> {
  const objectKey = sql`CASE WHEN kind <> 'ContainerImage' THEN cluster || '/' || namespace || '/' || kind || '/' || name END`;
  const rows = await applyFilter(store.db.selectFrom('findings'), filter, store.dialect)
    .where(advisoryIds(store.dialect))
    .select([
      'rule_id',
      sql<number>`MAX(severity_rank)`.as('severity_rank'),
      sql<number>`COUNT(*)`.as('findings'),
      sql<number>`COUNT(DISTINCT cluster)`.as('clusters'),
      sql<number>`COUNT(DISTINCT ${objectKey})`.as('workloads'),
      sql<number>`COUNT(DISTINCT CASE WHEN kind = 'ContainerImage' THEN name END)`.as('images'),
      sql<number>`SUM(CASE WHEN message LIKE '%; fixed in %' THEN 1 ELSE 0 END)`.as('fixable'),
    ])
    .groupBy('rule_id')
    .orderBy(sql`MAX(severity_rank)`, 'desc')
    .orderBy(sql`COUNT(DISTINCT ${objectKey})`, 'desc')
    .orderBy('rule_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.rule_id, severityRank: Number(r.severity_rank), findings: Number(r.findings), clusters: Number(r.clusters), workloads: Number(r.workloads), images: Number(r.images), fixable: Number(r.fixable) }));
}

/** The findings of one advisory under the filter (at most `limit`). */
export async function advisoryFindings(store: Store, id: string, filter: FindingFilter, limit: number): Promise<FindingRow[]> {
  return applyFilter(store.db.selectFrom('findings').selectAll(), { ...filter, ruleIds: [id] }, store.dialect).orderBy('severity_rank', 'desc').orderBy('cluster').orderBy('fingerprint').limit(limit).execute();
}
