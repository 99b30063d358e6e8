/** Who is calling: the principal of the request's credentials and what its role may do (the dashboard asks this). */
import type { FastifyInstance } from 'fastify';
import { PERMISSIONS, permissionsOf, ROLES } from '../../usecases/access/roles.js';
import { authErrors } from './schemas.js';

export const sessionBody = {
  type: 'object',
  properties: {
    user: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] } }, required: ['name', 'role'] },
    permissions: { type: 'array', items: { type: 'string', enum: [...PERMISSIONS] } },
    csrfToken: { type: 'string', description: 'for a cookie session: send it as X-CSRF-Token on every change' },
  },
  required: ['user', 'permissions'],
} as const;

export function sessionRoutes(app: FastifyInstance): void {
  app.get(
    '/api/v1/session',
    { config: { signedIn: true }, schema: { summary: 'The caller: name, role and the permissions of the role', tags: ['session'], response: { 200: sessionBody, ...authErrors } } },
    async (req) => {
      const p = req.principal!;
      return { user: { name: p.name, role: p.role }, permissions: permissionsOf(p.role) };
    },
  );
}
