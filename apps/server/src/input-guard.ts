/**
 * The one input boundary for text (issue 7, §1a). Every request's route params, query string and
 * JSON body — keys and values, however deeply nested — and the headers that are stored (the
 * client address written to the audit log, the user agent) must be well-formed Unicode without
 * NUL; anything else is refused with INPUT_TEXT_INVALID naming the field (`body.username`,
 * `query.q`, `params.id`, `header.user-agent`) before validation, so that no such text reaches a
 * service, the database or the audit chain. Multipart uploads are parsed by their route, which
 * checks the file name and fields with `assertCleanText`; spreadsheet cells are checked by the
 * importer (a row reason naming the row and the column).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, findTextProblem, textProblem, type TextProblem } from '@choucha/core';

/** Headers whose value is stored or logged by the application. */
export const STORED_HEADERS = ['user-agent', 'x-forwarded-for', 'x-real-ip'] as const;

const WHAT: Record<TextProblem, { zh: string; en: string }> = {
  nul: { zh: '空字符（U+0000）', en: 'a NUL character (U+0000)' },
  lone_surrogate: { zh: '孤立的 Unicode 代理项', en: 'a lone Unicode surrogate' },
};

export function textError(field: string, problem: TextProblem): AppError {
  return new AppError('INPUT_TEXT_INVALID', `${field} contains ${WHAT[problem].en}; remove it and retry`, {
    field,
    problem,
    zh: `${field} 含有${WHAT[problem].zh}`,
  });
}

/** Throws INPUT_TEXT_INVALID when `value` (a string, or any JSON-like value) breaks the text rule. */
export function assertCleanText(value: unknown, field: string): void {
  const p = findTextProblem(value, field);
  if (p) throw textError(p.field, p.problem);
}

/** The checks of one request, in the order a reader expects them named. */
export function checkRequestText(req: FastifyRequest): void {
  assertCleanText(req.params, 'params');
  assertCleanText(req.query, 'query');
  // (a multipart body is a stream read by its route, which checks what it reads)
  assertCleanText(req.body, 'body');
  for (const h of STORED_HEADERS) {
    const v = req.headers[h];
    if (v !== undefined) assertCleanText(v, `header.${h}`);
  }
  const ip = textProblem(req.ip ?? '');
  if (ip) throw textError('header.x-forwarded-for', ip);
}

/** Registers the boundary on every route (call before the routes are registered). */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => checkRequestText(req));
}
