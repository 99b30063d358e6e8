/** GET /api/v1/findings — the finding history, filtered and paged. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import type { FindingQuery } from '../../usecases/history/findings.js';
import { findingDetail, MAX_PAGE, MAX_TOTAL_CAP, queryFindings, SORTS, totalFindings } from '../../usecases/history/findings.js';
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

const location = { type: 'object', properties: { file: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } }, required: ['file'] } as const;

export const findingDetailItem = {
  type: 'object',
  properties: {
    ...findingItem.properties,
    location,
    remediation: { type: 'string' },
    evidence: { type: 'string' },
    fix: { type: 'array', items: { type: 'object', properties: { op: { type: 'string' }, path: { type: 'string' }, from: { type: 'string' }, value: {} }, required: ['op', 'path'] } },
    compliance: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    namespaceNote: { type: 'string' },
    related: { type: 'array', items: { type: 'object', properties: { ruleId: { type: 'string' }, severity: { type: 'string' }, message: { type: 'string' }, resource: resourceRef, path: { type: 'string' }, location } } },
  },
  required: findingItem.required,
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
            sort: { type: 'string', enum: SORTS, description: 'severity (worst first), -lastSeen, -firstSeen (newest first), ruleId, object; default: cluster, fingerprint' },
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

  app.get<{ Querystring: FindingQuery & { cap?: number } }>(
    '/api/v1/findings/total',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: 'How many findings match the filters, counted up to `cap`; `more` when there are more (its cost is bounded by `cap`)',
        tags: ['findings'],
        querystring: { type: 'object', properties: { ...findingFilters, cap: { type: 'integer', minimum: 1, maximum: MAX_TOTAL_CAP, default: 10000 } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { count: { type: 'integer' }, more: { type: 'boolean' } }, required: ['count', 'more'] }, 400: errorBody, ...authErrors },
      },
    },
    async (req) => totalFindings(store, req.query),
  );

  app.get<{ Params: { cluster: string; fingerprint: string } }>(
    '/api/v1/findings/:cluster/:fingerprint',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: 'One finding, with what its latest scan said: location (file:line), remediation, patch (JSON Patch), evidence, related findings',
        tags: ['findings'],
        params: { type: 'object', properties: { cluster: { type: 'string', maxLength: 253 }, fingerprint: { type: 'string', pattern: '^[0-9a-f]{1,64}$' } }, required: ['cluster', 'fingerprint'] },
        response: { 200: findingDetailItem, 404: errorBody, ...authErrors },
      },
    },
    async (req) => findingDetail(store, req.params.cluster, req.params.fingerprint),
  );
}
