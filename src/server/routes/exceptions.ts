/** The exceptions workflow over HTTP: request, list, read, approve/reject/revoke, and the effective set per cluster. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import { listParam } from '../../usecases/history/findings.js';
import type { Decision, ExceptionRequest, RuleResolver } from '../../usecases/exceptions/workflow.js';
import { decideException, effectiveExceptions, EXCEPTION_STATUSES, getExceptionView, listExceptionViews, requestException } from '../../usecases/exceptions/workflow.js';
import { ForbiddenError } from '../../usecases/errors.js';
import { authErrors, errorBody } from './schemas.js';

const names = { type: 'array', items: { type: 'string', maxLength: 253 }, minItems: 1, maxItems: 100 } as const;

const exceptionBody = {
  type: 'object',
  properties: {
    rules: { ...names, description: 'rule ids or aliases (`*`: every rule); vulnerability ids and imported policies too' },
    clusters: { ...names, description: 'clusters it applies to (default: all)' },
    namespaces: { ...names, description: 'namespace globs' },
    kinds: { ...names, description: 'kind globs' },
    names: { ...names, description: 'object name globs' },
    reason: { type: 'string', minLength: 1, maxLength: 2000 },
    owner: { type: 'string', maxLength: 200 },
    ticket: { type: 'string', maxLength: 200 },
    expires: { type: 'string', description: 'YYYY-MM-DD (end of that day, UTC) or ISO 8601 date-time' },
  },
  required: ['rules', 'reason'],
  additionalProperties: false,
} as const;

const exceptionView = {
  type: 'object',
  properties: {
    ...exceptionBody.properties,
    id: { type: 'integer' },
    status: { type: 'string', enum: [...EXCEPTION_STATUSES] },
    clusters: { type: 'array', items: { type: 'string' } },
    requestedBy: { type: 'string' },
    requestedAt: { type: 'string', format: 'date-time' },
    decidedBy: { type: ['string', 'null'] },
    decidedAt: { type: ['string', 'null'], format: 'date-time' },
    note: { type: ['string', 'null'] },
    findings: { type: 'integer', description: 'findings it marks excepted now' },
  },
  required: ['id', 'status', 'rules', 'clusters', 'reason', 'requestedBy', 'requestedAt', 'findings'],
} as const;

const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } as const;
const decisionBody = { type: ['object', 'null'], properties: { note: { type: 'string', maxLength: 2000 } }, additionalProperties: false } as const;
const errors = { 400: errorBody, 404: errorBody, 409: errorBody, ...authErrors } as const;

export function exceptionRoutes(app: FastifyInstance, store: Store, now: () => Date, resolve: RuleResolver): void {
  app.post<{ Body: ExceptionRequest }>(
    '/api/v1/exceptions',
    { config: { permission: 'exceptions:request' }, schema: { summary: 'Request an exception', tags: ['exceptions'], body: exceptionBody, response: { 201: exceptionView, ...errors } } },
    async (req, reply) => reply.code(201).send(await requestException(store, req.principal!, req.body, now(), resolve)),
  );

  app.get<{ Querystring: { status?: string[]; limit?: number; next?: string } }>(
    '/api/v1/exceptions',
    {
      config: { permission: 'exceptions:read' },
      schema: {
        summary: 'Exceptions, newest first',
        tags: ['exceptions'],
        querystring: { type: 'object', properties: { status: { type: 'array', items: { type: 'string' } }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, next: { type: 'string' } }, additionalProperties: false },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: exceptionView }, next: { type: ['string', 'null'] } }, required: ['items', 'next'] }, ...errors },
      },
    },
    async (req) => listExceptionViews(store, listParam(req.query.status), req.query.limit ?? 100, req.query.next),
  );

  app.get<{ Querystring: { cluster: string } }>(
    '/api/v1/exceptions/effective',
    {
      config: { permission: 'exceptions:read' },
      schema: {
        summary: 'Approved exceptions in force for a cluster, in config form (as `exceptions:` in kubeguard.yaml)',
        tags: ['exceptions'],
        querystring: { type: 'object', properties: { cluster: { type: 'string', minLength: 1, maxLength: 253 } }, required: ['cluster'], additionalProperties: false },
        response: { 200: { type: 'object', properties: { cluster: { type: 'string' }, exceptions: { type: 'array', items: { type: 'object', additionalProperties: true } } }, required: ['cluster', 'exceptions'] }, ...errors },
      },
    },
    async (req) => {
      const bound = req.principal!.cluster;
      if (bound !== undefined && bound !== req.query.cluster) throw new ForbiddenError(`this token is for cluster ${bound}`);
      return { cluster: req.query.cluster, exceptions: await effectiveExceptions(store, req.query.cluster, now()) };
    },
  );

  app.get<{ Params: { id: number } }>(
    '/api/v1/exceptions/:id',
    { config: { permission: 'exceptions:read' }, schema: { summary: 'One exception', tags: ['exceptions'], params: idParams, response: { 200: exceptionView, ...errors } } },
    async (req) => getExceptionView(store, req.params.id),
  );

  for (const decision of ['approve', 'reject', 'revoke'] as Decision[]) {
    app.post<{ Params: { id: number }; Body: { note?: string } | null }>(
      `/api/v1/exceptions/:id/${decision}`,
      {
        config: { permission: 'exceptions:decide' },
        schema: { summary: `${decision[0].toUpperCase()}${decision.slice(1)} an exception (approver or admin; not its requester)`, tags: ['exceptions'], params: idParams, body: decisionBody, response: { 200: exceptionView, ...errors } },
      },
      async (req) => decideException(store, req.principal!, req.params.id, decision, req.body?.note, now()),
    );
  }
}
