/**
 * Results that close the loop (issue 9 §4): per-item results, follow-ups, the review queue with
 * deadlines, attachments, corrections (更正), timeliness (公示及时率).
 */
import { z } from 'zod';
import { FOLLOW_UPS, RESULT_CODES } from '@choucha/core/result-codes';
import { DateText, Id } from '../bounds.ts';

export const ITEM_OUTCOMES = ['合格', '不合格', '未检查'] as const;
export const RESULT_STATUS_VALUES = ['submitted', 'rejected', 'approved', 'published'] as const;
export const DEADLINE_STATES = ['ok', 'due_soon', 'overdue'] as const;
export const RECHECK_RESULTS = ['已改正', '未改正'] as const;

export const ResultItemBody = z.object({
  itemId: Id,
  outcome: z.enum(ITEM_OUTCOMES),
  codes: z.array(z.enum(RESULT_CODES)).max(20).optional(),
  note: z.string().max(1000).optional(),
});
export type ResultItemBody = z.infer<typeof ResultItemBody>;
export const FollowUpDetailBody = z.object({
  action: z.enum(FOLLOW_UPS),
  dueOn: DateText.optional(),
  receivingDepartment: z.string().max(200).optional(),
});
export type FollowUpDetailBody = z.infer<typeof FollowUpDetailBody>;

export const Deadline = z.object({
  dueOn: z.string(),
  state: z.enum(DEADLINE_STATES),
  /** working days left; negative when overdue (published: left at publication) */
  remaining: z.number(),
});
export type Deadline = z.infer<typeof Deadline>;

export const ReviewQuery = z.object({
  status: z.enum(RESULT_STATUS_VALUES).default('submitted'),
  taskId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  deadline: z.enum(DEADLINE_STATES).optional(),
  sort: z.enum(['deadline', 'entered']).default('deadline'),
});
export const ReviewRow = z.object({
  resultId: z.number(),
  taskId: z.number(),
  taskName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  entityName: z.string(),
  key: z.string(),
  codes: z.array(z.string()),
  followUps: z.array(z.string()),
  note: z.string().nullable(),
  inspectedOn: z.string(),
  enteredAt: z.string(),
  enteredByName: z.string().nullable(),
  status: z.string(),
  /** the last reason it was sent back */
  reviewNote: z.string().nullable(),
  /** the enterer's answer to that reason */
  response: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  version: z.number(),
  attachments: z.number(),
  deadline: Deadline,
});
export type ReviewRow = z.infer<typeof ReviewRow>;
export const ReviewList = z.object({ items: z.array(ReviewRow), total: z.number(), today: z.string() });
export type ReviewList = z.infer<typeof ReviewList>;
export const BulkReviewBody = z.object({
  ids: z.array(Id).min(1).max(1000),
  note: z.string().max(1000).optional(),
});

export const AttachmentMeta = z.object({
  id: z.number(),
  resultId: z.number(),
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
});
export type AttachmentMeta = z.infer<typeof AttachmentMeta>;

export const FollowUpAction = z.object({
  id: z.number(),
  action: z.string(),
  state: z.string(),
  dueOn: z.string().nullable(),
  receivingDepartment: z.string().nullable(),
  recheckOn: z.string().nullable(),
  recheckResult: z.string().nullable(),
  deadline: z.object({ state: z.enum(DEADLINE_STATES), remaining: z.number() }).nullable(),
});
export const CorrectionView = z.object({
  version: z.number(),
  reason: z.string(),
  correctedAt: z.string(),
  before: z.unknown(),
});
export const ResultDetail = z.object({
  id: z.number(),
  targetId: z.number(),
  taskId: z.number(),
  taskName: z.string(),
  entityName: z.string(),
  key: z.string(),
  departmentId: z.number(),
  codes: z.array(z.string()),
  followUps: z.array(z.string()),
  note: z.string().nullable(),
  inspectedOn: z.string(),
  status: z.string(),
  reviewNote: z.string().nullable(),
  response: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  version: z.number(),
  deadline: Deadline,
  items: z.array(
    z.object({
      itemId: z.number(),
      name: z.string(),
      outcome: z.string(),
      codes: z.array(z.string()),
      note: z.string().nullable(),
    }),
  ),
  followUpActions: z.array(FollowUpAction),
  attachments: z.array(AttachmentMeta),
  corrections: z.array(CorrectionView),
});
export type ResultDetail = z.infer<typeof ResultDetail>;

export const CorrectionBody = z.object({
  reason: z.string().min(2).max(1000),
  codes: z.array(z.enum(RESULT_CODES)).min(1).max(50),
  followUps: z.array(z.enum(FOLLOW_UPS)).max(50).default([]),
  followUpDetails: z.array(FollowUpDetailBody).max(20).optional(),
  items: z.array(ResultItemBody).max(200).optional(),
  note: z.string().max(2000).optional(),
});
export const CorrectionDone = z.object({
  id: z.number(),
  resultId: z.number(),
  version: z.number(),
  reason: z.string(),
  correctedAt: z.string(),
});

export const FollowUpQuery = z.object({
  state: z.enum(['open', 'done']).default('open'),
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  deadline: z.enum(DEADLINE_STATES).optional(),
});
export const FollowUpRow = z.object({
  id: z.number(),
  resultId: z.number(),
  departmentId: z.number(),
  action: z.string(),
  state: z.string(),
  dueOn: z.string().nullable(),
  receivingDepartment: z.string().nullable(),
  recheckOn: z.string().nullable(),
  recheckResult: z.string().nullable(),
  note: z.string().nullable(),
  completedAt: z.string().nullable(),
  resultStatus: z.string(),
  inspectedOn: z.string(),
  codes: z.array(z.string()),
  taskId: z.number(),
  taskName: z.string(),
  entityName: z.string(),
  key: z.string(),
  deadline: z.object({ state: z.enum(DEADLINE_STATES), remaining: z.number() }).nullable(),
});
export type FollowUpRow = z.infer<typeof FollowUpRow>;
export const FollowUpList = z.object({ items: z.array(FollowUpRow), total: z.number(), today: z.string() });
export type FollowUpList = z.infer<typeof FollowUpList>;
export const CompleteFollowUpBody = z.object({
  recheckOn: DateText.optional(),
  recheckResult: z.enum(RECHECK_RESULTS).optional(),
  receivingDepartment: z.string().max(200).optional(),
  note: z.string().max(1000).optional(),
});
export const FollowUpDone = z.object({
  id: z.number(),
  state: z.string(),
  recheckOn: z.string().nullable(),
  recheckResult: z.string().nullable(),
  receivingDepartment: z.string().nullable(),
  completedAt: z.string(),
});

export const Timeliness = z.object({
  year: z.number(),
  published: z.number(),
  onTime: z.number(),
  late: z.number(),
  overdueOpen: z.number(),
  rate: z.number().nullable(),
  corrections: z.number(),
  byDepartment: z.array(
    z.object({
      departmentId: z.number(),
      departmentName: z.string(),
      published: z.number(),
      onTime: z.number(),
      late: z.number(),
      overdueOpen: z.number(),
    }),
  ),
});
export type Timeliness = z.infer<typeof Timeliness>;

/** A correction as the public sees it: when and why (更正 stays public). */
export const PublicCorrection = z.object({
  version: z.number(),
  reason: z.string(),
  correctedAt: z.string(),
});
export type PublicCorrection = z.infer<typeof PublicCorrection>;
