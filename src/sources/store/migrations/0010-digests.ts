/**
 * One row per e-mail digest: channel, recipient and period (its start). The row is claimed before the message is
 * sent and marked sent after, so each recipient gets each period's digest once however many replicas run.
 */
import type { StoreDialect } from '../dialect.js';
import type { SchemaDb } from './types.js';

export async function digests(db: SchemaDb, _dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('digests')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'bigint')
    .addPrimaryKeyConstraint('digests_pk', ['channel', 'recipient', 'period_start'])
    .execute();
}
