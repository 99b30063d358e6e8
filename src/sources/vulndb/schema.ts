/**
 * SQLite layout. `affected` is the lookup table: one row per (ecosystem key, normalised name, advisory), clustered
 * on that key (WITHOUT ROWID), holding the record's compact header (compact.ts, without `affected`) and, as JSON,
 * just the affected entries for that key. A lookup is one index range read with no join, and parses only what one
 * package needs (an Alpine record lists nine branches; a Debian one, every release). The header is repeated per
 * key (most records name one key) for that locality. `advisories` keeps one row per record for upserts and counts.
 * The database is never loaded into memory.
 */
export const SCHEMA_VERSION = '3';

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
  header TEXT NOT NULL,
  entries TEXT NOT NULL,
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
