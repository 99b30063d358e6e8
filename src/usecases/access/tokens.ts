/**
 * API tokens: `kgt_` and 32 random bytes (base64url), shown once at creation. The store keeps only the sha256 of
 * a token — a token has 256 bits of entropy, so a fast hash is enough and lookups stay one indexed read.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../sources/store/open.js';
import { insertToken, listTokens, revokeToken, tokenByHash, touchDue, touchToken } from '../../sources/store/tokens.js';
import { writeAudit } from '../../sources/store/audit.js';
import type { Role } from './roles.js';
import { isRole } from './roles.js';

export const TOKEN_PREFIX = 'kgt_';

export interface Principal {
  /** "token:<id>" or "user:<name>": who did it, for the audit log. */
  id: string;
  name: string;
  role: Role;
  /** An uploader token bound to one cluster. */
  cluster?: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(store: Store, options: { role: Role; name?: string; cluster?: string; now: Date; actor?: string }): Promise<{ id: number; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const name = options.name ?? `${options.role}-token`;
  const id = await insertToken(store, { name, role: options.role, hash: hashToken(token), cluster: options.cluster, createdAt: options.now.getTime() });
  await writeAudit(store.db, { actor: options.actor ?? 'cli', action: 'token.create', target: `token:${id}`, detail: { name, role: options.role, ...(options.cluster && { cluster: options.cluster }) } }, options.now.getTime());
  return { id, token };
}

/** A token as administrators see it (never its value). */
export interface TokenView {
  id: number;
  name: string;
  role: string;
  cluster: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function tokenViews(store: Store): Promise<TokenView[]> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return (await listTokens(store)).map((r) => ({ id: r.id, name: r.name, role: r.role, cluster: r.cluster, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at) }));
}

export async function revokeApiToken(store: Store, id: number, now: Date, actor = 'cli'): Promise<boolean> {
  const done = await revokeToken(store, id, now.getTime());
  if (done) await writeAudit(store.db, { actor, action: 'token.revoke', target: `token:${id}` }, now.getTime());
  return done;
}

/** The principal of a bearer token, or undefined for an unknown, revoked or malformed one. */
export async function authenticateToken(store: Store, token: string, now: Date): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const row = await tokenByHash(store, hashToken(token));
  if (!row || row.revoked_at !== null || !isRole(row.role)) return undefined;
  // the UPDATE is a write transaction even when it changes nothing: only when due
  if (touchDue(row.last_used_at, now.getTime())) await touchToken(store, row.id, now.getTime());
  return { id: `token:${row.id}`, name: row.name, role: row.role, ...(row.cluster !== null && { cluster: row.cluster }) };
}
