/** When a reopened finding was last fixed: namespace trends count the gap between a fix and its regression. */
import type { StoreDialect } from '../dialect.js';
import type { SchemaDb } from './types.js';

export async function lastFixed(db: SchemaDb, _dialect: StoreDialect): Promise<void> {
  await db.schema.alterTable('findings').addColumn('last_fixed_at', 'bigint').execute();
}
