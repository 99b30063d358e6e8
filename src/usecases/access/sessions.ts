/**
 * Sign-in with a password and the server-side sessions behind the dashboard's cookie.
 *
 * - A session id is 32 random bytes; the store keeps only its sha256, so a copy of the database opens no session.
 * - Every sign-in creates a new id and ends the session the client presented, if any (no session fixation: an id
 *   is never made valid by signing in; only ids the server itself issued at sign-in are accepted).
 * - A session ends after `idleMs` without requests or `maxMs` after sign-in, at sign-out, at a new password, and
 *   when its user is disabled.
 * - The CSRF token of a session is derived from its id (sha256 of a label and the id): the page learns it from the
 *   sign-in answer or GET /api/v1/session and sends it in `X-CSRF-Token` with every state-changing request; a page of
 *   another site can neither read the HttpOnly cookie nor the answers, so it cannot produce the token.
 * - Failed sign-ins are counted per account and per client address in the store (one count across replicas); past
 *   the limit within the window, sign-in is refused without checking the password until the window ends. Unknown
 *   names are checked against a decoy hash and counted like known ones, so neither answers nor timing tell which
 *   names exist.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeAudit } from '../../sources/store/audit.js';
import type { Store } from '../../sources/store/open.js';
import { touchDue } from '../../sources/store/tokens.js';
import {
  clearLoginFailures,
  countLoginFailure,
  deleteOldLoginFailures,
  deleteSession,
  deleteStaleSessions,
  insertSession,
  loginFailures,
  sessionByHash,
  touchSession,
  updateUser,
  userByName,
} from '../../sources/store/users.js';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import type { Principal } from './tokens.js';
import { isRole } from './roles.js';
import { normalizeUserName, setPassword } from './users.js';

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export const SESSION_DEFAULTS: SessionPolicy = { idleMs: 60 * 60_000, maxMs: 12 * 60 * 60_000 };

export interface LoginLimits {
  windowMs: number;
  perAccount: number;
  perAddress: number;
}

export const LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 30 };

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const hashId = (id: string) => sha256(id).toString('hex');

export function csrfToken(sessionId: string): string {
  return sha256(`kubeguard-csrf\0${sessionId}`).toString('base64url');
}

export function csrfMatches(sessionId: string, presented: string | undefined): boolean {
  if (!presented || presented.length > 100) return false;
  const want = Buffer.from(csrfToken(sessionId));
  const got = Buffer.from(presented);
  return want.length === got.length && timingSafeEqual(want, got);
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface SessionPrincipal extends Principal {
  /** When the session ends at the latest. */
  expiresAt: Date;
}

/** The principal of a session id from a cookie, or undefined (unknown, malformed, idle too long, past its end). */
export async function authenticateSession(store: Store, sessionId: string, now: Date, policy: SessionPolicy = SESSION_DEFAULTS): Promise<SessionPrincipal | undefined> {
  if (!SESSION_ID.test(sessionId)) return undefined;
  const idHash = hashId(sessionId);
  const s = await sessionByHash(store, idHash);
  const t = now.getTime();
  if (!s || !isRole(s.role)) return undefined;
  if (s.expiresAt <= t || s.lastSeenAt <= t - policy.idleMs) {
    await deleteSession(store, idHash);
    return undefined;
  }
  if (touchDue(s.lastSeenAt, t)) await touchSession(store, idHash, t);
  return { id: `user:${s.name}`, name: s.name, role: s.role, expiresAt: new Date(Math.min(s.expiresAt, t + policy.idleMs)) };
}

export type LoginResult =
  | { ok: true; sessionId: string; csrfToken: string; principal: SessionPrincipal }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export interface LoginRequest {
  name: string;
  password: string;
  remote: string;
  /** The session id the client presented with the sign-in, if any: it ends. */
  presentedSessionId?: string;
  now: Date;
  policy?: SessionPolicy;
  limits?: LoginLimits;
}

/** Seconds until sign-in may be tried again when a key is past its limit in the current window, else undefined. */
async function throttled(store: Store, limits: [key: string, limit: number][], t: number, windowMs: number): Promise<number | undefined> {
  const counts = await loginFailures(store, limits.map(([k]) => k), t - windowMs);
  const waits = limits.flatMap(([key, limit]) => {
    const c = counts.get(key);
    return c && c.failures >= limit ? [c.windowStart + windowMs - t] : [];
  });
  return waits.length ? Math.max(1, Math.ceil(Math.max(...waits) / 1000)) : undefined;
}

export async function login(store: Store, r: LoginRequest): Promise<LoginResult> {
  const policy = r.policy ?? SESSION_DEFAULTS;
  const limits = r.limits ?? LOGIN_LIMITS;
  const t = r.now.getTime();
  const name = normalizeUserName(r.name);
  const accountKey = `account:${name ?? r.name.trim().toLowerCase().slice(0, 200)}`;
  const addressKey = `address:${r.remote}`;
  const wait = await throttled(store, [[accountKey, limits.perAccount], [addressKey, limits.perAddress]], t, limits.windowMs);
  if (wait !== undefined) return { ok: false, reason: 'throttled', retryAfterSeconds: wait };

  const user = name ? await userByName(store, name) : undefined;
  const good = await verifyPassword(r.password, user?.password_hash ?? (await decoyHash()));
  if (!user || !good || user.disabled_at !== null || !isRole(user.role)) {
    await countLoginFailure(store, [accountKey, addressKey], t, limits.windowMs);
    await writeAudit(store.db, { actor: user ? `user:${user.name}` : 'anonymous', action: 'user.login-failed', detail: { reason: !user ? 'unknown user' : user.disabled_at !== null && good ? 'disabled' : 'wrong password' }, remote: r.remote }, t);
    return { ok: false, reason: 'invalid' };
  }
  await clearLoginFailures(store, accountKey);
  if (r.presentedSessionId && SESSION_ID.test(r.presentedSessionId)) await deleteSession(store, hashId(r.presentedSessionId));
  const sessionId = randomBytes(32).toString('base64url');
  const expiresAt = t + policy.maxMs;
  await insertSession(store, { idHash: hashId(sessionId), userId: user.id, at: t, expiresAt, remote: r.remote });
  await updateUser(store, user.id, { last_login_at: t, ...(needsRehash(user.password_hash) && { password_hash: await hashPassword(r.password) }) });
  await writeAudit(store.db, { actor: `user:${user.name}`, action: 'user.login', remote: r.remote }, t);
  return { ok: true, sessionId, csrfToken: csrfToken(sessionId), principal: { id: `user:${user.name}`, name: user.name, role: user.role, expiresAt: new Date(Math.min(expiresAt, t + policy.idleMs)) } };
}

export async function logout(store: Store, sessionId: string, who: Principal, now: Date, remote?: string): Promise<void> {
  if (!SESSION_ID.test(sessionId)) return;
  if (await deleteSession(store, hashId(sessionId))) await writeAudit(store.db, { actor: who.id, action: 'user.logout', remote }, now.getTime());
}

/** A signed-in user's own new password, after the current one (wrong ones count as failed sign-ins). */
export async function changeOwnPassword(
  store: Store,
  r: { name: string; current: string; password: string; remote: string; now: Date; limits?: LoginLimits },
): Promise<{ outcome: 'changed' | 'wrong' } | { outcome: 'throttled'; retryAfterSeconds: number }> {
  const limits = r.limits ?? LOGIN_LIMITS;
  const t = r.now.getTime();
  const accountKey = `account:${r.name}`;
  const wait = await throttled(store, [[accountKey, limits.perAccount]], t, limits.windowMs);
  if (wait !== undefined) return { outcome: 'throttled', retryAfterSeconds: wait };
  const user = await userByName(store, r.name);
  if (!user || !(await verifyPassword(r.current, user.password_hash))) {
    await countLoginFailure(store, [accountKey, `address:${r.remote}`], t, limits.windowMs);
    return { outcome: 'wrong' };
  }
  await setPassword(store, { name: r.name, password: r.password, now: r.now, actor: `user:${r.name}`, remote: r.remote });
  return { outcome: 'changed' };
}

/** The scheduled clean-up: sessions past their end or idle too long, and failure counts of ended windows. */
export async function endStaleSessions(store: Store, now: Date): Promise<{ sessions: number; loginFailures: number }> {
  const t = now.getTime();
  return { sessions: await deleteStaleSessions(store, t, SESSION_DEFAULTS.idleMs), loginFailures: await deleteOldLoginFailures(store, t - LOGIN_LIMITS.windowMs) };
}
