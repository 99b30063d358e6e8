/**
 * A workload's context beside its findings: PUT /api/v1/baselines (a cluster's runtime baseline, uploaded by
 * machines), GET /api/v1/baselines/workload (one workload's entry) and GET /api/v1/workloads/access (its service
 * account's RBAC power and escalation paths, from the latest whole-cluster scan).
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import { ForbiddenError } from '../../usecases/errors.js';
import { MAX_BASELINE_BYTES, storeBaseline, workloadAccessView, workloadBaselineView } from '../../usecases/history/workload-context.js';
import { authErrors, errorBody } from './schemas.js';

const name = { type: 'string', minLength: 1, maxLength: 253 } as const;
// kubeconfig context names too, as uploads take them
const clusterName = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/@-]*$' } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;
const container = { type: 'object', properties: { processes: stringList, egress: stringList, ingress: stringList, dns: stringList, http: stringList }, required: ['processes', 'egress', 'ingress', 'dns', 'http'] } as const;
const baselineSummary = {
  type: ['object', 'null'],
  properties: {
    uploadedAt: { type: 'string', format: 'date-time' },
    locked: { type: 'boolean' },
    learned: { type: 'object', properties: { from: { type: 'string' }, until: { type: 'string' }, events: { type: 'integer' }, lockedAt: { type: 'string' } }, required: ['events'] },
    workloads: { type: 'integer' },
  },
  required: ['uploadedAt', 'locked', 'learned', 'workloads'],
} as const;
export const baselineSummarySchema = baselineSummary;
const step = { type: 'object', properties: { subject: { type: 'string' }, action: { type: 'string' }, permission: { type: 'string' }, via: { type: 'string' } }, required: ['subject', 'action', 'permission', 'via'] } as const;
const escalation = {
  type: 'object',
  properties: { from: { type: 'object', additionalProperties: true }, to: { type: 'string', description: 'the capability reached' }, severity: { type: 'string' }, steps: { type: 'array', items: step } },
  required: ['from', 'to', 'severity', 'steps'],
} as const;
const ability = { type: 'object', properties: { scope: { type: 'string' }, ability: { type: 'string' }, words: { type: 'string' }, via: stringList }, required: ['scope', 'ability', 'words', 'via'] } as const;

export function workloadContextRoutes(app: FastifyInstance, store: Store, now: () => Date): void {
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string', bodyLimit: MAX_BASELINE_BYTES }, (_req, body, done) => done(null, body));

  app.put<{ Querystring: { cluster: string }; Body: unknown }>(
    '/api/v1/baselines',
    {
      config: { permission: 'scans:write' },
      bodyLimit: MAX_BASELINE_BYTES,
      schema: {
        summary: "Upload a cluster's runtime baseline (the file `kubeguard runtime baseline learn` writes, YAML or JSON); it replaces the cluster's previous one. Its network entries are the dashboard's observed connections",
        tags: ['ingest'],
        consumes: ['application/yaml', 'application/json'],
        querystring: { type: 'object', properties: { cluster: clusterName }, required: ['cluster'], additionalProperties: false },
        response: { 200: { ...baselineSummary, type: 'object', properties: { cluster: { type: 'string' }, ...baselineSummary.properties }, required: ['cluster', ...baselineSummary.required] }, 400: errorBody, ...authErrors },
      },
    },
    async (req) => {
      const p = req.principal!;
      if (p.cluster !== undefined && p.cluster !== req.query.cluster) throw new ForbiddenError(`this token may not upload for cluster ${req.query.cluster}`);
      const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? null);
      return storeBaseline(store, { cluster: req.query.cluster, text, now: now(), actor: p.id, remote: req.ip });
    },
  );

  app.get<{ Querystring: { cluster: string; namespace: string; workload: string } }>(
    '/api/v1/baselines/workload',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: "A workload's entry in its cluster's runtime baseline: per container the processes, network peers, DNS names and HTTP requests it normally makes. `baseline` is null when the cluster has no baseline or the baseline has no entry for the workload",
        tags: ['graphs'],
        querystring: { type: 'object', properties: { cluster: name, namespace: name, workload: name }, required: ['cluster', 'namespace', 'workload'], additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              cluster: { type: 'string' },
              clusterBaseline: baselineSummary,
              baseline: { type: ['object', 'null'], properties: { kind: { type: ['string', 'null'] }, locked: { type: 'boolean' }, containers: { type: 'object', additionalProperties: container } }, required: ['kind', 'locked', 'containers'] },
            },
            required: ['cluster', 'clusterBaseline', 'baseline'],
          },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => workloadBaselineView(store, req.query.cluster, req.query.namespace, req.query.workload),
  );

  app.get<{ Querystring: { cluster: string; namespace: string; kind: string; name: string } }>(
    '/api/v1/workloads/access',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: "The RBAC power of a workload's service account, as `kubeguard rbac blast-radius` reports it: whether the token is in its pods, the dangerous abilities the account holds (per scope, with the bindings), its shortest escalation path to each capability it reaches. `access` is null when no whole-cluster scan recorded the workload",
        tags: ['graphs'],
        querystring: { type: 'object', properties: { cluster: name, namespace: name, kind: name, name }, required: ['cluster', 'namespace', 'kind', 'name'], additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              cluster: { type: 'string' },
              scannedAt: { type: ['string', 'null'], format: 'date-time' },
              access: {
                type: ['object', 'null'],
                properties: {
                  serviceAccount: { type: 'object', properties: { namespace: { type: 'string' }, name: { type: 'string' }, declared: { type: 'boolean' } }, required: ['namespace', 'name', 'declared'] },
                  tokenMounted: { type: 'boolean' },
                  tokenReason: { type: 'string' },
                  abilities: { type: 'array', items: ability },
                  escalation: { type: 'array', items: escalation },
                  severity: { type: 'string', enum: ['critical', 'high', 'medium', 'low', 'info'] },
                },
                required: ['serviceAccount', 'tokenMounted', 'tokenReason', 'abilities', 'escalation', 'severity'],
              },
            },
            required: ['cluster', 'scannedAt', 'access'],
          },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => workloadAccessView(store, req.query.cluster, req.query.namespace, req.query.kind, req.query.name),
  );
}
