/**
 * The on-disk advisory store (SQLite through better-sqlite3), opened read-only for scanning. Implements the
 * matcher's AdvisorySource: each lookup is one indexed query for one (ecosystem, name).
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { OsvRecord } from '../../analysis/vulns/osv.js';
import type { AdvisorySource } from '../../analysis/vulns/source.js';
import { VulnDbCorruptError, VulnDbEmptyError, VulnDbMissingError } from './errors.js';
import { META_KEYS, SCHEMA_VERSION } from './schema.js';

export interface EcosystemCount {
  /** Base ecosystem: "Debian", "Alpine", "npm", … */
  ecosystem: string;
  /** Distinct advisories with an affected entry in it. */
  advisories: number;
  /** Distinct (release, package) keys. */
  packages: number;
}

export interface VulnDbStatus {
  path: string;
  schemaVersion: string;
  /** When the database was built (ISO 8601). */
  builtAt: string;
  /** Age in milliseconds relative to the `now` the caller passed. */
  ageMs?: number;
  sources: string[];
  advisories: number;
  withdrawn: number;
  byEcosystem: EcosystemCount[];
  sizeBytes: number;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function checkHeader(path: string): void {
  const size = statSync(path).size;
  if (size < 100) throw new VulnDbCorruptError(path, `file too small (${size} bytes)`);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_MAGIC) throw new VulnDbCorruptError(path, 'not an SQLite file');
  } finally {
    closeSync(fd);
  }
}

export class VulnDb implements AdvisorySource {
  private readonly lookup: Database.Statement<[string, string], unknown[]>;
  private readonly anyFor: Database.Statement<[string], unknown>;
  private readonly covered = new Map<string, boolean>();

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    this.lookup = db.prepare<[string, string], unknown[]>('SELECT header, entries FROM affected WHERE ecosystem = ? AND name = ?').raw();
    this.anyFor = db.prepare<[string], unknown>('SELECT 1 FROM affected WHERE ecosystem = ? LIMIT 1');
  }

  covers(ecosystem: string): boolean {
    let known = this.covered.get(ecosystem);
    if (known === undefined) this.covered.set(ecosystem, (known = this.anyFor.get(ecosystem) !== undefined));
    return known;
  }

  /** Opens an existing database read-only. Throws VulnDbMissingError / VulnDbCorruptError with a clear message. */
  static open(path: string): VulnDb {
    if (!existsSync(path)) throw new VulnDbMissingError(path);
    checkHeader(path);
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(META_KEYS.schemaVersion) as { value: string } | undefined;
      if (!row) throw new VulnDbCorruptError(path, 'no schema version');
      if (row.value !== SCHEMA_VERSION) throw new VulnDbCorruptError(path, `written by another kubeguard version: schema ${row.value}, expected ${SCHEMA_VERSION}`);
      if (!db.prepare('SELECT 1 FROM advisories LIMIT 1').get()) throw new VulnDbEmptyError(path);
      return new VulnDb(path, db);
    } catch (e) {
      db?.close();
      if (e instanceof VulnDbCorruptError || e instanceof VulnDbEmptyError) throw e;
      throw new VulnDbCorruptError(path, (e as Error).message, { cause: e });
    }
  }

  /** The records indexed under this key, each carrying only its affected entries for this key. */
  advisoriesFor(ecosystem: string, name: string): OsvRecord[] {
    try {
      return this.lookup.all(ecosystem, name).map((row) => {
        const record = JSON.parse(row[0] as string) as OsvRecord;
        record.affected = JSON.parse(row[1] as string) as OsvRecord['affected'];
        return record;
      });
    } catch (e) {
      throw new VulnDbCorruptError(this.path, (e as Error).message, { cause: e });
    }
  }

  private meta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  /** Age, counts per ecosystem, size. `now` is passed in (no clock here). */
  status(now?: Date): VulnDbStatus {
    const builtAt = this.meta(META_KEYS.builtAt) ?? '';
    const counts = JSON.parse(this.meta(META_KEYS.counts) ?? '{}') as { advisories?: number; withdrawn?: number; byEcosystem?: EcosystemCount[] };
    const built = Date.parse(builtAt);
    return {
      path: this.path,
      schemaVersion: this.meta(META_KEYS.schemaVersion) ?? '',
      builtAt,
      ageMs: now && Number.isFinite(built) ? now.getTime() - built : undefined,
      sources: JSON.parse(this.meta(META_KEYS.sources) ?? '[]') as string[],
      advisories: counts.advisories ?? 0,
      withdrawn: counts.withdrawn ?? 0,
      byEcosystem: counts.byEcosystem ?? [],
      sizeBytes: statSync(this.path).size,
    };
  }

  /** A warning when the database is older than `maxAgeMs` at `now`, else undefined. */
  staleWarning(now: Date, maxAgeMs: number): string | undefined {
    const s = this.status(now);
    if (s.ageMs === undefined) return `vulnerability database ${this.path} has no build time; rebuild it`;
    if (s.ageMs <= maxAgeMs) return undefined;
    const days = Math.floor(s.ageMs / 86_400_000);
    return `vulnerability database is ${days} day(s) old (built ${s.builtAt}); run \`kubeguard db update\` (or import a fresh OSV export)`;
  }

  /** SQLite's own consistency check (reads the whole file: for `db status --check`, not for scans). */
  integrityCheck(): string[] {
    const rows = this.db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
    const msgs = rows.map((r) => r.quick_check);
    return msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs;
  }

  close(): void {
    this.db.close();
  }
}

/** Counts stored at build time so `status` is instant. */
export function computeCounts(db: Database.Database): { advisories: number; withdrawn: number; byEcosystem: EcosystemCount[] } {
  const advisories = (db.prepare('SELECT COUNT(*) AS n FROM advisories').get() as { n: number }).n;
  const withdrawn = (db.prepare('SELECT COUNT(*) AS n FROM advisories WHERE withdrawn = 1').get() as { n: number }).n;
  const byEcosystem = db
    .prepare(
      `SELECT CASE WHEN instr(ecosystem, ':') > 0 THEN substr(ecosystem, 1, instr(ecosystem, ':') - 1) ELSE ecosystem END AS ecosystem,
              COUNT(DISTINCT advisory_id) AS advisories, COUNT(DISTINCT ecosystem || ':' || name) AS packages
         FROM affected GROUP BY 1 ORDER BY 1`,
    )
    .all() as EcosystemCount[];
  return { advisories, withdrawn, byEcosystem };
}
