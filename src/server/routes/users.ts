/** Users, for admins: list, create, new password, disable/enable (the same use cases as `kubeguard server user`). */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import type { UserRole } from '../../usecases/access/users.js';
import { USER_ROLES, createUser, setPassword, setUserDisabled, userViews } from '../../usecases/access/users.js';
import { authErrors, errorBody } from './schemas.js';

const userView = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: [...USER_ROLES] },
    createdAt: { type: 'string', format: 'date-time' },
    passwordChangedAt: { type: 'string', format: 'date-time' },
    lastLoginAt: { type: ['string', 'null'], format: 'date-time' },
    disabled: { type: 'boolean' },
  },
  required: ['name', 'role', 'createdAt', 'passwordChangedAt', 'lastLoginAt', 'disabled'],
} as const;

const password = { type: 'string', maxLength: 1024 } as const;
const nameParams = { type: 'object', properties: { name: { type: 'string', maxLength: 200 } }, required: ['name'] } as const;
const errors = { 400: errorBody, 404: errorBody, 409: errorBody, ...authErrors } as const;

export function userRoutes(app: FastifyInstance, store: Store, now: () => Date): void {
  const config = { permission: 'users:manage' } as const;
  app.get('/api/v1/users', { config, schema: { summary: 'Users (never their passwords)', tags: ['users'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: userView } }, required: ['items'] }, ...errors } } }, async () => ({
    items: await userViews(store),
  }));

  app.post<{ Body: { name: string; role: UserRole; password: string } }>(
    '/api/v1/users',
    {
      config,
      schema: {
        summary: 'Create a user',
        tags: ['users'],
        body: { type: 'object', properties: { name: { type: 'string', maxLength: 200 }, role: { type: 'string', enum: [...USER_ROLES] }, password }, required: ['name', 'role', 'password'], additionalProperties: false },
        response: { 201: userView, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createUser(store, { ...req.body, now: now(), actor: req.principal!.id, remote: req.ip })),
  );

  app.put<{ Params: { name: string }; Body: { password: string } }>(
    '/api/v1/users/:name/password',
    {
      config,
      schema: {
        summary: "Set a user's password; every session of the user ends",
        tags: ['users'],
        params: nameParams,
        body: { type: 'object', properties: { password }, required: ['password'], additionalProperties: false },
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (req, reply) => {
      await setPassword(store, { name: req.params.name, password: req.body.password, now: now(), actor: req.principal!.id, remote: req.ip });
      return reply.code(204).send();
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    app.post<{ Params: { name: string } }>(
      `/api/v1/users/:name/${action}`,
      {
        config,
        schema: { summary: action === 'disable' ? 'Disable a user: sign-in refused, every session ends' : 'Enable a disabled user', tags: ['users'], params: nameParams, response: { 204: { type: 'null' }, ...errors } },
      },
      async (req, reply) => {
        await setUserDisabled(store, { name: req.params.name, disabled: action === 'disable', now: now(), actor: req.principal!.id, remote: req.ip });
        return reply.code(204).send();
      },
    );
  }
}
