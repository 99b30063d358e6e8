/** Runtime incidents: POST from `runtime serve` (uploader tokens), GET for people. */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import type { Store } from '../../sources/store/open.js';
import { ingestIncidents } from '../../usecases/incidents/ingest.js';
import type { IncidentQuery } from '../../usecases/incidents/query.js';
import { queryIncidents } from '../../usecases/incidents/query.js';
import { ForbiddenError } from '../../usecases/errors.js';
import { authErrors, errorBody, listQuery } from './schemas.js';

export function incidentRoutes(app: FastifyInstance, store: Store, now: () => Date): void {
  app.post<{ Querystring: { cluster: string } }>(
    '/api/v1/incidents',
    {
      config: { permission: 'scans:write' },
      schema: {
        summary: 'Post runtime incidents for a cluster (newline-delimited JSON, optionally gzip); posting one again never duplicates it',
        tags: ['ingest'],
        consumes: ['application/x-ndjson'],
        querystring: { type: 'object', properties: { cluster: { type: 'string', minLength: 1, maxLength: 253 } }, required: ['cluster'], additionalProperties: false },
        response: { 200: { type: 'object', properties: { cluster: { type: 'string' }, received: { type: 'integer' }, new: { type: 'integer' } } }, 400: errorBody, 415: errorBody, ...authErrors },
      },
    },
    async (req, reply) => {
      const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (!req.headers['content-type']?.startsWith('application/x-ndjson') || (encoding !== 'gzip' && encoding !== 'identity')) {
        return reply.code(415).send({ error: 'unsupported-media-type', message: 'send application/x-ndjson, plain or with Content-Encoding: gzip' });
      }
      const p = req.principal!;
      if (p.cluster !== undefined && p.cluster !== req.query.cluster) throw new ForbiddenError(`this token may not upload for cluster ${req.query.cluster}`);
      return ingestIncidents(store, req.query.cluster, req.body as Readable, { gzip: encoding === 'gzip', now: now(), actor: p.id, remote: req.ip });
    },
  );

  app.get<{ Querystring: IncidentQuery }>(
    '/api/v1/incidents',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: 'Runtime incidents, newest first; paged with `next`',
        tags: ['incidents'],
        querystring: {
          type: 'object',
          properties: { cluster: listQuery, namespace: listQuery, detector: listQuery, severity: listQuery, status: listQuery, since: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, next: { type: 'string' } },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } }, next: { type: ['string', 'null'] } }, required: ['items', 'next'] }, 400: errorBody, ...authErrors },
      },
    },
    async (req) => queryIncidents(store, req.query),
  );
}
