/**
 * Results routes (issue 9 §4): entry, the department's review (approve / send back, in bulk), the
 * joint office's publication and corrections (更正), one result's detail, attachments (multipart,
 * never public), follow-ups tracked to completion, and the timeliness indicator (公示及时率).
 */
import { z } from 'zod';
import {
  AttachmentMeta,
  BulkReviewBody,
  CompleteFollowUpBody,
  CorrectionBody,
  CorrectionDone,
  EnterResultBody,
  FollowUpDone,
  FollowUpList,
  FollowUpQuery,
  IdParam,
  ResultDetail,
  ResultView,
  ReviewBody,
  ReviewList,
  ReviewQuery,
  Timeliness,
  YearText,
} from '@choucha/api';
import { AppError, ATTACHMENT_MAX_BYTES } from '@choucha/core';
import {
  addAttachment,
  approveResult,
  approveResults,
  completeFollowUp,
  correctResult,
  deleteAttachment,
  enterResult,
  getAttachment,
  getResult,
  listFollowUps,
  listForReview,
  publicityTimeliness,
  publishResult,
  publishResults,
  rejectResult,
} from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import { assertCleanText } from '../../input-guard.ts';
import type { Api } from '../index.ts';

export async function resultRoutes(api: Api, { services }: AppOptions) {
  const tags = ['results'];
  api.post(
    '/targets/:id/result',
    { schema: { tags, params: IdParam, body: EnterResultBody, response: { 200: ResultView } } },
    async (req) => enterResult(services, req.actor, req.params.id, req.body),
  );
  api.get(
    '/review',
    { schema: { tags, querystring: ReviewQuery, response: { 200: ReviewList } } },
    async (req) => listForReview(services, req.actor, req.query),
  );
  const Bulk = { tags, body: BulkReviewBody, response: { 200: z.object({ items: z.array(ResultView) }) } };
  api.post('/results/approve', { schema: Bulk }, async (req) => ({
    items: await approveResults(services, req.actor, req.body.ids, req.body.note),
  }));
  api.post('/results/publish', { schema: Bulk }, async (req) => ({
    items: await publishResults(services, req.actor, req.body.ids, req.body.note),
  }));
  api.post(
    '/results/:id/approve',
    { schema: { tags, params: IdParam, body: ReviewBody.nullish(), response: { 200: ResultView } } },
    async (req) => approveResult(services, req.actor, req.params.id, req.body?.note),
  );
  api.post(
    '/results/:id/publish',
    { schema: { tags, params: IdParam, body: ReviewBody.nullish(), response: { 200: ResultView } } },
    async (req) => publishResult(services, req.actor, req.params.id, req.body?.note),
  );
  api.post(
    '/results/:id/reject',
    { schema: { tags, params: IdParam, body: ReviewBody, response: { 200: ResultView } } },
    async (req) => rejectResult(services, req.actor, req.params.id, req.body.note),
  );
  api.post(
    '/results/:id/corrections',
    { schema: { tags, params: IdParam, body: CorrectionBody, response: { 200: CorrectionDone } } },
    async (req) => correctResult(services, req.actor, req.params.id, req.body),
  );
  api.get(
    '/results/:id',
    { schema: { tags, params: IdParam, response: { 200: ResultDetail } } },
    async (req) => getResult(services, req.actor, req.params.id),
  );
  api.post(
    '/results/:id/attachments',
    { schema: { tags, params: IdParam, response: { 200: AttachmentMeta } } },
    async (req) => {
      if (!req.isMultipart())
        throw new AppError(
          'ATTACHMENT_MISSING',
          'Upload the file as multipart/form-data in the field "file"',
        );
      // one byte above the limit tells a file of exactly 10 MB from a larger one
      const file = await req.file({ limits: { fileSize: ATTACHMENT_MAX_BYTES + 1, files: 1 } });
      if (!file) throw new AppError('ATTACHMENT_MISSING');
      assertCleanText(file.filename, 'file.name');
      const data = await file.toBuffer().catch((e: Error & { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('ATTACHMENT_TOO_LARGE');
        throw e;
      });
      return addAttachment(services, req.actor, req.params.id, {
        fileName: file.filename,
        data,
        truncated: file.file.truncated,
      });
    },
  );
  api.get('/attachments/:id', { schema: { tags, params: IdParam } }, async (req, reply) => {
    const a = await getAttachment(services, req.actor, req.params.id);
    return reply
      .header('content-type', a.mimeType)
      .header('content-length', a.size)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-disposition',
        `${a.mimeType === 'application/pdf' || a.mimeType.startsWith('image/') ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.fileName)}`,
      )
      .send(a.data);
  });
  api.delete(
    '/attachments/:id',
    { schema: { tags, params: IdParam, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (req) => deleteAttachment(services, req.actor, req.params.id),
  );
  api.get(
    '/follow-ups',
    { schema: { tags, querystring: FollowUpQuery, response: { 200: FollowUpList } } },
    async (req) => listFollowUps(services, req.actor, req.query),
  );
  api.post(
    '/follow-ups/:id/complete',
    { schema: { tags, params: IdParam, body: CompleteFollowUpBody, response: { 200: FollowUpDone } } },
    async (req) => completeFollowUp(services, req.actor, req.params.id, req.body),
  );
  api.get(
    '/indicators/timeliness',
    { schema: { tags, querystring: z.object({ year: YearText }), response: { 200: Timeliness } } },
    async (req) => publicityTimeliness(services, req.actor, req.query.year),
  );
}
