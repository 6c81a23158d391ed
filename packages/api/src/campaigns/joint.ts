/**
 * Joint inspections (部门联合抽查) and 相同对象、相近时间: request and response shapes of /api/joint…
 * and of a partner's item contribution (services/campaigns/joint*.ts).
 */
import { z } from 'zod';
import { Id, YearText } from '../bounds.ts';

export const MERGE_PROPOSAL_STATUS_VALUES = ['open', 'accepted', 'declined', 'stale'] as const;

export const MergeProposalMember = z.object({
  ref: z.string(),
  kind: z.enum(['task', 'batch', 'target']),
  id: z.number(),
  name: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  eligible: z.boolean(),
  taskId: z.number().nullable(),
  planName: z.string().nullable(),
});

export const MergeProposal = z.object({
  id: z.number(),
  kind: z.enum(['batch', 'entity']),
  key: z.string(),
  year: z.number(),
  status: z.enum(MERGE_PROPOSAL_STATUS_VALUES),
  departmentIds: z.array(z.number()),
  entityId: z.number().nullable(),
  entityName: z.string().nullable(),
  windowStart: z.string(),
  windowEnd: z.string(),
  gapDays: z.number(),
  detectedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  leadDepartmentId: z.number().nullable(),
  resultTaskId: z.number().nullable(),
  resultVisitId: z.number().nullable(),
  members: z.array(MergeProposalMember),
});
export type MergeProposal = z.infer<typeof MergeProposal>;

export const MergeProposalQuery = z.object({
  year: YearText,
  status: z.enum(MERGE_PROPOSAL_STATUS_VALUES).optional(),
});
export const DetectMergesBody = z.object({ year: z.number().int().min(1900).max(2999) });
export const DetectMergesResult = z.object({
  year: z.number(),
  proposed: z.number(),
  added: z.number(),
  stale: z.number(),
  reopened: z.number(),
});
export type DetectMergesResult = z.infer<typeof DetectMergesResult>;
export const AcceptMergeBody = z.object({
  note: z.string().max(500).optional(),
  /** Batch merges: the lead department (发起部门) of the joint task. */
  leadDepartmentId: Id.optional(),
  /** Batch merges: the joint task's name. */
  name: z.string().min(2).max(200).optional(),
});
export const DeclineMergeBody = z.object({ note: z.string().max(500).optional() });

export const JointVisit = z.object({
  id: z.number(),
  entityId: z.number(),
  entityName: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  targets: z.array(
    z.object({
      targetId: z.number(),
      taskId: z.number(),
      taskName: z.string(),
      departmentId: z.number(),
      departmentName: z.string(),
      resulted: z.boolean(),
    }),
  ),
});
export type JointVisit = z.infer<typeof JointVisit>;

export const BurdenQuery = z.object({
  year: YearText,
  limit: z.coerce.number().int().min(1).max(500).optional(),
  entityId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});
export const Burden = z.object({
  year: z.number(),
  entities: z.number(),
  visits: z.number(),
  departmentVisits: z.number(),
  saved: z.number(),
  visitsPerEntity: z.number(),
  maxVisits: z.number(),
  perEntity: z.array(
    z.object({
      entityId: z.number(),
      entityName: z.string(),
      visits: z.number(),
      departmentVisits: z.number(),
      saved: z.number(),
    }),
  ),
  distribution: z.array(z.object({ visits: z.number(), entities: z.number() })),
});
export type Burden = z.infer<typeof Burden>;

export const JointRules = z.object({
  nearDays: z.number(),
  defaults: z.object({ nearDays: z.number() }),
});
export type JointRules = z.infer<typeof JointRules>;
export const JointRulesBody = z.object({ nearDays: z.number().int().min(0).max(366) });

/** A department's items for a joint task: from its own list, or rows of the joint item list. */
export const ItemContributionBody = z.object({
  itemIds: z.array(Id).max(200).optional(),
  jointItemIds: z.array(Id).max(200).optional(),
});
export const ItemContributionResult = z.object({ added: z.array(z.number()) });
