/**
 * The overview's worst workloads without grouping every open finding per request: each cluster's 10 workloads with
 * the most open findings, worst severities first, kept by store/worst-workloads.ts wherever the open counts per
 * namespace are recounted (uploads, exception decisions, restore).
 */
import { sql } from 'kysely';
import type { SchemaDb } from './types.js';
import { WORST_WORKLOADS_SQL } from '../worst-workloads.js';

export async function worstWorkloads(db: SchemaDb): Promise<void> {
  await db.schema
    .createTable('worst_workloads')
    .addColumn('cluster', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('high', 'integer', (c) => c.notNull())
    .addColumn('medium', 'integer', (c) => c.notNull())
    .addColumn('low', 'integer', (c) => c.notNull())
    .addColumn('info', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('worst_workloads_pk', ['cluster', 'namespace', 'kind', 'name'])
    .execute();
  for (const c of (await sql<{ name: string }>`SELECT name FROM clusters`.execute(db)).rows) await sql`INSERT INTO worst_workloads ${WORST_WORKLOADS_SQL(c.name)}`.execute(db);
}
