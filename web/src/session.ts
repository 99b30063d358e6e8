/**
 * Who is signed in and what they may do. The server is the authority (every endpoint checks the role); the
 * dashboard only hides what the role cannot do, from the permissions the server lists for the session.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SessionInfo } from './api';
import { api, ApiError, bearerToken, setCsrfToken, useBearerToken } from './api';

type Listener = () => void;
const listeners = new Set<Listener>();
let current: SessionInfo | null = null;
let loaded = false;

function publish(s: SessionInfo | null): void {
  current = s;
  loaded = true;
  setCsrfToken(s?.csrfToken ?? null);
  for (const l of listeners) l();
}

/** Asks the server who we are (cookie or bearer token); null when nobody is signed in. */
export async function refreshSession(): Promise<SessionInfo | null> {
  try {
    publish(await api<SessionInfo>('/session', { quiet401: true }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      if (bearerToken()) useBearerToken(null);
      publish(null);
    } else throw e;
  }
  return current;
}

export async function logInWithPassword(username: string, password: string): Promise<SessionInfo> {
  useBearerToken(null);
  const s = await api<SessionInfo>('/session', { method: 'POST', body: { username, password }, quiet401: true });
  publish(s);
  return s;
}

export async function logInWithToken(token: string): Promise<SessionInfo> {
  useBearerToken(token.trim());
  const s = await refreshSession();
  if (!s) throw new ApiError(401, 'unauthorized', 'the token was not accepted');
  return s;
}

export async function logOut(): Promise<void> {
  if (!bearerToken()) await api('/session', { method: 'DELETE', quiet401: true }).catch(() => undefined);
  useBearerToken(null);
  publish(null);
}

export function forgetSession(): void {
  useBearerToken(null);
  publish(null);
}

export function useSession(): { session: SessionInfo | null; loaded: boolean } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return { session: current, loaded };
}

/** Settings has something for a user signed in with a password (their own) and for admins. */
export const SETTINGS = 'settings:open';

export function can(session: SessionInfo | null, permission: string): boolean {
  if (permission === SETTINGS) return session?.via === 'session' || can(session, 'users:manage') || can(session, 'tokens:manage');
  return !!session && session.permissions.includes(permission);
}
