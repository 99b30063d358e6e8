/**
 * Versioned migrations, applied in order on open (kysely's Migrator: its own lock table makes concurrent starts of
 * several server replicas safe; each migration runs in a transaction). A database written by a newer kubeguard is
 * refused rather than misread.
 */
import type { Kysely, Migration } from 'kysely';
import type { SchemaDb } from './migrations/index.js';
import { Migrator } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { MIGRATIONS } from './migrations/index.js';

export async function migrateToLatest(db: SchemaDb, dialect: StoreDialect): Promise<void> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(MIGRATIONS)) migrations[name] = { up: (k) => m(k, dialect) };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kubeguard_migration',
    migrationLockTableName: 'kubeguard_migration_lock',
  });
  const known = new Set(Object.keys(migrations));
  const unknown = (await appliedNames(db)).filter((n) => !known.has(n));
  if (unknown.length) throw new Error(`the database has migrations this kubeguard does not know (${unknown.join(', ')}): it was written by a newer version`);
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

async function appliedNames(db: SchemaDb): Promise<string[]> {
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === 'kubeguard_migration')) return [];
  const rows = await (db as Kysely<{ kubeguard_migration: { name: string } }>).selectFrom('kubeguard_migration').select('name').execute();
  return rows.map((r) => r.name);
}
