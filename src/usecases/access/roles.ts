/**
 * Who may do what: the one table of roles and permissions that every endpoint checks.
 *   viewer    reads findings, trends, clusters and exceptions; may request an exception
 *   approver  a viewer who may also approve or reject exception requests
 *   admin     everything: tokens, users, settings, audit log
 *   uploader  machines (CI, agents, runtime): uploads results and reads the exceptions that apply to them
 * Users (people, signing in with a password) are viewers, approvers or admins; tokens may have any role. A session
 * and a token of the same role may do exactly the same: both meet this table in one place (src/server/auth.ts).
 */
export const ROLES = ['viewer', 'approver', 'admin', 'uploader'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['findings:read', 'scans:write', 'exceptions:read', 'exceptions:request', 'exceptions:decide', 'tokens:manage', 'users:manage', 'audit:read', 'settings:manage'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = ['findings:read', 'exceptions:read', 'exceptions:request'];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(VIEWER),
  approver: new Set([...VIEWER, 'exceptions:decide']),
  admin: new Set(PERMISSIONS),
  uploader: new Set(['scans:write', 'exceptions:read']),
};

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** What a role may do, in the table's order (the dashboard shows only what the role may). */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => GRANTS[role].has(p));
}
