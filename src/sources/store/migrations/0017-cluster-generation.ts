/**
 * A counter per cluster that grows with every change of what the overview shows about it (store/ingest.ts
 * recountDay: uploads and exception decisions; retention): the server keeps the overview's answer until the counters move
 * (usecases/history/overview.ts), instead of counting a million findings on every load.
 */
import type { SchemaDb } from './types.js';

export async function clusterGeneration(db: SchemaDb): Promise<void> {
  await db.schema.alterTable('clusters').addColumn('generation', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
}
