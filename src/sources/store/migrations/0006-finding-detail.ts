/**
 * What the dashboard shows of a finding beyond its identity: where it was found (file:line), the remediation, the
 * patch, the evidence and related findings (`detail`, JSON of the latest scan); and a severity rank so lists sort
 * worst-first on an index. Indexes for the lists' sort orders, each ending in the page key (cluster, fingerprint),
 * and two covering the overview's aggregates of open findings (worst namespaces, top rules), which otherwise read
 * every open row from the table (at 300,000 findings in SQLite: worst namespaces 750 → 33 ms).
 */
import { sql } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import type { SchemaDb } from './types.js';

export async function findingDetail(db: SchemaDb, _dialect: StoreDialect): Promise<void> {
  await db.schema.alterTable('findings').addColumn('detail', 'text').execute();
  await db.schema.alterTable('findings').addColumn('severity_rank', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`UPDATE findings SET severity_rank = CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`.execute(db);
  const s = db.schema;
  await s.createIndex('findings_by_severity').on('findings').columns(['severity_rank', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_status_by_severity').on('findings').columns(['status', 'severity_rank', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_by_last_seen').on('findings').columns(['last_seen', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_by_first_seen').on('findings').columns(['first_seen', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_by_object').on('findings').columns(['cluster', 'namespace', 'kind', 'name', 'fingerprint']).execute();
  await s.createIndex('findings_status_namespaces').on('findings').columns(['status', 'cluster', 'namespace']).execute();
  await s.createIndex('findings_status_rules').on('findings').columns(['status', 'rule_id', 'severity']).execute();
}
