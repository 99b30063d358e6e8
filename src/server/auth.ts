/**
 * Authentication and authorisation of API requests, one way for both credentials:
 * - `Authorization: Bearer <token>` (machines, scripts): an API token. When the header is present it alone counts.
 * - the session cookie (people, the dashboard): a session from POST /api/v1/session (sign-in). A state-changing request
 *   (anything but GET, HEAD, OPTIONS) with a cookie must carry the session's CSRF token in `X-CSRF-Token`, and is
 *   refused when the browser says it comes from another site (`Origin`, `Sec-Fetch-Site`). Bearer requests need no
 *   CSRF check: a browser never adds that header by itself.
 * Either way the principal's role meets the route's permission in the one table (usecases/access/roles.ts):
 * 401 (with WWW-Authenticate) without a valid credential, 403 when the role may not.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../usecases/access/tokens.js';
import { authenticateToken } from '../usecases/access/tokens.js';
import type { Permission } from '../usecases/access/roles.js';
import { allows } from '../usecases/access/roles.js';
import type { SessionPolicy } from '../usecases/access/sessions.js';
import { authenticateSession, csrfMatches } from '../usecases/access/sessions.js';
import type { Store } from '../sources/store/open.js';
import { readCookie } from './cookies.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; routes without one (nor `signedIn`) are public (health, OpenAPI document). */
    permission?: Permission;
    /** Any signed-in principal may (who am I). */
    signedIn?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The session id of a cookie-authenticated request. */
    sessionId?: string;
  }
}

export interface AuthSettings {
  cookieName: string;
  sessionPolicy?: SessionPolicy;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearer(header: string): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * False when the browser tells us the request comes from another origin: `Sec-Fetch-Site: cross-site|same-site`,
 * or an `Origin` whose host is not the one the request was sent to (the Host header, or X-Forwarded-Host from a
 * trusted proxy). Clients that send neither (curl) pass.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? undefined : v;
}

export function authHook(store: Store, now: () => Date, settings: AuthSettings) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const permission = req.routeOptions.config?.permission;
    if (!permission && !req.routeOptions.config?.signedIn) return;
    let principal: Principal | undefined;
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const token = bearer(authorization);
      principal = token ? await authenticateToken(store, token, now()) : undefined;
    } else {
      const sessionId = readCookie(req.headers.cookie, settings.cookieName);
      principal = sessionId ? await authenticateSession(store, sessionId, now(), settings.sessionPolicy) : undefined;
      if (principal && !SAFE_METHODS.has(req.method) && (!sameOrigin(req) || !csrfMatches(sessionId!, header(req, 'x-csrf-token')))) {
        await reply.code(403).send({ error: 'csrf', message: 'a state-changing request signed in by cookie needs the session\'s X-CSRF-Token header, from the same origin' });
        return;
      }
      if (principal) req.sessionId = sessionId;
    }
    if (!principal) {
      await reply.code(401).header('www-authenticate', 'Bearer realm="kubeguard"').send({ error: 'unauthorized', message: 'a valid bearer token or session is required' });
      return;
    }
    req.principal = principal;
    if (permission && !allows(principal.role, permission)) {
      await reply.code(403).send({ error: 'forbidden', message: `the ${principal.role} role may not ${permission.replace(':', ' ')}` });
    }
  };
}
