import { z } from 'zod';
import { AppError } from '@choucha/core';
import {
  Department,
  EntityList,
  EntityQuery,
  IdParam,
  ImportDetail,
  ImportKind,
  ImportSummary,
  Inspector,
  ItemList,
} from '@choucha/api';
import {
  authorize,
  commitEntityImport,
  dryRunEntityImport,
  getEntity,
  getImport,
  listDepartments,
  listImports,
  listInspectors,
  listItems,
  searchEntities,
} from '@choucha/services';
import type { AppOptions } from '../app.ts';
import type { Api } from './index.ts';

const tags = ['directories'];

export async function directoryRoutes(api: Api, { services }: AppOptions) {
  api.get(
    '/departments',
    { schema: { tags, response: { 200: z.object({ items: z.array(Department) }) } } },
    async (req) => ({
      items: await listDepartments(services, req.actor),
    }),
  );
  api.get(
    '/entities',
    { schema: { tags, querystring: EntityQuery, response: { 200: EntityList } } },
    async (req) => searchEntities(services, req.actor, req.query),
  );
  api.get('/entities/:id', { schema: { tags, params: IdParam } }, async (req) =>
    getEntity(services, req.actor, req.params.id),
  );
  api.get(
    '/inspectors',
    {
      schema: {
        tags,
        querystring: z.object({ departmentId: z.coerce.number().int().optional() }),
        response: { 200: z.object({ items: z.array(Inspector) }) },
      },
    },
    async (req) => ({ items: await listInspectors(services, req.actor, req.query.departmentId) }),
  );
  api.get(
    '/items',
    {
      schema: {
        tags,
        querystring: z.object({ departmentId: z.coerce.number().int().optional() }),
        response: { 200: ItemList },
      },
    },
    async (req) => {
      authorize(req.actor, 'directory.read');
      return listItems(services, req.query.departmentId);
    },
  );

  // ---- imports
  api.post(
    '/imports',
    {
      schema: {
        tags: ['imports'],
        querystring: z.object({ kind: ImportKind.default('entities') }),
        response: { 200: ImportDetail },
      },
    },
    async (req) => {
      authorize(req.actor, 'directory.import');
      if (!req.isMultipart())
        throw new AppError('VALIDATION_FAILED', 'Upload the file as multipart/form-data in the field "file"');
      const file = await req.file();
      if (!file) throw new AppError('IMPORT_FILE_EMPTY', 'No file was uploaded');
      const data = await file.toBuffer();
      if (req.query.kind !== 'entities')
        throw new AppError('IMPORT_FILE_TYPE', `Import of ${req.query.kind} is not available yet`);
      return dryRunEntityImport(services, req.actor, { name: file.filename, data });
    },
  );
  api.post(
    '/imports/:id/commit',
    { schema: { tags: ['imports'], params: IdParam, response: { 200: ImportDetail } } },
    async (req) => commitEntityImport(services, req.actor, req.params.id),
  );
  api.get(
    '/imports',
    { schema: { tags: ['imports'], response: { 200: z.object({ items: z.array(ImportSummary) }) } } },
    async (req) => ({
      items: await listImports(services, req.actor),
    }),
  );
  api.get(
    '/imports/:id',
    { schema: { tags: ['imports'], params: IdParam, response: { 200: ImportDetail } } },
    async (req) => getImport(services, req.actor, req.params.id),
  );
}
