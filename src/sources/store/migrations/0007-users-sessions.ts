/**
 * People: users with scrypt password hashes, their cookie sessions (kept as sha256 of the session id, never the
 * id) and the failed-login counters that rate-limit sign-in per account and per client address across replicas.
 */
import type { StoreDialect } from '../dialect.js';
import { withSerialId } from './columns.js';
import type { SchemaDb } from './types.js';

export async function usersSessions(db: SchemaDb, dialect: StoreDialect): Promise<void> {
  const s = db.schema;
  await withSerialId(s.createTable('users'), dialect)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addColumn('disabled_at', 'bigint')
    .execute();

  await s
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('remote', 'text')
    .execute();
  await s.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();
  await s.createIndex('sessions_expiry').on('sessions').columns(['expires_at']).execute();

  await s
    .createTable('login_failures')
    /** 'account:<name>' or 'address:<ip>'. */
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .execute();
}
