/**
 * Keeping the query planner informed: SQLite's `PRAGMA optimize` analyses the tables whose statistics are stale
 * (cheap when nothing changed), so a selective filter such as "new since" uses its index instead of a scan in page
 * order. PostgreSQL's autovacuum does the same by itself.
 */
import { sql } from 'kysely';
import type { Store } from './open.js';

export async function optimizeStore(store: Store): Promise<void> {
  if (store.dialect === 'sqlite') await sql`PRAGMA optimize=0x10002`.execute(store.db);
}
