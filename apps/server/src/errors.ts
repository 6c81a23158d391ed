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
    // Fastify's own client errors (bad JSON, wrong content type …), with the table's status
    const code: ErrorCode =
      fe.statusCode === 404
        ? 'NOT_FOUND'
        : fe.statusCode === 429
          ? 'RATE_LIMITED'
          : fe.statusCode === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'VALIDATION_FAILED';
    return reply.status(ERROR_TABLE[code].status).send(body(code, fe.message, req.id));
  }
  const db = databaseInputError(error);
  if (db) {
    // The last line of defence: the input should have been refused before it reached SQL.
    req.log.warn({ err: error }, 'input refused by the database (missing validation)');
    return reply
      .status(ERROR_TABLE[db].status)
      .send(body(db, ERROR_TABLE[db].en, req.id, { source: 'database' }));
  }
  req.log.error({ err: error }, 'unexpected failure');
  return reply.status(500).send(body('INTERNAL', ERROR_TABLE.INTERNAL.en, req.id));
}

/**
 * A database error caused by the request's data (SQLSTATE class 22, "data exception": a number
 * or date out of range, a NUL or invalid byte sequence, text too long …), found on the error or
 * its causes (drizzle wraps the driver's error). Such input is a client mistake, never a 500.
 */
export function databaseInputError(error: unknown): ErrorCode | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const sqlState = (e as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
      if (sqlState === '22021' || sqlState === '22P05') return 'INPUT_TEXT_INVALID';
      if (sqlState === '22003' || sqlState === '22008') return 'INPUT_OUT_OF_RANGE';
      return 'VALIDATION_FAILED';
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Errors Fastify raises before a route is found (a URL that does not decode, a path parameter
 * beyond the router's length limit): coded like every other client error.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const message =
      error.code === 'FST_ERR_BAD_URL'
        ? 'The URL has an invalid percent-encoding (it must decode to UTF-8)'
        : 'A path parameter is too long';
    return reply.status(400).send(body('VALIDATION_FAILED', message, req.id, { field: 'url' }));
  }
  return errorHandler(error, req, reply);
}

export function notFound(req: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send(body('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`, req.id));
}

export { AppError };
