/**
 * The organisation, the setup wizard and the department directory's management (issue 8 §1).
 */
import { z } from 'zod';
import { Id } from './bounds.ts';

export const DEPARTMENT_LEVEL_VALUES = ['province', 'city', 'district'] as const;
export const DepartmentLevel = z.enum(DEPARTMENT_LEVEL_VALUES);
export type DepartmentLevel = z.infer<typeof DepartmentLevel>;

const Name = z.string().trim().min(1).max(100);
const RegionCode = z.string().trim().max(6);
export const Region = z.object({ name: Name, code: RegionCode });
export type Region = z.infer<typeof Region>;

export const OrganisationBody = z.object({
  province: Region,
  city: Region,
  district: Region,
  leadBureauName: Name,
});
export type OrganisationBody = z.infer<typeof OrganisationBody>;
export const OrganisationView = z.object({
  province: z.object({ name: z.string(), code: z.string() }),
  city: z.object({ name: z.string(), code: z.string() }),
  district: z.object({ name: z.string(), code: z.string() }),
  leadBureauName: z.string(),
  setupCompletedAt: z.string().nullable(),
});
export type OrganisationView = z.infer<typeof OrganisationView>;
export const OrganisationAnswer = z.object({ organisation: OrganisationView.nullable() });
export type OrganisationAnswer = z.infer<typeof OrganisationAnswer>;

export const SetupStatus = z.object({
  organisation: OrganisationView.nullable(),
  activeDepartments: z.number(),
  leadDepartments: z.number(),
  needed: z.boolean(),
  missing: z.array(z.enum(['organisation', 'departments', 'lead'])),
});
export type SetupStatus = z.infer<typeof SetupStatus>;

export const DepartmentAdminRow = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  aliases: z.array(z.string()),
  level: z.string(),
  parentId: z.number().nullable(),
  isLead: z.boolean(),
  regionCode: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DepartmentAdminRow = z.infer<typeof DepartmentAdminRow>;
export const DepartmentAdminList = z.object({ items: z.array(DepartmentAdminRow), canWrite: z.boolean() });
export type DepartmentAdminList = z.infer<typeof DepartmentAdminList>;
export const DepartmentListQuery = z.object({
  includeInactive: z.enum(['true', 'false']).optional(),
});

const Optional = z.string().trim().max(100).nullable().optional();
export const DepartmentBody = z.object({
  name: Name,
  shortName: Optional,
  code: z.string().trim().max(32).nullable().optional(),
  aliases: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  level: DepartmentLevel.optional(),
  parentId: Id.nullable().optional(),
  isLead: z.boolean().optional(),
  /** make this the lead bureau even though another one is */
  replaceLead: z.boolean().optional(),
  regionCode: z.string().trim().max(6).nullable().optional(),
  contactName: z.string().trim().max(50).nullable().optional(),
  contactPhone: z.string().trim().max(30).nullable().optional(),
});
export type DepartmentBody = z.infer<typeof DepartmentBody>;
export const DepartmentPatchBody = DepartmentBody.partial();
export type DepartmentPatchBody = z.infer<typeof DepartmentPatchBody>;

export const DepartmentProblem = z.object({
  code: z.string(),
  field: z.string(),
  zh: z.string(),
  en: z.string(),
});
export type DepartmentProblem = z.infer<typeof DepartmentProblem>;
export const DepartmentImportQuery = z.object({
  commit: z.enum(['true', 'false']).optional(),
  replaceLead: z.enum(['true', 'false']).optional(),
});
export const DepartmentImportReport = z.object({
  fileName: z.string(),
  headerRow: z.number(),
  columns: z.array(z.string()),
  unusedHeaders: z.array(z.string()),
  rows: z.array(
    z.object({
      rowNumber: z.number(),
      action: z.enum(['create', 'update', 'unchanged', 'rejected']),
      name: z.string(),
      shortName: z.string(),
      code: z.string(),
      level: z.string(),
      parentName: z.string().nullable(),
      departmentId: z.number().nullable(),
      problems: z.array(DepartmentProblem),
    }),
  ),
  counts: z.object({ create: z.number(), update: z.number(), unchanged: z.number(), rejected: z.number() }),
  committed: z.boolean(),
});
export type DepartmentImportReport = z.infer<typeof DepartmentImportReport>;
