/** API tokens over HTTP (admin): list (never the values), create (the value shown once), revoke. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import type { Role } from '../../usecases/access/roles.js';
import { ROLES } from '../../usecases/access/roles.js';
import { createApiToken, revokeApiToken, tokenViews } from '../../usecases/access/tokens.js';
import { UsageError } from '../../core/errors.js';
import { NotFoundError } from '../../usecases/errors.js';
import { authErrors, errorBody } from './schemas.js';

const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
const tokenView = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string', enum: [...ROLES] }, cluster: { type: ['string', 'null'] }, createdAt: { type: 'string', format: 'date-time' }, lastUsedAt: nullableTime, revokedAt: nullableTime },
  required: ['id', 'name', 'role', 'cluster', 'createdAt', 'lastUsedAt', 'revokedAt'],
} as const;

export function tokenRoutes(app: FastifyInstance, store: Store, now: () => Date): void {
  const config = { permission: 'tokens:manage' as const };
  app.get('/api/v1/tokens', { config, schema: { summary: 'API tokens (never their values)', tags: ['tokens'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: tokenView } }, required: ['items'] }, ...authErrors } } }, async () => ({ items: await tokenViews(store) }));

  app.post<{ Body: { role: Role; name: string; cluster?: string } }>(
    '/api/v1/tokens',
    {
      config,
      schema: {
        summary: 'Create an API token; its value is in this answer only (the server keeps its sha256)',
        tags: ['tokens'],
        body: {
          type: 'object',
          properties: { role: { type: 'string', enum: [...ROLES] }, name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' }, cluster: { type: 'string', minLength: 1, maxLength: 253, description: 'an uploader token that may upload for this cluster only' } },
          required: ['role', 'name'],
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { id: { type: 'integer' }, token: { type: 'string' } }, required: ['id', 'token'] }, 400: errorBody, ...authErrors },
      },
    },
    async (req, reply) => {
      if (req.body.cluster && req.body.role !== 'uploader') throw new UsageError('a cluster binds uploader tokens only');
      const created = await createApiToken(store, { role: req.body.role, name: req.body.name, cluster: req.body.cluster, now: now(), actor: req.principal!.id });
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/v1/tokens/:id/revoke',
    {
      config,
      schema: { summary: 'Revoke a token: it is refused from the next request on', tags: ['tokens'], params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] }, response: { 204: { type: 'null' }, 404: errorBody, ...authErrors } },
    },
    async (req, reply) => {
      if (!(await revokeApiToken(store, req.params.id, now(), req.principal!.id))) throw new NotFoundError(`no active token with id ${req.params.id}`);
      return reply.code(204).send();
    },
  );
}
