/**
 * Annual plans (年度抽查计划), the joint plan (部门联合抽查计划) and their batches (批次):
 * request and response shapes of /api/plans… (services/campaigns/plans*.ts).
 */
import { z } from 'zod';
import { Count, DateText, Id, LabelList } from '../bounds.ts';

export const PLAN_KIND_VALUES = ['department', 'joint'] as const;
export const PLAN_STATUS_VALUES = [
  'draft',
  'filed',
  'approved',
  'returned',
  'in_progress',
  'done',
  'superseded',
] as const;
export const PlanKind = z.enum(PLAN_KIND_VALUES);
export const PlanStatus = z.enum(PLAN_STATUS_VALUES);

/** Same shape as a task's scope (定向: restricts the roster). */
export const PlanScope = z.object({
  streets: LabelList.optional(),
  entityTypes: LabelList.optional(),
  industryPrefixes: LabelList.optional(),
  licences: LabelList.optional(),
  tags: LabelList.optional(),
  supervisingDepartments: z.array(Id).max(100).optional(),
});

/** Same shape as a task's sampling: one ratio or one per risk class, with min/max. */
export const PlanSampling = z.object({
  ratio: z.number().gt(0).lte(1).optional(),
  classes: z
    .record(z.string().max(20), z.number().gt(0).lte(1))
    .refine((c) => Object.keys(c).length <= 50, { message: 'at most 50 classes' })
    .optional(),
  min: Count.optional(),
  max: Count.min(1).optional(),
  /** What the maximum bounds (the task form's meaning): all targets, split by class, or each class. */
  maxMode: z.enum(['total', 'split', 'perClass']).optional(),
  /** At most this many teams of one draw per inspector (the task form's load cap). */
  maxLoad: z.number().int().min(1).max(10000).optional(),
});

export const PlanBatchBody = z.object({
  name: z.string().min(1).max(200),
  itemIds: z.array(Id).min(1).max(1000),
  scope: PlanScope.optional(),
  sampling: PlanSampling,
  plannedQuantity: Count.min(1),
  windowStart: DateText,
  windowEnd: DateText,
  leadDepartmentId: Id.optional(),
  cooperatingDepartmentIds: z.array(Id).max(100).default([]),
});
export type PlanBatchBody = z.infer<typeof PlanBatchBody>;

export const CreatePlanBody = z.object({
  kind: PlanKind.default('department'),
  departmentId: Id.optional(),
  year: z.number().int().min(2000).max(2999),
  name: z.string().min(1).max(200),
  note: z.string().max(2000).optional(),
  batches: z.array(PlanBatchBody).max(500).optional(),
});
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

export const UpdatePlanBody = z.object({
  name: z.string().min(1).max(200).optional(),
  note: z.string().max(2000).nullable().optional(),
});
export const PlanReasonBody = z.object({ reason: z.string().max(2000) });
export const PlanNoteBody = z.object({ note: z.string().max(2000).optional() });
export const PlanListQuery = z.object({
  year: z.coerce.number().int().min(1900).max(2999).optional(),
  asOf: DateText.optional(),
});
export const PlanAsOfQuery = z.object({ asOf: DateText.optional() });
export const OpenDueBody = z.object({ today: DateText.optional() });

export const PlanCompletion = z.object({
  batches: z.number(),
  batchesDone: z.number(),
  batchRate: z.number(),
  planned: z.number(),
  published: z.number(),
  targetRate: z.number(),
});
export type PlanCompletion = z.infer<typeof PlanCompletion>;

const PlanBase = z.object({
  id: z.number(),
  kind: PlanKind,
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  year: z.number(),
  name: z.string(),
  version: z.number(),
  previousId: z.number().nullable(),
  status: PlanStatus,
  note: z.string().nullable(),
  amendReason: z.string().nullable(),
  returnReason: z.string().nullable(),
  filedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completion: PlanCompletion,
});

export const PlanRow = PlanBase.extend({
  batchCount: z.number(),
  openedCount: z.number(),
  jointBatchCount: z.number(),
  amendment: z.object({ id: z.number(), version: z.number(), status: PlanStatus }).nullable(),
});
export type PlanRow = z.infer<typeof PlanRow>;

export const BatchProgress = z.object({
  planned: z.number(),
  drawn: z.number(),
  inspected: z.number(),
  published: z.number(),
  done: z.boolean(),
});

export const PlanBatchView = z.object({
  id: z.number(),
  originId: z.number(),
  seq: z.number(),
  name: z.string(),
  itemIds: z.array(z.number()),
  scope: z.record(z.string(), z.unknown()).nullable(),
  sampling: z.record(z.string(), z.unknown()),
  plannedQuantity: z.number(),
  windowStart: z.string(),
  windowEnd: z.string(),
  directed: z.boolean(),
  leadDepartmentId: z.number(),
  leadDepartmentName: z.string(),
  cooperatingDepartmentIds: z.array(z.number()),
  cooperatingDepartmentNames: z.array(z.string()),
  taskId: z.number().nullable(),
  taskStatus: z.string().nullable(),
  openedAt: z.string().nullable(),
  progress: BatchProgress,
});
export type PlanBatchView = z.infer<typeof PlanBatchView>;

export const PlanDetail = PlanBase.extend({
  createdByName: z.string().nullable(),
  asOf: z.string().nullable(),
  batches: z.array(PlanBatchView),
  versions: z.array(
    z.object({
      id: z.number(),
      version: z.number(),
      status: PlanStatus,
      amendReason: z.string().nullable(),
      createdAt: z.string(),
      decidedAt: z.string().nullable(),
    }),
  ),
});
export type PlanDetail = z.infer<typeof PlanDetail>;

export const PlanYearView = z.object({
  year: z.number(),
  asOf: z.string().nullable(),
  plans: z.array(PlanRow),
  departmentsWithoutPlan: z.array(z.object({ id: z.number(), name: z.string() })),
  byStatus: z.record(z.string(), z.number()),
  completion: PlanCompletion,
});
export type PlanYearView = z.infer<typeof PlanYearView>;

export const OpenDueResult = z.object({
  today: z.string(),
  opened: z.array(
    z.object({ batchId: z.number(), planId: z.number(), name: z.string(), taskId: z.number() }),
  ),
  missed: z.array(
    z.object({ batchId: z.number(), planId: z.number(), name: z.string(), windowEnd: z.string() }),
  ),
  failed: z.array(
    z.object({
      batchId: z.number(),
      planId: z.number(),
      name: z.string(),
      code: z.string(),
      message: z.string(),
    }),
  ),
});
export type OpenDueResult = z.infer<typeof OpenDueResult>;
