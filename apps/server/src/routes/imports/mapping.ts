/**
 * Import mapping (issue 8 §2): re-run a dry run on the stored file with a column mapping and a
 * department mapping; commit with a department mapping (saved as aliases of the departments).
 */
import { AppError } from '@choucha/core';
import {
  ColumnMappingOverride,
  IdParam,
  ImportCommitBody,
  ImportDetailFull,
  ImportRerunBody,
} from '@choucha/api';
import { commitImport, rerunDryRun } from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import { assertCleanText } from '../../input-guard.ts';
import type { Api } from '../index.ts';

const tags = ['imports'];

export async function importMappingRoutes(api: Api, { services }: AppOptions) {
  api.post(
    '/imports/:id/dry-run',
    { schema: { tags, params: IdParam, body: ImportRerunBody, response: { 200: ImportDetailFull } } },
    async (req) => {
      assertCleanText(Object.keys(req.body.departmentMap ?? {}), 'departmentMap');
      return rerunDryRun(services, req.actor, req.params.id, req.body);
    },
  );
  api.post(
    '/imports/:id/commit',
    { schema: { tags, params: IdParam, body: ImportCommitBody, response: { 200: ImportDetailFull } } },
    async (req) => {
      const departmentMap = req.body?.departmentMap;
      if (departmentMap) assertCleanText(Object.keys(departmentMap), 'departmentMap');
      return commitImport(services, req.actor, req.params.id, departmentMap ? { departmentMap } : {});
    },
  );
}

/** `?mapping=` of an upload: JSON {"field": column | null}; anything else is IMPORT_MAPPING_INVALID. */
export function parseMappingQuery(text: string | undefined): ColumnMappingOverride | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new AppError('IMPORT_MAPPING_INVALID', 'The mapping is not JSON', { field: 'mapping' });
  }
  const r = ColumnMappingOverride.safeParse(v);
  if (!r.success)
    throw new AppError('IMPORT_MAPPING_INVALID', 'The mapping must be {"field": column index | null}', {
      field: 'mapping',
    });
  return r.data;
}
