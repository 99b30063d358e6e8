/**
 * The scan-results store (SQLite through better-sqlite3). `kubeguard image scan --record` writes the counts of a
 * scan; the admission webhook reads them (a read-only connection with prepared statements: one indexed query per
 * lookup) and, when it admits an image that has no result, queues it for `kubeguard image scan --pending`.
 */
import type Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { KubeguardError } from '../../core/errors.js';
import type { Severity } from '../../core/model.js';
import { DDL, SCHEMA_VERSION } from './schema.js';

/** One recorded scan of one image. */
export interface ScanRecord {
  /** Normalised reference (see imageKey), or the input path for local images. */
  reference: string;
  /** Digest of the image manifest that was scanned. */
  manifestDigest?: string;
  /** Digest of the index it was selected from (multi-platform images): pods may pin either. */
  indexDigest?: string;
  scannedAt: Date;
  /** Vulnerability findings per severity, after VEX statements and config exceptions. */
  counts: Record<Severity, number>;
  /** Build time of the vulnerability database used (ISO 8601), and its schema version. */
  vulnDbBuiltAt?: string;
  vulnDbSchema?: string;
  /** The scan left out vulnerabilities without a fixed version. */
  ignoreUnfixed?: boolean;
}

export interface PendingScan {
  reference: string;
  firstRequestedAt: Date;
  lastRequestedAt: Date;
  requests: number;
}

export class ScanResultsError extends KubeguardError {
  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`scan-results store ${path}: ${detail}`, options);
  }
}

interface Row {
  reference: string;
  manifest_digest: string | null;
  index_digest: string | null;
  scanned_at: number;
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
  vulndb_built_at: string | null;
  vulndb_schema: string | null;
  ignore_unfixed: number;
}

const COLUMNS = 'reference, manifest_digest, index_digest, scanned_at, critical, high, medium, low, info, vulndb_built_at, vulndb_schema, ignore_unfixed';

function fromRow(r: Row): ScanRecord {
  return {
    reference: r.reference,
    ...(r.manifest_digest !== null && { manifestDigest: r.manifest_digest }),
    ...(r.index_digest !== null && { indexDigest: r.index_digest }),
    scannedAt: new Date(r.scanned_at),
    counts: { critical: r.critical, high: r.high, medium: r.medium, low: r.low, info: r.info },
    ...(r.vulndb_built_at !== null && { vulnDbBuiltAt: r.vulndb_built_at }),
    ...(r.vulndb_schema !== null && { vulnDbSchema: r.vulndb_schema }),
    ...(r.ignore_unfixed === 1 && { ignoreUnfixed: true }),
  };
}

// The native SQLite binding is loaded when a store is opened, not when this module is imported: the webhook
// imports it at start-up and needs it only when a vulnerability gate is configured.
let sqlite: typeof Database | undefined;
const loadSqlite = () => (sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database);

export interface OpenOptions {
  /** Read-only (the webhook's lookups). The file must exist. */
  readonly?: boolean;
  /** How long a statement waits for a lock, in ms (better-sqlite3 blocks the thread meanwhile). Default 2000; the webhook passes a few ms. */
  busyTimeoutMs?: number;
}

export class ScanResultStore {
  private readonly byDigest: Database.Statement<[{ digest: string }], Row>;
  private readonly byReference: Database.Statement<[string], Row>;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    // The newest result wins; a digest may be the manifest's or the index's (pods pin either).
    this.byDigest = db.prepare<[{ digest: string }], Row>(
      `SELECT ${COLUMNS} FROM (
         SELECT ${COLUMNS} FROM results WHERE manifest_digest = @digest
         UNION ALL SELECT ${COLUMNS} FROM results WHERE index_digest = @digest
       ) ORDER BY scanned_at DESC LIMIT 1`,
    );
    this.byReference = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM results WHERE reference = ? ORDER BY scanned_at DESC LIMIT 1`);
  }

  /** Opens (creating it, and its directory, unless read-only) the store at `path`. Errors name the file. */
  static open(path: string, options: OpenOptions = {}): ScanResultStore {
    if (options.readonly && !existsSync(path)) {
      throw new ScanResultsError(path, 'does not exist yet: record a scan with `kubeguard image scan --record IMAGE` first');
    }
    let db: Database.Database | undefined;
    try {
      if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
      const Sqlite = loadSqlite();
      db = new Sqlite(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true, timeout: options.busyTimeoutMs ?? 2000 });
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL'); // durable at checkpoints; a lost last scan is re-run, never misread
        db.exec(DDL);
        db.prepare("INSERT INTO meta (key, value) VALUES ('schemaVersion', ?) ON CONFLICT (key) DO NOTHING").run(SCHEMA_VERSION);
      }
      const version = (db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").get() as { value: string } | undefined)?.value;
      if (version !== SCHEMA_VERSION) throw new Error(`schema version ${version ?? 'missing'}, expected ${SCHEMA_VERSION} (written by another kubeguard version?)`);
      return new ScanResultStore(path, db);
    } catch (e) {
      db?.close();
      if (e instanceof ScanResultsError) throw e;
      throw new ScanResultsError(path, `cannot open: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Stores a scan; it replaces earlier results of the same reference and manifest digest. */
  record(r: ScanRecord): void {
    const { critical, high, medium, low, info } = r.counts;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM results WHERE reference = ? AND manifest_digest IS ?').run(r.reference, r.manifestDigest ?? null);
      this.db
        .prepare(`INSERT INTO results (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(r.reference, r.manifestDigest ?? null, r.indexDigest ?? null, r.scannedAt.getTime(), critical, high, medium, low, info, r.vulnDbBuiltAt ?? null, r.vulnDbSchema ?? null, r.ignoreUnfixed ? 1 : 0);
      this.db.prepare('DELETE FROM pending WHERE reference = ?').run(r.reference);
    })();
  }

  /** The newest result for an image digest (manifest or index), if any. */
  latestByDigest(digest: string): ScanRecord | undefined {
    const row = this.byDigest.get({ digest });
    return row && fromRow(row);
  }

  /** The newest result for a normalised reference, if any. */
  latestByReference(reference: string): ScanRecord | undefined {
    const row = this.byReference.get(reference);
    return row && fromRow(row);
  }

  /** Queues an image for a later `image scan --pending` (once per reference; repeated requests are counted). */
  enqueue(reference: string, at: Date): void {
    this.db
      .prepare('INSERT INTO pending (reference, first_requested_at, last_requested_at, requests) VALUES (@reference, @at, @at, 1) ON CONFLICT (reference) DO UPDATE SET last_requested_at = @at, requests = requests + 1')
      .run({ reference, at: at.getTime() });
  }

  /** Queued images, oldest request first. */
  pending(): PendingScan[] {
    const rows = this.db.prepare('SELECT reference, first_requested_at, last_requested_at, requests FROM pending ORDER BY first_requested_at, reference').all() as {
      reference: string;
      first_requested_at: number;
      last_requested_at: number;
      requests: number;
    }[];
    return rows.map((r) => ({ reference: r.reference, firstRequestedAt: new Date(r.first_requested_at), lastRequestedAt: new Date(r.last_requested_at), requests: r.requests }));
  }

  /** Drops an image from the queue (recording a result does it too). */
  dequeue(reference: string): void {
    this.db.prepare('DELETE FROM pending WHERE reference = ?').run(reference);
  }

  close(): void {
    this.db.close();
  }
}
