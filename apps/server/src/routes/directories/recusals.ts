/** Recusal declarations (回避) and their import (issue 8 §4): services/directories/recusals.ts. */
import { AppError } from '@choucha/core';
import {
  AddRecusalBody,
  DeclareRecusalBody,
  DecideRecusalBody,
  IdParam,
  RecusalImport,
  RecusalList,
  RecusalListQuery,
  RecusalRow,
} from '@choucha/api';
import {
  addRecusal,
  authorize,
  commitRecusalImport,
  declareRecusal,
  decideRecusal,
  dryRunRecusalImport,
  getRecusalImport,
  listMyRecusals,
  listRecusals,
} from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import { assertCleanText } from '../../input-guard.ts';
import type { Api } from '../index.ts';

const tags = ['recusals'];

export async function recusalRoutes(api: Api, { services }: AppOptions) {
  api.get('/me/recusals', { schema: { tags, response: { 200: RecusalList } } }, async (req) => ({
    items: await listMyRecusals(services, req.actor),
  }));
  api.post(
    '/me/recusals',
    { schema: { tags, body: DeclareRecusalBody, response: { 200: RecusalRow } } },
    async (req) => declareRecusal(services, req.actor, req.body),
  );
  api.get(
    '/recusals',
    { schema: { tags, querystring: RecusalListQuery, response: { 200: RecusalList } } },
    async (req) => ({ items: await listRecusals(services, req.actor, req.query) }),
  );
  api.post(
    '/recusals',
    { schema: { tags, body: AddRecusalBody, response: { 200: RecusalRow } } },
    async (req) => addRecusal(services, req.actor, req.body),
  );
  api.post(
    '/recusals/:id/decision',
    { schema: { tags, params: IdParam, body: DecideRecusalBody, response: { 200: RecusalRow } } },
    async (req) => decideRecusal(services, req.actor, req.params.id, req.body),
  );
  api.post(
    '/recusals/imports',
    {
      schema: {
        tags,
        description:
          'Dry run of a recusal list (columns 执法证号 or 姓名, 统一社会信用代码 or 主体名称, 关系, 说明, 申报日期), uploaded as multipart field "file".',
        response: { 200: RecusalImport },
      },
    },
    async (req) => {
      authorize(req.actor, 'directory.import');
      if (!req.isMultipart())
        throw new AppError('VALIDATION_FAILED', 'Upload the file as multipart/form-data in the field "file"');
      const file = await req.file();
      if (!file) throw new AppError('IMPORT_FILE_EMPTY');
      assertCleanText(file.filename, 'file.name');
      const data = await file.toBuffer().catch((e: Error & { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('IMPORT_FILE_TOO_LARGE', e.message);
        throw e;
      });
      return dryRunRecusalImport(services, req.actor, { fileName: file.filename, data });
    },
  );
  api.get(
    '/recusals/imports/:id',
    { schema: { tags, params: IdParam, response: { 200: RecusalImport } } },
    async (req) => getRecusalImport(services, req.actor, req.params.id),
  );
  api.post(
    '/recusals/imports/:id/commit',
    { schema: { tags, params: IdParam, response: { 200: RecusalImport } } },
    async (req) => commitRecusalImport(services, req.actor, req.params.id),
  );
}
