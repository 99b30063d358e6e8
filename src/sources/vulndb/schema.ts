/**
 * SQLite layout. `advisories.json` holds a record's compact form (compact.ts) without its `affected` list;
 * `affected` indexes each record under every (ecosystem key, normalised name) it names and holds, as JSON, just
 * the affected entries for that key. A lookup therefore reads and parses only what one package needs (an Alpine
 * record lists nine branches; a Debian one, every release) — the database is never loaded into memory.
 */
export const SCHEMA_VERSION = '2';

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
