/** API tokens: stored as sha256 hashes with a role (and, for uploaders, optionally one cluster). */
import type { Store } from './open.js';

export interface TokenRow {
  id: number;
  name: string;
  role: string;
  cluster: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export async function insertToken(store: Store, t: { name: string; role: string; hash: string; cluster?: string; createdAt: number }): Promise<number> {
  const row = await store.db
    .insertInto('api_tokens')
    .values({ name: t.name, role: t.role, hash: t.hash, cluster: t.cluster ?? null, created_at: t.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function tokenByHash(store: Store, hash: string): Promise<TokenRow | undefined> {
  return store.db.selectFrom('api_tokens').select(['id', 'name', 'role', 'cluster', 'created_at', 'last_used_at', 'revoked_at']).where('hash', '=', hash).executeTakeFirst();
}

export async function listTokens(store: Store): Promise<TokenRow[]> {
  return store.db.selectFrom('api_tokens').select(['id', 'name', 'role', 'cluster', 'created_at', 'last_used_at', 'revoked_at']).orderBy('id').execute();
}

/** Tokens and sessions are marked used at most this often (a busy client must not turn every read into a write). */
export const TOUCH_EVERY_MS = 60_000;

/** Whether a token or session last marked used at `last` is due to be marked again at `at`. */
export const touchDue = (last: number | null, at: number) => last === null || last < at - TOUCH_EVERY_MS;

/** Marks a token used, at most once a minute (a busy uploader must not turn every read into a write). */
export async function touchToken(store: Store, id: number, at: number): Promise<void> {
  await store.db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((e) => e.or([e('last_used_at', 'is', null), e('last_used_at', '<', at - TOUCH_EVERY_MS)]))
    .execute();
}

export async function revokeToken(store: Store, id: number, at: number): Promise<boolean> {
  const r = await store.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
