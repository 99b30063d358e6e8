/**
 * Who is calling, and signing in and out (the dashboard asks this):
 *   GET    /api/v1/session           the caller (token or cookie session), its role's permissions, and for a cookie
 *                                    session the CSRF token
 *   POST   /api/v1/session           sign in with {username, password}: sets the session cookie (public)
 *   DELETE /api/v1/session           sign out: the session ends on the server and the cookie is cleared
 *   PUT    /api/v1/session/password  a signed-in user's own new password (every session of theirs ends)
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import { PERMISSIONS, permissionsOf, ROLES } from '../../usecases/access/roles.js';
import type { Principal } from '../../usecases/access/tokens.js';
import type { LoginLimits, SessionPolicy, SessionPrincipal } from '../../usecases/access/sessions.js';
import { SESSION_DEFAULTS, changeOwnPassword, csrfToken, login, logout } from '../../usecases/access/sessions.js';
import { ForbiddenError } from '../../usecases/errors.js';
import { readCookie, sessionCookie } from '../cookies.js';
import { sameOrigin } from '../auth.js';
import { authErrors, errorBody } from './schemas.js';

export const sessionBody = {
  type: 'object',
  properties: {
    user: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } }, required: ['name', 'role'] },
    permissions: { type: 'array', items: { type: 'string', enum: [...PERMISSIONS] } },
    csrfToken: { type: 'string', description: 'for a cookie session: send it as X-CSRF-Token on every change' },
    via: { type: 'string', enum: ['session', 'token'], description: 'signed in by a cookie session or a bearer token' },
    cluster: { type: 'string', description: 'an uploader token bound to one cluster' },
    expiresAt: { type: 'string', format: 'date-time', description: 'for a cookie session: when it ends unless used again' },
  },
  required: ['user', 'permissions'],
} as const;

const credentials = {
  type: 'object',
  properties: { username: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
  required: ['username', 'password'],
  additionalProperties: false,
} as const;

export interface SessionSettings {
  cookieName: string;
  secureCookies: boolean;
  sessionPolicy?: SessionPolicy;
  loginLimits?: LoginLimits;
}

function describe(p: Principal, sessionId: string | undefined) {
  const base = { user: { name: p.name, role: p.role }, permissions: permissionsOf(p.role) };
  if (!sessionId) return { ...base, via: 'token', ...(p.cluster && { cluster: p.cluster }) };
  const expiresAt = (p as Partial<SessionPrincipal>).expiresAt;
  return { ...base, via: 'session', csrfToken: csrfToken(sessionId), ...(expiresAt && { expiresAt: expiresAt.toISOString() }) };
}

export function sessionRoutes(app: FastifyInstance, store: Store, now: () => Date, settings: SessionSettings): void {
  const policy = settings.sessionPolicy ?? SESSION_DEFAULTS;
  const cookie = (value: string, maxAgeMs: number) => sessionCookie(settings.cookieName, value, maxAgeMs / 1000, settings.secureCookies);
  const presented = (req: FastifyRequest) => readCookie(req.headers.cookie, settings.cookieName);

  app.get(
    '/api/v1/session',
    { config: { signedIn: true }, schema: { summary: 'The caller: name, role and the permissions of the role', tags: ['session'], response: { 200: sessionBody, ...authErrors } } },
    async (req) => describe(req.principal!, req.sessionId),
  );

  app.post<{ Body: { username: string; password: string } }>(
    '/api/v1/session',
    {
      schema: {
        summary: 'Sign in with a password: sets the session cookie (HttpOnly, SameSite=Strict, Secure under TLS) and answers the CSRF token',
        tags: ['session'],
        security: [],
        body: credentials,
        response: { 200: sessionBody, 400: errorBody, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      // a sign-in posted by another site's page would sign the browser in as someone else (login CSRF)
      if (!sameOrigin(req)) return reply.code(403).send({ error: 'csrf', message: "sign in from the server's own pages" });
      const result = await login(store, { name: req.body.username, password: req.body.password, remote: req.ip, presentedSessionId: presented(req), now: now(), policy, limits: settings.loginLimits });
      if (!result.ok && result.reason === 'throttled') {
        return reply.code(429).header('retry-after', String(result.retryAfterSeconds)).send({ error: 'too-many-requests', message: `too many failed sign-ins: try again in ${result.retryAfterSeconds} s` });
      }
      if (!result.ok) return reply.code(401).send({ error: 'unauthorized', message: 'wrong user name or password' });
      return reply.header('set-cookie', cookie(result.sessionId, policy.maxMs)).send(describe(result.principal, result.sessionId));
    },
  );

  app.delete(
    '/api/v1/session',
    { config: { signedIn: true }, schema: { summary: 'Sign out: the session ends on the server and the cookie is cleared (a token stays valid: revoke it)', tags: ['session'], response: { 204: { type: 'null' }, ...authErrors } } },
    async (req, reply) => {
      if (req.sessionId) await logout(store, req.sessionId, req.principal!, now(), req.ip);
      return reply.code(204).header('set-cookie', cookie('', 0)).send();
    },
  );

  app.put<{ Body: { current: string; password: string } }>(
    '/api/v1/session/password',
    {
      config: { signedIn: true },
      schema: {
        summary: 'Change your own password (signed in by cookie): every session of yours ends, sign in again',
        tags: ['session'],
        body: { type: 'object', properties: { current: { type: 'string', maxLength: 1024 }, password: { type: 'string', maxLength: 1024 } }, required: ['current', 'password'], additionalProperties: false },
        response: { 204: { type: 'null' }, 400: errorBody, ...authErrors, 429: errorBody },
      },
    },
    async (req, reply) => {
      if (!req.sessionId) throw new ForbiddenError('a token has no password; sign in as a user to change yours');
      const result = await changeOwnPassword(store, { name: req.principal!.name, current: req.body.current, password: req.body.password, remote: req.ip, now: now(), limits: settings.loginLimits });
      if (result.outcome === 'throttled') {
        return reply.code(429).header('retry-after', String(result.retryAfterSeconds)).send({ error: 'too-many-requests', message: `too many wrong passwords: try again in ${result.retryAfterSeconds} s` });
      }
      if (result.outcome === 'wrong') throw new ForbiddenError('the current password is wrong');
      return reply.code(204).header('set-cookie', cookie('', 0)).send();
    },
  );
}
