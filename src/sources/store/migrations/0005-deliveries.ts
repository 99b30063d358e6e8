/** One row per event delivered to one channel: an event is sent once to each channel, whatever fails in between. */
import type { StoreDialect } from '../dialect.js';
import type { SchemaDb } from './types.js';

export async function deliveries(db: SchemaDb, _dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('deliveries')
    .addColumn('event_id', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('deliveries_pk', ['event_id', 'channel'])
    .execute();
}
