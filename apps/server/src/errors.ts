import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ERROR_TABLE, isAppError, type ErrorCode } from '@choucha/core';

function body(code: ErrorCode, message: string, requestId: string, details?: Record<string, unknown>) {
  return details ? { code, message, requestId, details } : { code, message, requestId };
}

/**
 * Maps every failure to `{ code, message, requestId, details? }` with the status from the one
 * error table. User mistakes (validation, AppError) never become a 500; anything else is logged
 * with the request id and answered as INTERNAL without internals.
 */
export function errorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (isAppError(error)) {
    if (error.status >= 500) req.log.error({ err: error }, 'server-side failure');
    return reply.status(error.status).send(body(error.code, error.message, req.id, error.details));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      field: `${error.validationContext ?? ''}${v.instancePath.replace(/\//g, '.')}`,
      message: v.message ?? 'invalid',
    }));
    const msg = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return reply.status(400).send(body('VALIDATION_FAILED', `Invalid request — ${msg}`, req.id, { issues }));
  }
  const fe = error as FastifyError;
  if (
    fe.code === 'FST_REQ_FILE_TOO_LARGE' ||
    fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ||
    fe.statusCode === 413
  ) {
    return reply.status(413).send(body('PAYLOAD_TOO_LARGE', fe.message, req.id));
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors (bad JSON, wrong content type …)
    const code: ErrorCode =
      fe.statusCode === 404 ? 'NOT_FOUND' : fe.statusCode === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED';
    return reply.status(fe.statusCode).send(body(code, fe.message, req.id));
  }
  req.log.error({ err: error }, 'unexpected failure');
  return reply.status(500).send(body('INTERNAL', ERROR_TABLE.INTERNAL.en, req.id));
}

export function notFound(req: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send(body('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`, req.id));
}

export { AppError };
