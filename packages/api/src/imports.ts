/**
 * Import shapes added with issue 8 §2: the file's columns for the mapping editor, the department
 * names of the file (resolved, mapped, unresolved), and the bodies that re-run a dry run with a
 * column mapping and a department mapping, or commit with a department mapping.
 */
import { z } from 'zod';
import { Id } from './bounds.ts';

/** field → 0-based column index, or null to ignore a column that was detected. */
export const ColumnMappingOverride = z
  .record(z.string().min(1).max(60), z.number().int().min(0).max(16_383).nullable())
  .refine((o) => Object.keys(o).length <= 60, { message: 'At most 60 fields' });
export type ColumnMappingOverride = z.infer<typeof ColumnMappingOverride>;

/** Name as in the file → local department ids (several for co-leads), or 'skip' (reject those rows). */
export const DepartmentMap = z
  .record(z.string().trim().min(1).max(200), z.union([z.array(Id).min(1).max(20), z.literal('skip')]))
  .refine((o) => Object.keys(o).length <= 1000, { message: 'At most 1000 names' });
export type DepartmentMap = z.infer<typeof DepartmentMap>;

export const ImportRerunBody = z.object({
  mapping: ColumnMappingOverride.optional(),
  departmentMap: DepartmentMap.optional(),
});
export type ImportRerunBody = z.infer<typeof ImportRerunBody>;

export const ImportCommitBody = z.object({ departmentMap: DepartmentMap.optional() }).optional().nullable();
export type ImportCommitBody = z.infer<typeof ImportCommitBody>;

const Column = z.object({ column: z.number(), header: z.string() });

export const ImportColumns = z.object({
  headers: z.array(z.string()),
  fields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      required: z.boolean(),
      column: z.number().nullable(),
      header: z.string().nullable(),
    }),
  ),
  /** the file's columns nothing reads */
  unused: z.array(Column),
  override: z.record(z.string(), z.number().nullable()).nullable(),
});
export type ImportColumns = z.infer<typeof ImportColumns>;

export const DepartmentNamesView = z.object({
  unresolved: z.array(
    z.object({
      name: z.string(),
      field: z.string(),
      header: z.string(),
      rows: z.number(),
      sampleRows: z.array(z.number()),
      kind: z.enum(['none', 'ambiguous']),
      candidates: z.array(z.object({ id: z.number(), name: z.string() })),
      multiple: z.boolean(),
    }),
  ),
  mapped: z.array(
    z.object({
      name: z.string(),
      field: z.string(),
      rows: z.number(),
      departmentIds: z.union([z.array(z.number()), z.literal('skip')]),
    }),
  ),
  resolved: z.array(
    z.object({ name: z.string(), departmentId: z.number(), via: z.string(), rows: z.number() }),
  ),
});
export type DepartmentNamesView = z.infer<typeof DepartmentNamesView>;

/** The fields ImportDetailFull gains (directories.ts). */
export const ImportDetailMapping = {
  columns: ImportColumns.optional(),
  departmentNames: DepartmentNamesView.nullable().optional(),
  departmentMap: z
    .record(z.string(), z.union([z.array(z.number()), z.literal('skip')]))
    .nullable()
    .optional(),
  reasonCounts: z.record(z.string(), z.number()).optional(),
};
