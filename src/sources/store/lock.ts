/**
 * Scheduled work runs on one replica at a time. PostgreSQL: a session advisory lock on a dedicated connection
 * (released by the database if the replica dies). SQLite: a lease row with an expiry (several processes may
 * share one file). `withJobLock` answers false, without waiting, when another holder has the lock.
 */
import { sql } from 'kysely';
import type { Store } from './open.js';

/** Advisory locks are keyed by two int4s: kubeguard's namespace and a hash of the job's name. */
const NAMESPACE = 0x6b67_7264; // "kgrd"

function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

export async function withJobLock(store: Store, name: string, holder: string, leaseMs: number, now: () => number, fn: () => Promise<void>): Promise<boolean> {
  if (store.dialect === 'postgres') {
    return store.db.connection().execute(async (conn) => {
      const key = fnv1a32(name);
      const got = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${NAMESPACE}, ${key}) AS locked`.execute(conn);
      if (!got.rows[0]?.locked) return false;
      try {
        await fn();
      } finally {
        await sql`SELECT pg_advisory_unlock(${NAMESPACE}, ${key})`.execute(conn);
      }
      return true;
    });
  }
  const t = now();
  const r = await store.db
    .insertInto('job_leases')
    .values({ name, holder, until: t + leaseMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, until: t + leaseMs })
        .where((e) => e.or([e('job_leases.until', '<', t), e('job_leases.holder', '=', holder)])),
    )
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  try {
    await fn();
  } finally {
    await store.db.updateTable('job_leases').set({ until: 0 }).where('name', '=', name).where('holder', '=', holder).execute();
  }
  return true;
}
