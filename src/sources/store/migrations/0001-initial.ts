/** Clusters, uploads (idempotency), findings with their lifecycle, daily open counts for trends, API tokens. */
import type { StoreDialect } from '../dialect.js';
import type { SchemaDb } from './types.js';

export async function initial(db: SchemaDb, dialect: StoreDialect): Promise<void> {
  const s = db.schema;
  await s
    .createTable('clusters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_scans', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await s
    .createTable('uploads')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scanned_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('uploads_pk', ['cluster', 'key'])
    .execute();
  await s.createIndex('uploads_received').on('uploads').columns(['received_at']).execute();

  await s
    .createTable('findings')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('api_version', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('fixed_at', 'bigint')
    .addColumn('reopened_at', 'bigint')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('exception_id', 'integer')
    .addPrimaryKeyConstraint('findings_pk', ['cluster', 'fingerprint'])
    .execute();
  // the findings list pages in (cluster, fingerprint) order under each filter; these serve the common filters
  await s.createIndex('findings_status').on('findings').columns(['status', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_severity').on('findings').columns(['severity', 'status', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_rule').on('findings').columns(['rule_id', 'status', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_namespace').on('findings').columns(['namespace', 'cluster', 'fingerprint']).execute();
  await s.createIndex('findings_object').on('findings').columns(['cluster', 'kind', 'namespace', 'name']).execute();
  await s.createIndex('findings_first_seen').on('findings').columns(['first_seen']).execute();
  await s.createIndex('findings_fixed_at').on('findings').columns(['fixed_at']).execute();

  await s
    .createTable('daily_counts')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('open', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_counts_pk', ['cluster', 'day', 'namespace', 'rule_id', 'severity'])
    .execute();
  await s.createIndex('daily_counts_day').on('daily_counts').columns(['day']).execute();

  await s
    .createTable('api_tokens')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('cluster', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
}
