/** GET /api/v1/vulnerabilities (by advisory) and /api/v1/vulnerabilities/{id} (affected images → workloads, clusters). */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import type { VulnerabilityQuery } from '../../usecases/history/vulnerabilities.js';
import { advisoryDetail, listAdvisories } from '../../usecases/history/vulnerabilities.js';
import { authErrors, errorBody, findingFilters } from './schemas.js';

const severity = { type: 'string', enum: ['info', 'low', 'medium', 'high', 'critical'] } as const;
const querystring = {
  type: 'object',
  properties: { ...findingFilters, status: { ...findingFilters.status, description: 'default: open' }, fixable: { type: 'string', enum: ['true', 'false'] } },
  additionalProperties: false,
} as const;

const advisory = {
  type: 'object',
  properties: { id: { type: 'string' }, severity, findings: { type: 'integer' }, clusters: { type: 'integer' }, workloads: { type: 'integer' }, images: { type: 'integer' }, fixable: { type: 'boolean' } },
  required: ['id', 'severity', 'findings', 'clusters', 'workloads', 'images', 'fixable'],
} as const;

const workload = {
  type: 'object',
  properties: { cluster: { type: 'string' }, namespace: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, container: { type: 'string' }, exposure: { type: 'string', enum: ['internet', 'node', 'cluster'] }, status: { type: 'string' }, fingerprint: { type: 'string' } },
  required: ['cluster', 'namespace', 'kind', 'name', 'status', 'fingerprint'],
} as const;

const image = {
  type: 'object',
  properties: {
    image: { type: 'string' },
    fixedIn: { type: 'string' },
    exposure: { type: 'string', enum: ['internet', 'node', 'cluster'] },
    clusters: { type: 'array', items: { type: 'string' } },
    workloads: { type: 'array', items: workload },
    scans: { type: 'array', items: { type: 'object', properties: { cluster: { type: 'string' }, fingerprint: { type: 'string' }, status: { type: 'string' } }, required: ['cluster', 'fingerprint', 'status'] } },
  },
  required: ['image', 'clusters', 'workloads', 'scans'],
} as const;

export function vulnerabilityRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: VulnerabilityQuery }>(
    '/api/v1/vulnerabilities',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: 'Vulnerability findings grouped by advisory (CVE, GHSA, …), worst first, then by workloads affected',
        tags: ['vulnerabilities'],
        querystring,
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: advisory }, truncated: { type: 'boolean' } }, required: ['items', 'truncated'] }, 400: errorBody, ...authErrors },
      },
    },
    async (req) => listAdvisories(store, req.query),
  );

  app.get<{ Params: { id: string }; Querystring: VulnerabilityQuery }>(
    '/api/v1/vulnerabilities/:id',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: 'One advisory: the affected images (fix available and most exposed first) → the workloads running them, and clusters',
        tags: ['vulnerabilities'],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 253 } }, required: ['id'] },
        querystring,
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, severity, message: { type: 'string' }, fixable: { type: 'boolean' }, images: { type: 'array', items: image }, truncated: { type: 'boolean' } }, required: ['id', 'severity', 'message', 'fixable', 'images', 'truncated'] },
          400: errorBody,
          404: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => advisoryDetail(store, req.params.id, req.query),
  );
}
