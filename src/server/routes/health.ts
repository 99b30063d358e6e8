/** Liveness, readiness (the database answers) and the OpenAPI document: public. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../../sources/store/open.js';

export function healthRoutes(app: FastifyInstance, store: Store, isClosing: () => boolean): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (isClosing()) return reply.code(503).send({ status: 'shutting down' });
    try {
      await sql`SELECT 1`.execute(store.db);
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
