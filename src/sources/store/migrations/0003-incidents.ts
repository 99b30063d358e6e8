/** Runtime incidents posted by `runtime serve`: one row per (cluster, incident id), updated as it grows. */
import type { StoreDialect } from '../dialect.js';
import type { SchemaDb } from './types.js';

export async function incidents(db: SchemaDb, _dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('detector', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    /** 'open' | 'excepted'. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_name', 'text', (c) => c.notNull())
    .addColumn('pod', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('exception_id', 'integer')
    .addPrimaryKeyConstraint('incidents_pk', ['cluster', 'id'])
    .execute();
  await db.schema.createIndex('incidents_last').on('incidents').columns(['last_at']).execute();
  await db.schema.createIndex('incidents_cluster').on('incidents').columns(['cluster', 'namespace', 'last_at']).execute();
}
