/** Errors as API answers: the client's mistakes are 400/403 with a message, everything else a bare 500 (logged). */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { UsageError } from '../core/errors.js';
import { UploadError } from '../sources/upload/read.js';
import { UploadForbidden } from '../usecases/history/ingest.js';
import { BudgetError, BusyError, ConflictError, ForbiddenError, NotFoundError } from '../usecases/errors.js';

export function errorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const e = error as FastifyError;
  if (error instanceof UploadForbidden || error instanceof ForbiddenError) void reply.code(403).send({ error: 'forbidden', message: error.message });
  else if (error instanceof NotFoundError) void reply.code(404).send({ error: 'not-found', message: error.message });
  else if (error instanceof ConflictError) void reply.code(409).send({ error: 'conflict', message: error.message });
  else if (error instanceof BusyError) void reply.code(429).header('retry-after', String(error.retryAfterSeconds)).send({ error: 'too-many-requests', message: error.message });
  else if (error instanceof BudgetError) void reply.code(422).send({ error: 'over-budget', message: error.message });
  else if (error instanceof UploadError || error instanceof UsageError) void reply.code(400).send({ error: 'bad-request', message: error.message });
  else if (e.validation) void reply.code(400).send({ error: 'bad-request', message: e.message });
  else if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) void reply.code(e.statusCode).send({ error: 'bad-request', message: e.message });
  else {
    req.log.error({ err: error }, 'request failed');
    void reply.code(500).send({ error: 'internal', message: 'the server could not complete the request' });
  }
}
