/** Column shapes that differ between the two databases. */
import type { CreateTableBuilder } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** An auto-incrementing integer primary key named `id`. */
export function withSerialId<T extends string>(t: CreateTableBuilder<T, never>, dialect: StoreDialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres' ? t.addColumn('id', 'bigserial', (c) => c.primaryKey()) : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
