/** POST /api/v1/scans — an upload (format: src/sources/upload/format.ts), gzip or plain, applied once. */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import type { Store } from '../../sources/store/open.js';
import { UPLOAD_CONTENT_TYPE } from '../../sources/upload/format.js';
import { ingestUpload } from '../../usecases/history/ingest.js';
import { authErrors, errorBody } from './schemas.js';

export function scanRoutes(app: FastifyInstance, store: Store, now: () => Date): void {
  // the body streams to the use case, which bounds and validates it (uploads and incidents alike)
  app.addContentTypeParser(UPLOAD_CONTENT_TYPE, (_req, payload, done) => done(null, payload));

  app.post(
    '/api/v1/scans',
    {
      config: { permission: 'scans:write' },
      schema: {
        summary: 'Upload scan results (newline-delimited JSON, optionally gzip); the same upload twice changes nothing',
        tags: ['ingest'],
        consumes: [UPLOAD_CONTENT_TYPE],
        response: {
          200: {
            type: 'object',
            properties: {
              cluster: { type: 'string' },
              source: { type: 'string' },
              scannedAt: { type: 'string', format: 'date-time' },
              duplicate: { type: 'boolean' },
              stale: { type: 'boolean' },
              received: { type: 'integer', description: 'findings sent' },
              duplicates: { type: 'integer', description: "another tool's findings that one of ours already reports (same rule and object)" },
              findings: { type: 'integer', description: 'distinct findings: the same rule, object and field count once' },
              new: { type: 'integer' },
              fixed: { type: 'integer' },
              reopened: { type: 'integer' },
            },
          },
          400: errorBody,
          415: errorBody,
          ...authErrors,
        },
      },
    },
    async (req, reply) => {
      const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (!req.headers['content-type']?.startsWith(UPLOAD_CONTENT_TYPE) || (encoding !== 'gzip' && encoding !== 'identity')) {
        return reply.code(415).send({ error: 'unsupported-media-type', message: `send ${UPLOAD_CONTENT_TYPE}, plain or with Content-Encoding: gzip` });
      }
      const principal = req.principal!;
      return ingestUpload(store, req.body as Readable, {
        gzip: encoding === 'gzip',
        now: now(),
        allowedCluster: principal.cluster === undefined ? undefined : (c) => c === principal.cluster,
        actor: principal.id,
        remote: req.ip,
      });
    },
  );
}
