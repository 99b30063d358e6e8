/**
 * People who sign in to the server (the dashboard, the API with a session cookie): a lower-case name, one role
 * (viewer, approver, admin — machines use tokens), a scrypt password hash. A new password or disabling a user ends
 * every session the user has. Every change is in the audit log.
 */
import { writeAudit } from '../../sources/store/audit.js';
import type { Store } from '../../sources/store/open.js';
import type { UserRow } from '../../sources/store/users.js';
import { deleteUserSessions, insertUser, listUsers, updateUser, userByName } from '../../sources/store/users.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { UsageError } from '../../core/errors.js';
import { hashPassword, passwordProblem } from './passwords.js';
import type { Role } from './roles.js';

export const USER_ROLES = ['viewer', 'approver', 'admin'] as const satisfies readonly Role[];
export type UserRole = (typeof USER_ROLES)[number];

const NAME = /^[a-z0-9](?:[a-z0-9._@-]{0,62}[a-z0-9])?$/;

/** A user name as stored: trimmed, lower case; undefined when it is not a valid name. */
export function normalizeUserName(name: string): string | undefined {
  const n = name.trim().toLowerCase();
  return NAME.test(n) ? n : undefined;
}

function validName(name: string): string {
  const n = normalizeUserName(name);
  if (!n) throw new UsageError('a user name is 1 to 64 characters: letters, digits, . _ @ - (starting and ending with a letter or digit)');
  return n;
}

function validPassword(password: string, name: string): void {
  const problem = passwordProblem(password, name);
  if (problem) throw new UsageError(problem);
}

export interface UserView {
  name: string;
  role: string;
  createdAt: string;
  passwordChangedAt: string;
  lastLoginAt: string | null;
  disabled: boolean;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function userView(u: UserRow): UserView {
  return { name: u.name, role: u.role, createdAt: iso(u.created_at)!, passwordChangedAt: iso(u.password_changed_at)!, lastLoginAt: iso(u.last_login_at), disabled: u.disabled_at !== null };
}

async function existing(store: Store, name: string): Promise<UserRow> {
  const u = await userByName(store, validName(name));
  if (!u) throw new NotFoundError(`no user named ${name}`);
  return u;
}

export async function createUser(store: Store, o: { name: string; role: UserRole; password: string; now: Date; actor?: string; remote?: string }): Promise<UserView> {
  const name = validName(o.name);
  validPassword(o.password, name);
  const at = o.now.getTime();
  const id = await insertUser(store, { name, role: o.role, passwordHash: await hashPassword(o.password), at });
  if (!id) throw new ConflictError(`a user named ${name} exists`);
  await writeAudit(store.db, { actor: o.actor ?? 'cli', action: 'user.create', target: `user:${name}`, detail: { role: o.role }, remote: o.remote }, at);
  return userView((await userByName(store, name))!);
}

/** A new password; every session of the user ends. */
export async function setPassword(store: Store, o: { name: string; password: string; now: Date; actor?: string; remote?: string }): Promise<number> {
  const u = await existing(store, o.name);
  validPassword(o.password, u.name);
  const at = o.now.getTime();
  await updateUser(store, u.id, { password_hash: await hashPassword(o.password), password_changed_at: at });
  const ended = await deleteUserSessions(store, u.id);
  await writeAudit(store.db, { actor: o.actor ?? 'cli', action: 'user.password', target: `user:${u.name}`, detail: { sessionsEnded: ended }, remote: o.remote }, at);
  return ended;
}

/** Disables (or enables again) a user; disabling ends every session of the user. */
export async function setUserDisabled(store: Store, o: { name: string; disabled: boolean; now: Date; actor?: string; remote?: string }): Promise<number> {
  const u = await existing(store, o.name);
  const at = o.now.getTime();
  await updateUser(store, u.id, { disabled_at: o.disabled ? (u.disabled_at ?? at) : null });
  const ended = o.disabled ? await deleteUserSessions(store, u.id) : 0;
  await writeAudit(store.db, { actor: o.actor ?? 'cli', action: o.disabled ? 'user.disable' : 'user.enable', target: `user:${u.name}`, detail: { sessionsEnded: ended }, remote: o.remote }, at);
  return ended;
}

export async function userViews(store: Store): Promise<UserView[]> {
  return (await listUsers(store)).map(userView);
}
