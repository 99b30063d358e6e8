/** GET /api/v1/compliance: each cluster's compliance percentage per framework, from its whole-cluster scans. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../sources/store/open.js';
import { complianceOverview } from '../../usecases/compliance/scores.js';
import { authErrors, errorBody, listQuery } from './schemas.js';

const percent = { type: ['number', 'null'], minimum: 0, maximum: 100 } as const;

export function complianceRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: { cluster?: string[] } }>(
    '/api/v1/compliance',
    {
      config: { permission: 'findings:read' },
      schema: {
        summary: "Each cluster's compliance per framework (cis, nsa, mitre, pss-baseline, pss-restricted) from its latest whole-cluster scan, as `scan --framework` scores it (PASS ÷ (PASS + FAIL); null when no control was decided), with the score of the scan before",
        tags: ['overview'],
        querystring: { type: 'object', properties: { cluster: listQuery }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    cluster: { type: 'string' },
                    framework: { type: 'string' },
                    version: { type: 'string' },
                    score: percent,
                    pass: { type: 'integer' },
                    fail: { type: 'integer' },
                    counts: { type: 'object', additionalProperties: { type: 'integer' } },
                    scannedAt: { type: 'string', format: 'date-time' },
                    previous: { type: ['object', 'null'], properties: { score: percent, scannedAt: { type: 'string', format: 'date-time' } }, required: ['score', 'scannedAt'] },
                  },
                  required: ['cluster', 'framework', 'version', 'score', 'pass', 'fail', 'counts', 'scannedAt', 'previous'],
                },
              },
            },
            required: ['items'],
          },
          400: errorBody,
          ...authErrors,
        },
      },
    },
    async (req) => ({ items: await complianceOverview(store, req.query.cluster) }),
  );
}
