/** GET /api/v1/findings — the finding history, filtered and paged. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import type { FindingQuery } from '../../usecases/history/findings.js';
import { MAX_PAGE, queryFindings } from '../../usecases/history/findings.js';
import { authErrors, errorBody, findingFilters, resourceRef } from './schemas.js';

const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const findingItem = {
  type: 'object',
  properties: {
    fingerprint: { type: 'string' },
    ruleId: { type: 'string' },
    severity: { type: 'string', enum: ['info', 'low', 'medium', 'high', 'critical'] },
    status: { type: 'string', enum: ['open', 'fixed', 'excepted'] },
    cluster: { type: 'string' },
    resource: resourceRef,
    firstSeen: { type: 'string', format: 'date-time' },
    lastSeen: { type: 'string', format: 'date-time' },
    fixedAt: nullableTime,
    path: { type: 'string' },
    message: { type: 'string' },
    source: { type: 'string' },
    reopenedAt: nullableTime,
    reopenCount: { type: 'integer' },
    exceptionId: { type: ['integer', 'null'] },
  },
  required: ['fingerprint', 'ruleId', 'severity', 'status', 'cluster', 'resource', 'firstSeen', 'lastSeen', 'fixedAt'],
} as const;

export function findingRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: FindingQuery }>(
    '/api/v1/findings',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: 'Findings across clusters, filtered; paged with `next`',
        tags: ['findings'],
        querystring: {
          type: 'object',
          properties: {
            ...findingFilters,
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 100 },
            next: { type: 'string', description: 'the `next` of the previous page' },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: findingItem }, next: { type: ['string', 'null'] } }, required: ['items', 'next'] },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => queryFindings(store, req.query),
  );
}
