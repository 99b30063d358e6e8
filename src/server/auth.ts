/**
 * Authentication and authorisation of API requests: `Authorization: Bearer <token>` → a principal → the route's
 * permission. 401 (with WWW-Authenticate) when no valid credential is presented, 403 when the role may not.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../usecases/access/tokens.js';
import { authenticateToken } from '../usecases/access/tokens.js';
import type { Permission } from '../usecases/access/roles.js';
import { allows } from '../usecases/access/roles.js';
import type { Store } from '../sources/store/open.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; routes without one (nor `signedIn`) are public (health, OpenAPI document). */
    permission?: Permission;
    /** Any signed-in principal may (who am I). */
    signedIn?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

export function authHook(store: Store, now: () => Date) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const permission = req.routeOptions.config?.permission;
    if (!permission && !req.routeOptions.config?.signedIn) return;
    const token = bearer(req.headers.authorization);
    const principal = token ? await authenticateToken(store, token, now()) : undefined;
    if (!principal) {
      await reply.code(401).header('www-authenticate', 'Bearer realm="kubeguard"').send({ error: 'unauthorized', message: 'a valid bearer token is required' });
      return;
    }
    req.principal = principal;
    if (permission && !allows(principal.role, permission)) {
      await reply.code(403).send({ error: 'forbidden', message: `the ${principal.role} role may not ${permission.replace(':', ' ')}` });
    }
  };
}
