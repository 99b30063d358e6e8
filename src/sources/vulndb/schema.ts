/**
 * SQLite layout. Records are stored as compact JSON (see compact.ts: what matching and reporting read) and
 * indexed by (ecosystem key, normalised name) through `affected`, so a lookup reads only the advisories of one
 * package — the database is never loaded into memory.
 */
export const SCHEMA_VERSION = '1';

export const SCHEMA_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE advisories (
  id TEXT PRIMARY KEY,
  modified TEXT,
  withdrawn INTEGER NOT NULL DEFAULT 0,
  json TEXT NOT NULL
);
CREATE TABLE affected (
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  advisory_id TEXT NOT NULL,
  PRIMARY KEY (ecosystem, name, advisory_id)
) WITHOUT ROWID;
CREATE INDEX affected_by_advisory ON affected (advisory_id);
`;

export const META_KEYS = {
  schemaVersion: 'schema_version',
  builtAt: 'built_at',
  sources: 'sources',
  counts: 'counts',
} as const;
