/**
 * The overview and search at a million findings. Trends: each day's marker row in daily_counts now holds the day's
 * total, so an unfiltered trend reads one row per cluster and day; open findings by namespace and severity are kept
 * as they change (open_by_namespace), so the worst namespaces are not a count over every open finding. Text search without reading every finding (`q=`
 * on the findings list took 5 s at 1,000,000 findings). SQLite: an FTS5 index with the trigram tokenizer over name, namespace, rule id and message, its content read from
 * the findings table (external content: the text is not stored twice), kept current by ingest and triggers; `detail=none`
 * keeps it at a fifth of a full index and still answers LIKE '%…%' from its trigrams
 * (https://sqlite.org/fts5.html#the_trigram_tokenizer). PostgreSQL: pg_trgm's GIN index over the same four columns
 * (https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX), when the extension is available and may be
 * created; without it search still works, by reading the rows. Either index only proposes candidates: the list
 * keeps the exact condition (findings.ts searchCondition), so results are the same with or without it.
 */
import { sql } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import type { SchemaDb } from './types.js';

const COLUMNS = 'name, namespace, rule_id, message';

export async function overviewSearch(db: SchemaDb, dialect: StoreDialect): Promise<void> {
  await markerTotals(db);
  await namespaceCounts(db);
  if (dialect === 'postgres') return trigramIndex(db);
  const run = (ddl: string) => sql.raw(ddl).execute(db);
  await run(`CREATE VIRTUAL TABLE findings_fts USING fts5(${COLUMNS}, content='findings', content_rowid='rowid', tokenize='trigram', detail='none')`);
  await run(`INSERT INTO findings_fts(findings_fts) VALUES ('rebuild')`);
  const values = (row: 'new' | 'old') => COLUMNS.split(', ').map((c) => `${row}.${c}`).join(', ');
  // new findings are indexed by ingest in one statement (store/ingest.ts): a trigger per inserted row costs
  // ten times as much at a first upload of a large cluster
  await run(`CREATE TRIGGER findings_fts_delete AFTER DELETE ON findings BEGIN
    INSERT INTO findings_fts(findings_fts, rowid, ${COLUMNS}) VALUES ('delete', old.rowid, ${values('old')}); END`);
  // an upload rewrites every message it sees again: only a changed text touches the index
  await run(`CREATE TRIGGER findings_fts_update AFTER UPDATE OF ${COLUMNS} ON findings
    WHEN old.name IS NOT new.name OR old.namespace IS NOT new.namespace OR old.rule_id IS NOT new.rule_id OR old.message IS NOT new.message BEGIN
    INSERT INTO findings_fts(findings_fts, rowid, ${COLUMNS}) VALUES ('delete', old.rowid, ${values('old')});
    INSERT INTO findings_fts(rowid, ${COLUMNS}) VALUES (new.rowid, ${values('new')}); END`);
}

async function trigramIndex(db: SchemaDb): Promise<void> {
  const available = await sql`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`.execute(db);
  if (available.rows.length === 0) return;
  // creating an extension needs the CREATE privilege on the database (pg_trgm is a trusted extension): without it,
  // the migration goes on and search reads the rows
  await sql`SAVEPOINT kubeguard_trgm`.execute(db);
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  } catch {
    await sql`ROLLBACK TO SAVEPOINT kubeguard_trgm`.execute(db);
    return;
  }
  await sql`RELEASE SAVEPOINT kubeguard_trgm`.execute(db);
  await sql.raw(`CREATE INDEX findings_search ON findings USING gin ((${SEARCH_TEXT}) gin_trgm_ops)`).execute(db);
}

/** The indexed text in PostgreSQL: the four columns, so one index serves a search of any of them. */
export const SEARCH_TEXT = `name || ' ' || namespace || ' ' || rule_id || ' ' || message`;

/** Each day's marker row in daily_counts holds the day's total of open findings (it held 0). */
async function markerTotals(db: SchemaDb): Promise<void> {
  await db.schema.createIndex('daily_counts_totals').on('daily_counts').columns(['severity', 'day', 'cluster', 'open']).execute();
  await sql`UPDATE daily_counts SET open = (SELECT COALESCE(SUM(d.open), 0) FROM daily_counts d WHERE d.cluster = daily_counts.cluster AND d.day = daily_counts.day AND d.severity <> '') WHERE severity = ''`.execute(db);
}

/** The open findings of each namespace by severity as of now (the overview's worst namespaces), kept by ingest. */
async function namespaceCounts(db: SchemaDb): Promise<void> {
  await db.schema
    .createTable('open_by_namespace')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('open', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('open_by_namespace_pk', ['cluster', 'namespace', 'severity'])
    .execute();
  await sql`INSERT INTO open_by_namespace (cluster, namespace, severity, open) SELECT cluster, namespace, severity, COUNT(*) FROM findings WHERE status = 'open' GROUP BY cluster, namespace, severity`.execute(db);
}
