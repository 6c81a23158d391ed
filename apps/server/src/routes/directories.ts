import { z } from 'zod';
import { AppError } from '@choucha/core';
import {
  CodeIssue,
  CodeIssueFilter,
  CodeIssueList,
  CodeIssueQuery,
  CorrectCodeBody,
  DepartmentRow,
  DetectResult,
  EntityDetail,
  EntitySearchList,
  EntitySearchQuery,
  IdParam,
  IdText,
  ImportDetailFull,
  ImportListQuery,
  ImportQuery,
  ImportSummaryFull,
  InspectorDetail,
  InspectorQuery,
  InspectorRow,
  ItemCatalogue,
  ItemEditionDetail,
  MergeBody,
  NoteBody,
  PublicItemList,
} from '@choucha/api';
import {
  authorize,
  correctCode,
  detectCodeIssues,
  dismissCodeIssue,
  dryRunImport,
  exportCodeIssuesXlsx,
  getEntity,
  getImport,
  getInspector,
  getItemEdition,
  importReportXlsx,
  listCodeIssues,
  listDepartments,
  listImports,
  listInspectors,
  listItemsFor,
  markPilot,
  mergeEntities,
  publicItemList,
  searchEntities,
  uploadLimitBytes,
} from '@choucha/services';
import type { AppOptions } from '../app.ts';
import { assertCleanText } from '../input-guard.ts';
import type { Api } from './index.ts';
import { parseMappingQuery } from './imports/mapping.ts';

const tags = ['directories'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function directoryRoutes(api: Api, { services, config }: AppOptions) {
  api.get(
    '/departments',
    { schema: { tags, response: { 200: z.object({ items: z.array(DepartmentRow) }) } } },
    async (req) => ({
      items: await listDepartments(services, req.actor),
    }),
  );

  // ---- entities
  api.get(
    '/entities',
    { schema: { tags, querystring: EntitySearchQuery, response: { 200: EntitySearchList } } },
    async (req) => searchEntities(services, req.actor, req.query),
  );
  api.get(
    '/entities/:id',
    { schema: { tags, params: IdParam, response: { 200: EntityDetail } } },
    async (req) => getEntity(services, req.actor, req.params.id),
  );

  // ---- inspectors
  api.get(
    '/inspectors',
    {
      schema: {
        tags,
        querystring: InspectorQuery,
        response: { 200: z.object({ items: z.array(InspectorRow) }) },
      },
    },
    async (req) => ({ items: await listInspectors(services, req.actor, req.query) }),
  );
  api.get(
    '/inspectors/:id',
    { schema: { tags, params: IdParam, response: { 200: InspectorDetail } } },
    async (req) => getInspector(services, req.actor, req.params.id),
  );

  // ---- items (editions, joint items)
  api.get(
    '/items',
    {
      schema: {
        tags,
        querystring: z.object({ departmentId: IdText.optional() }),
        response: { 200: ItemCatalogue },
      },
    },
    async (req) => listItemsFor(services, req.actor, req.query.departmentId),
  );
  api.get(
    '/items/editions/:id',
    { schema: { tags, params: IdParam, response: { 200: ItemEditionDetail } } },
    async (req) => getItemEdition(services, req.actor, req.params.id),
  );
  api.get('/public/items', { schema: { tags: ['public'], response: { 200: PublicItemList } } }, async () =>
    publicItemList(services),
  );

  // ---- imports
  api.post(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        querystring: ImportQuery,
        response: { 200: ImportDetailFull },
      },
    },
    async (req) => {
      authorize(req.actor, 'directory.import');
      if (!req.isMultipart())
        throw new AppError('VALIDATION_FAILED', 'Upload the file as multipart/form-data in the field "file"');
      // the district's upload limit (rules in the settings), never above the server's ceiling
      const limit = await uploadLimitBytes(services, config.uploadLimitBytes);
      const file = await req.file({ limits: { fileSize: limit, files: 1 } });
      if (!file) throw new AppError('IMPORT_FILE_EMPTY', 'No file was uploaded');
      assertCleanText(file.filename, 'file.name');
      for (const [name, f] of Object.entries(file.fields)) {
        assertCleanText(name, 'file.field');
        const v = (Array.isArray(f) ? f : [f]).map((x) => (x && 'value' in x ? x.value : undefined));
        assertCleanText(v, `file.${name}`);
      }
      const data = await file.toBuffer().catch((e: Error & { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError(
            'IMPORT_FILE_TOO_LARGE',
            `The file exceeds the upload limit of ${Math.round((limit / 1048576) * 10) / 10} MB`,
            {
              limitBytes: limit,
            },
          );
        throw e;
      });
      const sheet = req.query.sheet;
      return dryRunImport(services, req.actor, {
        kind: req.query.kind,
        fileName: file.filename,
        data,
        sheet: sheet !== undefined && /^\d+$/.test(sheet) ? Number(sheet) : sheet,
        departmentId: req.query.departmentId,
        editionName: req.query.edition,
        mapping: parseMappingQuery(req.query.mapping),
      });
    },
  );
  // POST /imports/:id/commit and /imports/:id/dry-run: routes/imports/mapping.ts
  api.get(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        querystring: ImportListQuery,
        response: { 200: z.object({ items: z.array(ImportSummaryFull) }) },
      },
    },
    async (req) => ({
      items: await listImports(services, req.actor, req.query),
    }),
  );
  api.get(
    '/imports/:id',
    { schema: { tags: ['imports'], params: IdParam, response: { 200: ImportDetailFull } } },
    async (req) => getImport(services, req.actor, req.params.id),
  );
  api.get(
    '/imports/:id/report.xlsx',
    { schema: { tags: ['imports'], params: IdParam } },
    async (req, reply) => {
      const buf = await importReportXlsx(services, req.actor, req.params.id);
      reply.header('content-type', XLSX_TYPE);
      reply.header('content-disposition', attachment(`导入报告-${req.params.id}.xlsx`));
      return reply.send(buf);
    },
  );

  // ---- 重错码 queue
  const ctags = ['code-issues'];
  api.get(
    '/code-issues',
    { schema: { tags: ctags, querystring: CodeIssueQuery, response: { 200: CodeIssueList } } },
    async (req) => listCodeIssues(services, req.actor, req.query),
  );
  api.get(
    '/code-issues/export.xlsx',
    { schema: { tags: ctags, querystring: CodeIssueFilter } },
    async (req, reply) => {
      const buf = await exportCodeIssuesXlsx(services, req.actor, req.query);
      reply.header('content-type', XLSX_TYPE);
      reply.header('content-disposition', attachment('重错码.xlsx'));
      return reply.send(buf);
    },
  );
  api.post('/code-issues/detect', { schema: { tags: ctags, response: { 200: DetectResult } } }, async (req) =>
    detectCodeIssues(services, req.actor),
  );
  api.post(
    '/code-issues/:id/correct',
    { schema: { tags: ctags, params: IdParam, body: CorrectCodeBody, response: { 200: CodeIssue } } },
    async (req) => correctCode(services, req.actor, req.params.id, req.body),
  );
  api.post(
    '/code-issues/:id/merge',
    { schema: { tags: ctags, params: IdParam, body: MergeBody, response: { 200: CodeIssue } } },
    async (req) => mergeEntities(services, req.actor, req.params.id, req.body),
  );
  api.post(
    '/code-issues/:id/pilot',
    { schema: { tags: ctags, params: IdParam, body: NoteBody, response: { 200: CodeIssue } } },
    async (req) => markPilot(services, req.actor, req.params.id, req.body),
  );
  api.post(
    '/code-issues/:id/dismiss',
    { schema: { tags: ctags, params: IdParam, body: NoteBody, response: { 200: CodeIssue } } },
    async (req) => dismissCodeIssue(services, req.actor, req.params.id, req.body),
  );
}
