/**
 * The organisation, the first-start setup and the department directory (issue 8 §1). Reads are
 * for everyone signed in; writes for the joint office (the services decide, access.ts rules).
 */
import { z } from 'zod';
import { AppError } from '@choucha/core';
import {
  DepartmentAdminList,
  DepartmentAdminRow,
  DepartmentBody,
  DepartmentImportQuery,
  DepartmentImportReport,
  DepartmentListQuery,
  DepartmentPatchBody,
  IdParam,
  OrganisationAnswer,
  OrganisationBody,
  OrganisationView,
  SetupStatus,
} from '@choucha/api';
import {
  completeSetup,
  createDepartment,
  deleteDepartment,
  getDepartmentRecord,
  getOrganisation,
  getSetupStatus,
  importDepartments,
  listDepartmentDirectory,
  setDepartmentActive,
  updateDepartment,
  updateOrganisation,
  type DepartmentRecord,
} from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import { assertCleanText } from '../../input-guard.ts';
import type { Api } from '../index.ts';

const tags = ['organisation'];

function view(d: DepartmentRecord): z.infer<typeof DepartmentAdminRow> {
  return { ...d, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() };
}

export async function departmentAdminRoutes(api: Api, { services }: AppOptions) {
  api.get('/organisation', { schema: { tags, response: { 200: OrganisationAnswer } } }, async (req) => ({
    organisation: await getOrganisation(services, req.actor),
  }));
  api.post(
    '/organisation',
    { schema: { tags, body: OrganisationBody, response: { 200: OrganisationView } } },
    async (req) => {
      assertCleanText(req.body, 'body');
      return updateOrganisation(services, req.actor, req.body);
    },
  );
  api.get('/setup', { schema: { tags, response: { 200: SetupStatus } } }, async (req) =>
    getSetupStatus(services, req.actor),
  );
  api.post('/setup/complete', { schema: { tags, response: { 200: SetupStatus } } }, async (req) =>
    completeSetup(services, req.actor),
  );

  api.get(
    '/admin/departments',
    { schema: { tags, querystring: DepartmentListQuery, response: { 200: DepartmentAdminList } } },
    async (req) => {
      const r = await listDepartmentDirectory(services, req.actor, {
        includeInactive: req.query.includeInactive === 'true',
      });
      return { items: r.items.map(view), canWrite: r.canWrite };
    },
  );
  api.post(
    '/admin/departments',
    { schema: { tags, body: DepartmentBody, response: { 200: DepartmentAdminRow } } },
    async (req) => {
      assertCleanText(req.body, 'body');
      return view(await createDepartment(services, req.actor, req.body));
    },
  );
  api.post(
    '/admin/departments/import',
    { schema: { tags, querystring: DepartmentImportQuery, response: { 200: DepartmentImportReport } } },
    async (req) => {
      if (!req.isMultipart())
        throw new AppError('VALIDATION_FAILED', 'Upload the file as multipart/form-data in the field "file"');
      const file = await req.file();
      if (!file) throw new AppError('IMPORT_FILE_EMPTY', 'No file was uploaded');
      assertCleanText(file.filename, 'file.name');
      const data = await file.toBuffer().catch((e: Error & { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('IMPORT_FILE_TOO_LARGE', e.message);
        throw e;
      });
      return importDepartments(services, req.actor, data, {
        fileName: file.filename,
        commit: req.query.commit === 'true',
        replaceLead: req.query.replaceLead === 'true',
      });
    },
  );
  api.get(
    '/admin/departments/:id',
    { schema: { tags, params: IdParam, response: { 200: DepartmentAdminRow } } },
    async (req) => view(await getDepartmentRecord(services, req.actor, req.params.id)),
  );
  api.post(
    '/admin/departments/:id',
    { schema: { tags, params: IdParam, body: DepartmentPatchBody, response: { 200: DepartmentAdminRow } } },
    async (req) => {
      assertCleanText(req.body, 'body');
      return view(await updateDepartment(services, req.actor, req.params.id, req.body));
    },
  );
  api.post(
    '/admin/departments/:id/deactivate',
    { schema: { tags, params: IdParam, response: { 200: DepartmentAdminRow } } },
    async (req) => view(await setDepartmentActive(services, req.actor, req.params.id, false)),
  );
  api.post(
    '/admin/departments/:id/reactivate',
    { schema: { tags, params: IdParam, response: { 200: DepartmentAdminRow } } },
    async (req) => view(await setDepartmentActive(services, req.actor, req.params.id, true)),
  );
  api.post(
    '/admin/departments/:id/delete',
    { schema: { tags, params: IdParam, response: { 200: z.object({ deleted: z.number() }) } } },
    async (req) => {
      await deleteDepartment(services, req.actor, req.params.id);
      return { deleted: req.params.id };
    },
  );
}
