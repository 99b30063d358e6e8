import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Migrations see the database untyped: they change its shape (kysely's Migration takes `Kysely<any>` too). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SchemaDb = Kysely<any>;

export type StoreMigration = (db: SchemaDb, dialect: StoreDialect) => Promise<void>;
