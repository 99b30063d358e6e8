/**
 * Opening the server store: a SQLite file (the default, zero set-up) or PostgreSQL (`postgres://…`), both behind
 * one kysely query layer, migrated to the current schema on open. Errors name the database, never its password.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Dialect as KyselyDialect } from 'kysely';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { KubeguardError, errorMessage } from '../../core/errors.js';
import type { StoreSchema } from './schema.js';
import { migrateToLatest } from './migrate.js';
import type { StoreDialect } from './dialect.js';

export type { StoreDialect } from './dialect.js';

export class StoreError extends KubeguardError {}

export interface Store {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: StoreDialect;
  /** Where the data lives, safe to print (a PostgreSQL URL without its password). */
  readonly location: string;
  close(): Promise<void>;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A PostgreSQL URL with its password masked, for messages and logs. */
export function redactUrl(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const u = new URL(location);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export interface OpenStoreOptions {
  /** Most PostgreSQL connections per process. Default 10. */
  poolSize?: number;
  /** Skip migrations (a command that must not change the schema). Default false. */
  noMigrate?: boolean;
}

const require = createRequire(import.meta.url);

function sqliteDialect(path: string): KyselyDialect {
  const Sqlite = require('better-sqlite3') as typeof BetterSqlite3;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Sqlite(path, { timeout: 5000 });
  database.pragma('journal_mode = WAL');
  // acknowledged means on disk: the server answers an upload only after its transaction is durable
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  // SQLite's default page cache is 2 MiB: at a million findings a large upload's index inserts then went to the
  // file system page by page (a 150,000-pod first upload 35–45% slower). Up to 256 MiB, taken only as used.
  database.pragma('cache_size = -262144');
  return new SqliteDialect({ database });
}

async function postgresDialect(url: string, poolSize: number): Promise<KyselyDialect> {
  const pg = (await import('pg')).default;
  // counts and millisecond times fit a double exactly; averages come back as numeric text
  const types = {
    getTypeParser: (oid: number, format?: string) => {
      if (oid === 20) return (v: string) => Number(v);
      if (oid === 1700) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 10_000 });
  // A connection dropped by a restarting database fails its query (the transaction rolls back, the client sees a
  // 5xx and retries) and is replaced on the next one. Its 'error' event, idle or checked out, must not crash the
  // process: pg emits it on the pool for idle clients and on the client itself for checked-out ones.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new PostgresDialect({ pool });
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const dialect: StoreDialect = isPostgresUrl(location) ? 'postgres' : 'sqlite';
  const shown = redactUrl(location);
  let db: Kysely<StoreSchema> | undefined;
  try {
    const k = dialect === 'postgres' ? await postgresDialect(location, options.poolSize ?? 10) : sqliteDialect(location);
    db = new Kysely<StoreSchema>({ dialect: k });
    if (!options.noMigrate) await migrateToLatest(db, dialect);
  } catch (e) {
    await db?.destroy().catch(() => {});
    throw new StoreError(`store ${shown}: ${errorMessage(e).replaceAll(location, shown)}`, { cause: e });
  }
  const opened = db;
  return { db: opened, dialect, location: shown, close: () => opened.destroy() };
}
