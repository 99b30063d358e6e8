/** Users, their sessions and failed-login counters, as rows. Session ids are stored only as sha256 hashes. */
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Store } from './open.js';
import type { UserTable } from './schema.js';
import { TOUCH_EVERY_MS } from './tokens.js';

/** A user as read (kysely's Selectable: the generated id is a number once read). */
export type UserRow = Selectable<UserTable>;

const USER_COLUMNS = ['id', 'name', 'role', 'password_hash', 'created_at', 'password_changed_at', 'last_login_at', 'disabled_at'] as const;

function userRow(r: UserRow): UserRow {
  return { ...r, id: Number(r.id) };
}

export async function insertUser(store: Store, u: { name: string; role: string; passwordHash: string; at: number }): Promise<number> {
  const row = await store.db
    .insertInto('users')
    .values({ name: u.name, role: u.role, password_hash: u.passwordHash, created_at: u.at, password_changed_at: u.at })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : 0;
}

export async function userByName(store: Store, name: string): Promise<UserRow | undefined> {
  const r = await store.db.selectFrom('users').select(USER_COLUMNS).where('name', '=', name).executeTakeFirst();
  return r && userRow(r);
}

export async function listUsers(store: Store): Promise<UserRow[]> {
  return (await store.db.selectFrom('users').select(USER_COLUMNS).orderBy('name').execute()).map(userRow);
}

export async function updateUser(store: Store, id: number, set: { password_hash?: string; password_changed_at?: number; role?: string; disabled_at?: number | null; last_login_at?: number }): Promise<void> {
  await store.db.updateTable('users').set(set).where('id', '=', id).execute();
}

export interface SessionUser {
  userId: number;
  name: string;
  role: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** The session with this id hash and its user, if the user is not disabled. */
export async function sessionByHash(store: Store, idHash: string): Promise<SessionUser | undefined> {
  const r = await store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id as userId', 'users.name', 'users.role', 'sessions.created_at as createdAt', 'sessions.last_seen_at as lastSeenAt', 'sessions.expires_at as expiresAt'])
    .where('sessions.id_hash', '=', idHash)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return r && { ...r, userId: Number(r.userId) };
}

export async function insertSession(store: Store, s: { idHash: string; userId: number; at: number; expiresAt: number; remote?: string }): Promise<void> {
  await store.db.insertInto('sessions').values({ id_hash: s.idHash, user_id: s.userId, created_at: s.at, last_seen_at: s.at, expires_at: s.expiresAt, remote: s.remote ?? null }).execute();
}

/** Marks a session seen, at most once a minute (a busy dashboard must not turn every read into a write). */
export async function touchSession(store: Store, idHash: string, at: number): Promise<void> {
  await store.db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).where('last_seen_at', '<', at - TOUCH_EVERY_MS).execute();
}

export async function deleteSession(store: Store, idHash: string): Promise<boolean> {
  const r = await store.db.deleteFrom('sessions').where('id_hash', '=', idHash).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteUserSessions(store: Store, userId: number): Promise<number> {
  const r = await store.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Sessions past their absolute end or idle longer than `idleMs`. */
export async function deleteStaleSessions(store: Store, now: number, idleMs: number): Promise<number> {
  const r = await store.db
    .deleteFrom('sessions')
    .where((e) => e.or([e('expires_at', '<=', now), e('last_seen_at', '<=', now - idleMs)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Failures counted under `key` in the window that started at or after `windowStart`. */
export async function loginFailures(store: Store, keys: string[], windowStart: number): Promise<Map<string, { failures: number; windowStart: number }>> {
  const rows = await store.db.selectFrom('login_failures').select(['key', 'failures', 'window_start']).where('key', 'in', keys).where('window_start', '>', windowStart).execute();
  return new Map(rows.map((r) => [r.key, { failures: Number(r.failures), windowStart: Number(r.window_start) }]));
}

/** One more failure under each key, in one statement each (atomic across replicas); a window that ended restarts. */
export async function countLoginFailure(store: Store, keys: string[], at: number, windowMs: number): Promise<void> {
  for (const key of keys) {
    await store.db
      .insertInto('login_failures')
      .values({ key, failures: 1, window_start: at })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql`CASE WHEN login_failures.window_start <= ${at - windowMs} THEN 1 ELSE login_failures.failures + 1 END`,
          window_start: sql`CASE WHEN login_failures.window_start <= ${at - windowMs} THEN ${at} ELSE login_failures.window_start END`,
        }),
      )
      .execute();
  }
}

export async function clearLoginFailures(store: Store, key: string): Promise<void> {
  await store.db.deleteFrom('login_failures').where('key', '=', key).execute();
}

export async function deleteOldLoginFailures(store: Store, before: number): Promise<number> {
  const r = await store.db.deleteFrom('login_failures').where('window_start', '<=', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
