/** Aggregates for the dashboard and reports: clusters, counts, trends, time to fix; and the audit log (admin). */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import { readAudit } from '../../sources/store/audit.js';
import type { FindingQuery } from '../../usecases/history/findings.js';
import { clusters, counts, overview, timeToFix, trends } from '../../usecases/history/overview.js';
import { authErrors, errorBody, findingFilters, listQuery } from './schemas.js';

const filters = findingFilters;
const period = { from: { type: 'string', description: 'ISO 8601 (default: 30 days before `to`)' }, to: { type: 'string', description: 'ISO 8601 (default: now)' } } as const;
const errors = { 400: errorBody, ...authErrors } as const;
type Period = FindingQuery & { from?: string; to?: string };

export function overviewRoutes(app: FastifyInstance, store: Store, now: () => Date): void {
  const read = { permission: 'findings:read' as const };
  app.get('/api/v1/clusters', { config: read, schema: { summary: 'Clusters with open findings by severity and their last scans', tags: ['overview'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errors } } }, async () => ({ items: await clusters(store) }));

  const anyObject = { type: 'object', additionalProperties: true } as const;
  const countItems = { type: 'array', items: { type: 'object', properties: { group: { type: 'object', additionalProperties: { type: 'string' } }, count: { type: 'integer' } } } } as const;
  app.get(
    '/api/v1/overview',
    {
      config: read,
      schema: {
        summary: "The dashboard's overview in one answer: what /clusters, /trends (last 30 days), /compliance and /findings/counts (open, top 10 by ruleId and by cluster,namespace) answer, and the worst workloads",
        tags: ['overview'],
        response: {
          200: {
            type: 'object',
            properties: {
              clusters: { type: 'array', items: anyObject },
              trends: anyObject,
              compliance: { type: 'array', items: anyObject },
              topRules: countItems,
              worstNamespaces: countItems,
              worstWorkloads: {
                type: 'array',
                description: 'the 10 workloads with most open findings, worst severities first',
                items: { type: 'object', properties: { cluster: { type: 'string' }, namespace: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, open: { type: 'object', additionalProperties: { type: 'integer' } } }, required: ['cluster', 'namespace', 'kind', 'name', 'open'] },
              },
            },
            required: ['clusters', 'trends', 'compliance', 'topRules', 'worstNamespaces', 'worstWorkloads'],
          },
          ...errors,
        },
      },
    },
    async () => overview(store, now()),
  );

  app.get<{ Querystring: FindingQuery & { by?: string[]; top?: number } }>(
    '/api/v1/findings/counts',
    {
      config: read,
      schema: {
        summary: 'Finding counts grouped by one or two of cluster, namespace, ruleId, severity, status, kind, source',
        tags: ['overview'],
        querystring: { type: 'object', properties: { ...filters, by: listQuery, top: { type: 'integer', minimum: 1, maximum: 1000 } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { by: { type: 'array', items: { type: 'string' } }, items: { type: 'array', items: { type: 'object', properties: { group: { type: 'object', additionalProperties: { type: 'string' } }, count: { type: 'integer' } } } } } }, ...errors },
      },
    },
    async (req) => counts(store, req.query),
  );

  app.get<{ Querystring: Period }>(
    '/api/v1/trends',
    {
      config: read,
      schema: {
        summary: 'Open findings per day, and findings new and fixed per day',
        tags: ['overview'],
        querystring: { type: 'object', properties: { ...filters, ...period }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              open: { type: 'array', items: { type: 'object', properties: { day: { type: 'string' }, open: { type: 'integer' } } } },
              flow: { type: 'array', items: { type: 'object', properties: { day: { type: 'string' }, new: { type: 'integer' }, fixed: { type: 'integer' } } } },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => trends(store, req.query, now()),
  );

  app.get<{ Querystring: Period }>(
    '/api/v1/time-to-fix',
    {
      config: read,
      schema: {
        summary: 'Mean time to fix by severity, over findings fixed in the period',
        tags: ['overview'],
        querystring: { type: 'object', properties: { ...filters, ...period }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, items: { type: 'array', items: { type: 'object', properties: { severity: { type: 'string' }, fixed: { type: 'integer' }, meanHours: { type: 'number' } } } } } }, ...errors },
      },
    },
    async (req) => timeToFix(store, req.query, now()),
  );

  app.get<{ Querystring: { limit?: number; before?: number } }>(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        summary: 'The audit log, newest first (admin)',
        tags: ['admin'],
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, before: { type: 'integer', minimum: 1 } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errors },
      },
    },
    async (req) => ({
      items: (await readAudit(store, req.query.limit ?? 100, req.query.before)).map((a) => ({ id: a.id, at: new Date(a.at).toISOString(), actor: a.actor, action: a.action, target: a.target, detail: a.detail === null ? null : (JSON.parse(a.detail) as unknown), remote: a.remote })),
    }),
  );
}
