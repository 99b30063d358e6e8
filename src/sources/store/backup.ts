/**
 * Backup and restore of the server store, the same for both databases (and so a way from SQLite to PostgreSQL):
 * a gzip stream of JSON lines — a header naming the schema's migrations, then one line per row, table by table.
 * The export reads one consistent snapshot (one transaction, REPEATABLE READ on PostgreSQL) page by page in key
 * order, never the whole table at once. The restore goes into an empty store in one transaction: a bad or
 * truncated file leaves the store as it was.
 */
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { KubeguardError } from '../../core/errors.js';
import { lines } from '../upload/read.js';
import type { Store } from './open.js';
import { rebuildFlow } from './flow-counts.js';
import { recountOpenByNamespace } from './ingest.js';
import { MIGRATIONS } from './migrations/index.js';

export class BackupError extends KubeguardError {}

/**
 * Every table with its key, in an order that restores cleanly. Transient tables are left out: job_leases, sessions
 * and login_failures (a restored store signs everyone out).
 */
export const BACKUP_TABLES: readonly { table: string; key: string[]; serial?: boolean }[] = [
  { table: 'clusters', key: ['name'] },
  { table: 'uploads', key: ['cluster', 'key'] },
  { table: 'findings', key: ['cluster', 'fingerprint'] },
  { table: 'daily_counts', key: ['cluster', 'day', 'namespace', 'rule_id', 'severity'] },
  { table: 'api_tokens', key: ['id'], serial: true },
  { table: 'exceptions', key: ['id'], serial: true },
  { table: 'events', key: ['id'], serial: true },
  { table: 'deliveries', key: ['event_id', 'channel'] },
  { table: 'digests', key: ['channel', 'recipient', 'period_start'] },
  { table: 'audit_log', key: ['id'], serial: true },
  { table: 'incidents', key: ['cluster', 'id'] },
  { table: 'users', key: ['id'], serial: true },
  { table: 'runtime_baselines', key: ['cluster'] },
  { table: 'baseline_workloads', key: ['cluster', 'namespace', 'workload'] },
  { table: 'compliance_scores', key: ['cluster', 'framework', 'scanned_at'] },
  // not backed up: what is derived from the tables above (rebuilt at restore: flow_counts, open_by_namespace, worst_workloads, the
  // search index) and each cluster's inventory (the graphs of its last whole-cluster scan, sent again by the next)
];

const PAGE = 5000;
const FORMAT = 1;

type Row = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

async function* tableRows(db: AnyDb, table: string, key: string[]): AsyncGenerator<Row> {
  let after: unknown[] | undefined;
  const cols = sql.join(key.map((k) => sql.ref(k)));
  for (;;) {
    const where = after ? sql`WHERE (${cols}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``;
    const rows = (await sql<Row>`SELECT * FROM ${sql.table(table)} ${where} ORDER BY ${cols} LIMIT ${PAGE}`.execute(db)).rows;
    for (const r of rows) yield r;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = key.map((k) => last[k]);
  }
}

/** Writes a backup to `file` (through a temporary file: an interrupted backup leaves no half file behind). */
export async function backupStore(store: Store, file: string, now: Date): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const tmp = `${file}.partial-${process.pid}`;
  try {
    await store.db
      .transaction()
      .setIsolationLevel(store.dialect === 'postgres' ? 'repeatable read' : 'serializable')
      .execute(async (trx) => {
        async function* text(): AsyncGenerator<string> {
          yield JSON.stringify({ kubeguardBackup: FORMAT, migrations: Object.keys(MIGRATIONS), createdAt: now.toISOString() }) + '\n';
          for (const t of BACKUP_TABLES) {
            counts[t.table] = 0;
            for await (const row of tableRows(trx as AnyDb, t.table, t.key)) {
              counts[t.table]++;
              yield JSON.stringify({ t: t.table, r: row }) + '\n';
            }
          }
          yield JSON.stringify({ end: counts }) + '\n';
        }
        await pipeline(Readable.from(text()), createGzip(), createWriteStream(tmp, { mode: 0o600 }));
      });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return counts;
}

/** Restores a backup into an empty store (refused otherwise), all or nothing. */
export async function restoreStore(store: Store, file: string): Promise<Record<string, number>> {
  const known = new Map(BACKUP_TABLES.map((t) => [t.table, t]));
  for (const t of BACKUP_TABLES) {
    const n = Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(t.table)}`.execute(store.db)).rows[0].n);
    if (n > 0) throw new BackupError(`the store is not empty (${t.table} has ${n} rows): restore into a new database`);
  }
  const counts: Record<string, number> = {};
  await store.db.transaction().execute(async (trx) => {
    const it = lines(createReadStream(file).pipe(createGunzip()), { maxLineBytes: 16 << 20, maxRecords: 1e9, maxBytes: 64 * 1024 ** 3 });
    const first = await it.next();
    const header = first.done ? undefined : (JSON.parse(first.value) as { kubeguardBackup?: number; migrations?: string[] });
    if (header?.kubeguardBackup !== FORMAT || !Array.isArray(header.migrations)) throw new BackupError(`${file} is not a kubeguard server backup`);
    const unknown = header.migrations.filter((m) => !(m in MIGRATIONS));
    if (unknown.length) throw new BackupError(`the backup comes from a newer kubeguard (migrations ${unknown.join(', ')})`);
    let batch: Row[] = [];
    let table = '';
    const flush = async () => {
      if (batch.length) await (trx as AnyDb).insertInto(table).values(batch).execute();
      batch = [];
    };
    let ended = false;
    let n = 1;
    for await (const l of it) {
      n++;
      if (!l.trim()) continue;
      const v = JSON.parse(l) as { t?: string; r?: Row; end?: Record<string, number> };
      if (v.end) {
        await flush();
        for (const [t, c] of Object.entries(v.end)) if ((counts[t] ?? 0) !== c) throw new BackupError(`${file}: ${t} has ${counts[t] ?? 0} rows, the backup says ${c}`);
        ended = true;
        break;
      }
      if (!v.t || !known.has(v.t) || !v.r || typeof v.r !== 'object') throw new BackupError(`${file} line ${n}: not a row of a known table`);
      if (v.t !== table) {
        await flush();
        table = v.t;
      }
      counts[table] = (counts[table] ?? 0) + 1;
      batch.push(v.r);
      if (batch.length >= 500) await flush();
    }
    if (!ended) throw new BackupError(`${file} ends before its end record (truncated)`);
    // derived from the findings, so not in the backup
    await rebuildFlow(trx);
    await recountOpenByNamespace(trx);
    // SQLite's search index holds its own copy of the findings' text (migration 0008; PostgreSQL's is a plain index)
    if (store.dialect === 'sqlite') await sql`INSERT INTO findings_fts(findings_fts) VALUES ('rebuild')`.execute(trx);
    if (store.dialect === 'postgres') {
      for (const t of BACKUP_TABLES.filter((x) => x.serial)) {
        await sql`SELECT setval(pg_get_serial_sequence(${t.table}, 'id'), COALESCE((SELECT MAX(id) FROM ${sql.table(t.table)}), 0) + 1, false)`.execute(trx);
      }
    }
  });
  return counts;
}
