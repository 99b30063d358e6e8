/**
 * Building the database, atomically: everything is written to a temporary file next to the target, which
 * replaces the target with one rename only after the import finished and the file was flushed. A failed,
 * interrupted or partial import (damaged zip, I/O error, crash) leaves the previous database as it was.
 *
 * `mode: 'merge'` (default) starts from a copy of the current database and upserts records (a record
 * replaces a stored one with the same id unless the stored one is newer by `modified`); `mode: 'replace'`
 * starts empty (what `db update` does with a full mirror snapshot).
 */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { checkOsvRecord, type OsvRecord } from '../../analysis/vulns/osv.js';
import { ecosystemKey, normalizeName } from '../../analysis/vulns/ecosystems.js';
import type { OsvAffected } from '../../analysis/vulns/osv.js';
import { compactRecord } from './compact.js';
import { VulnDbImportError } from './errors.js';
import { osvEntries } from './osv-reader.js';
import { jsonErrorText } from '../../core/json-error.js';
import { META_KEYS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { computeCounts, VulnDb } from './store.js';

export interface ImportOptions {
  mode?: 'merge' | 'replace';
  /** Build time recorded in the database (passed in: no clock in the importer). */
  now: Date;
  /** Records per transaction. */
  batchSize?: number;
  onProgress?: (imported: number) => void;
  /** What to record as the sources (default: the given paths). */
  sourceLabels?: string[];
}

export interface ImportResult {
  path: string;
  /** Records read and stored (inserted or updated). */
  imported: number;
  /** Records skipped because a newer copy was already stored. */
  skippedOlder: number;
  /** Entries that were not valid OSV JSON (origin and reason); they are skipped, the rest is imported. */
  invalid: { origin: string; reason: string }[];
  advisories: number;
}

let tmpCounter = 0;

/** Affected entries grouped by the (ecosystem key, normalised name) they are looked up under. */
function entriesByKey(affected: OsvAffected[]): Map<string, OsvAffected[]> {
  const out = new Map<string, OsvAffected[]>();
  for (const a of affected) {
    if (!a.package?.ecosystem || !a.package.name) continue;
    const eco = ecosystemKey(a.package.ecosystem);
    const key = `${eco}\u0000${normalizeName(eco, a.package.name)}`;
    const list = out.get(key) ?? [];
    list.push(a);
    out.set(key, list);
  }
  return out;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files left by imports that were killed (their process is gone). */
function removeStaleTemps(dbPath: string): void {
  const prefix = `.${basename(dbPath)}.`;
  for (const name of readdirSync(dirname(dbPath))) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) rmSync(join(dirname(dbPath), name), { force: true });
  }
}

/** Imports OSV records from files, zips or directories into the database at `dbPath`. */
export async function importOsv(dbPath: string, sources: string[], options: ImportOptions): Promise<ImportResult> {
  for (const s of sources) if (!existsSync(s)) throw new VulnDbImportError(`import source not found: ${s}`);
  mkdirSync(dirname(dbPath), { recursive: true });
  removeStaleTemps(dbPath);
  const tmp = join(dirname(dbPath), `.${basename(dbPath)}.${process.pid}.${Date.now().toString(36)}${tmpCounter++}.tmp`);
  const mode = options.mode ?? 'merge';
  let db: Database.Database | undefined;
  try {
    let previousSources: string[] = [];
    if (mode === 'merge' && existsSync(dbPath)) {
      // Validate the current database before building on it (a corrupt one is reported, not merged into).
      const current = VulnDb.open(dbPath);
      previousSources = current.status().sources;
      current.close();
      copyFileSync(dbPath, tmp);
      db = new Database(tmp);
    } else {
      db = new Database(tmp);
      db.exec(SCHEMA_SQL);
    }
    // The temporary file is thrown away on any failure, so it needs no journal.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    // Keys arrive in random order: a large page cache keeps B-tree inserts from thrashing (bounded: 128 MB).
    db.pragma('cache_size = -131072');

    const getModified = db.prepare<[string], { modified: string | null }>('SELECT modified FROM advisories WHERE id = ?');
    const delAffected = db.prepare('DELETE FROM affected WHERE advisory_id = ?');
    const putAdvisory = db.prepare('INSERT OR REPLACE INTO advisories (id, modified, withdrawn, json) VALUES (?, ?, ?, ?)');
    const putAffected = db.prepare('INSERT OR REPLACE INTO affected (ecosystem, name, advisory_id, header, entries) VALUES (?, ?, ?, ?, ?)');
    const store = (r: OsvRecord): boolean => {
      const prev = getModified.get(r.id);
      if (prev && prev.modified && r.modified && prev.modified > r.modified) return false;
      if (prev) delAffected.run(r.id);
      const { affected, ...header } = compactRecord(r);
      const headerJson = JSON.stringify(header);
      putAdvisory.run(r.id, r.modified ?? null, r.withdrawn ? 1 : 0, headerJson);
      for (const [key, entries] of entriesByKey(affected ?? [])) {
        const [eco, name] = key.split('\u0000');
        putAffected.run(eco, name, r.id, headerJson, JSON.stringify(entries));
      }
      return true;
    };

    const result: ImportResult = { path: dbPath, imported: 0, skippedOlder: 0, invalid: [], advisories: 0 };
    const batchSize = options.batchSize ?? 5000;
    let inBatch = 0;
    db.exec('BEGIN');
    for (const source of sources) {
      for await (const entry of osvEntries(source)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(entry.text);
        } catch {
          result.invalid.push({ origin: entry.origin, reason: jsonErrorText(entry.text) });
          continue;
        }
        // osv.dev exports are one record per file; accept arrays too (some mirrors bundle them).
        for (const value of Array.isArray(parsed) ? parsed : [parsed]) {
          const checked = checkOsvRecord(value);
          if (!checked.ok) {
            result.invalid.push({ origin: entry.origin, reason: checked.id ? `${checked.id}: ${checked.problem}` : `not an OSV record: ${checked.problem}` });
            continue;
          }
          if (store(checked.record)) result.imported++;
          else result.skippedOlder++;
          if (++inBatch >= batchSize) {
            db.exec('COMMIT');
            options.onProgress?.(result.imported);
            db.exec('BEGIN');
            inBatch = 0;
          }
        }
      }
    }
    db.exec('COMMIT');
    // Nothing valid read: the database is left as it was (a failed --replace must never leave an empty one).
    if (result.imported + result.skippedOlder === 0) {
      throw new VulnDbImportError(`no valid OSV record in ${sources.join(', ')}${result.invalid.length ? ` (${result.invalid.length} invalid entries: ${result.invalid.slice(0, 3).map((i) => `${i.origin}: ${i.reason}`).join('; ')})` : ''}`);
    }
    const counts = computeCounts(db);
    result.advisories = counts.advisories;
    const putMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    putMeta.run(META_KEYS.schemaVersion, SCHEMA_VERSION);
    putMeta.run(META_KEYS.builtAt, options.now.toISOString());
    putMeta.run(META_KEYS.sources, JSON.stringify([...new Set([...previousSources, ...(options.sourceLabels ?? sources)])]));
    putMeta.run(META_KEYS.counts, JSON.stringify(counts));
    db.pragma('journal_mode = DELETE');
    db.close();
    db = undefined;
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, dbPath);
    return result;
  } catch (e) {
    try {
      db?.close();
    } catch {
      // already closed or unusable: the file is removed below anyway
    }
    rmSync(tmp, { force: true });
    if (e instanceof VulnDbImportError) throw e;
    if (e instanceof Error && e.name === 'VulnDbCorruptError') throw e;
    throw new VulnDbImportError(`import failed: ${(e as Error).message}`, { cause: e });
  }
}
