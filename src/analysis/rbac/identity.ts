/**
 * Identities and their implicit groups, as the API server's authenticators produce them:
 * - every authenticated user is in `system:authenticated`;
 * - a service account authenticates as `system:serviceaccount:<ns>:<name>` with groups
 *   `system:serviceaccounts` and `system:serviceaccounts:<ns>` (k8s.io/apiserver pkg/authentication/serviceaccount);
 * - the anonymous user is `system:anonymous` in group `system:unauthenticated`.
 * `system:masters` is the superuser group: the API server authorises it before RBAC is consulted.
 */
import { UsageError } from '../../core/errors.js';
import type { Subject, UserInfo } from './types.js';

export const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_UNAUTHENTICATED = 'system:unauthenticated';
export const SYSTEM_ANONYMOUS = 'system:anonymous';
export const SYSTEM_SERVICEACCOUNTS = 'system:serviceaccounts';
const SA_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/** Splits "system:serviceaccount:<ns>:<name>" (serviceaccount.SplitUsername). */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The canonical key of a subject: user:NAME, group:NAME or sa:NS/NAME. A User named like a SA is that SA. */
export function subjectKey(s: Subject): string {
  if (s.kind === 'ServiceAccount') return `sa:${s.namespace ?? ''}/${s.name}`;
  if (s.kind === 'Group') return `group:${s.name}`;
  const sa = splitServiceAccountUsername(s.name);
  return sa ? `sa:${sa.namespace}/${sa.name}` : `user:${s.name}`;
}

export function subjectFromKey(key: string): Subject {
  return parseSubject(key);
}

/** Parses "user:NAME", "group:NAME" or "sa:NS/NAME" (also "serviceaccount:NS/NAME"). */
export function parseSubject(text: string): Subject {
  const i = text.indexOf(':');
  const prefix = i < 0 ? '' : text.slice(0, i).toLowerCase();
  const rest = i < 0 ? '' : text.slice(i + 1);
  if (!rest) throw new UsageError(`invalid subject "${text}": use user:NAME, group:NAME or sa:NAMESPACE/NAME`);
  if (prefix === 'user') return { kind: 'User', name: rest };
  if (prefix === 'group') return { kind: 'Group', name: rest };
  if (prefix === 'sa' || prefix === 'serviceaccount') {
    const [ns, name, extra] = rest.split('/');
    if (!ns || !name || extra !== undefined) throw new UsageError(`invalid service account "${text}": use sa:NAMESPACE/NAME`);
    return { kind: 'ServiceAccount', namespace: ns, name };
  }
  throw new UsageError(`invalid subject "${text}": use user:NAME, group:NAME or sa:NAMESPACE/NAME`);
}

export function formatSubject(s: Subject): string {
  return subjectKey(s);
}

/**
 * The user.Info a subject authenticates as. A User gets `system:authenticated` (the anonymous user gets
 * `system:unauthenticated` instead); a ServiceAccount gets its three implicit groups. A Group stands for
 * "a member of that group" and carries only that group, so its answer is what the group itself grants.
 */
export function userInfoOf(s: Subject, extraGroups: readonly string[] = []): UserInfo {
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace ?? '';
    return {
      name: serviceAccountUsername(ns, s.name),
      groups: [SYSTEM_SERVICEACCOUNTS, `${SYSTEM_SERVICEACCOUNTS}:${ns}`, SYSTEM_AUTHENTICATED, ...extraGroups],
    };
  }
  if (s.kind === 'Group') return { name: '', groups: [s.name, ...extraGroups] };
  const sa = splitServiceAccountUsername(s.name);
  if (sa) return userInfoOf({ kind: 'ServiceAccount', ...sa }, extraGroups);
  if (s.name === SYSTEM_ANONYMOUS) return { name: s.name, groups: [SYSTEM_UNAUTHENTICATED, ...extraGroups] };
  return { name: s.name, groups: [SYSTEM_AUTHENTICATED, ...extraGroups] };
}

/** The binding-subject keys that apply to a user.Info: its own (user or SA) key and one per group. */
export function subjectKeysOf(info: UserInfo): string[] {
  const keys: string[] = [];
  if (info.name) {
    const sa = splitServiceAccountUsername(info.name);
    keys.push(sa ? `sa:${sa.namespace}/${sa.name}` : `user:${info.name}`);
  }
  for (const g of info.groups) keys.push(`group:${g}`);
  return keys;
}

export function isSuperuser(info: UserInfo): boolean {
  return info.groups.includes(SYSTEM_MASTERS);
}
