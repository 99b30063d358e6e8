/** When a reopened finding was last fixed: namespace trends count the gap between a fix and its regression. */
import type { StoreDialect } from '../open.js';
import type { SchemaDb } from './index.js';

export async function lastFixed(db: SchemaDb, _dialect: StoreDialect): Promise<void> {
  await db.schema.alterTable('findings').addColumn('last_fixed_at', 'bigint').execute();
}
