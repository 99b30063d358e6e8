/**
 * Layout of the scan-results store: the latest vulnerability counts per scanned image, and the queue of images
 * the admission webhook admitted without a result (onMissing allow-and-scan). WAL journal mode, so the webhook's
 * reads never wait for a `kubeguard image scan --record` writing at the same time.
 */
export const SCHEMA_VERSION = '1';

export const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
  id INTEGER PRIMARY KEY,
  reference TEXT NOT NULL,
  manifest_digest TEXT,
  index_digest TEXT,
  scanned_at INTEGER NOT NULL,
  critical INTEGER NOT NULL,
  high INTEGER NOT NULL,
  medium INTEGER NOT NULL,
  low INTEGER NOT NULL,
  info INTEGER NOT NULL,
  vulndb_built_at TEXT,
  vulndb_schema TEXT,
  ignore_unfixed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS results_manifest_digest ON results (manifest_digest, scanned_at);
CREATE INDEX IF NOT EXISTS results_index_digest ON results (index_digest, scanned_at);
CREATE INDEX IF NOT EXISTS results_reference ON results (reference, scanned_at);
CREATE TABLE IF NOT EXISTS pending (
  reference TEXT PRIMARY KEY,
  first_requested_at INTEGER NOT NULL,
  last_requested_at INTEGER NOT NULL,
  requests INTEGER NOT NULL
);
`;
