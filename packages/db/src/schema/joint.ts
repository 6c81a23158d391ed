import {
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { departments, users } from './org.ts';
import { entities } from './directories.ts';
import { targets, tasks } from './campaigns.ts';

export const MERGE_PROPOSAL_KINDS = ['batch', 'entity'] as const;
export type MergeProposalKind = (typeof MERGE_PROPOSAL_KINDS)[number];
/** open → accepted | declined (by the joint office); stale: a member changed before a decision. */
export const MERGE_PROPOSAL_STATUSES = ['open', 'accepted', 'declined', 'stale'] as const;
export type MergeProposalStatus = (typeof MERGE_PROPOSAL_STATUSES)[number];

/**
 * 相同对象、相近时间: a merge proposed by the detector (packages/core/src/joint). `batch`: two
 * undrawn batches (`task:ID` draft tasks, `batch:ID` plan batches) of different departments whose
 * scopes and windows overlap; accepted, they become one joint task. `entity`: two drawn targets
 * (`target:ID`) of the same entity due within N days; accepted, they become one joint visit.
 * `key` is the detector's stable key: a declined proposal is never proposed again.
 */
export const mergeProposals = pgTable(
  'merge_proposals',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<MergeProposalKind>().notNull(),
    key: text('key').notNull(),
    year: integer('year').notNull(),
    memberRefs: text('member_refs').array().notNull(),
    departmentIds: integer('department_ids').array().notNull(),
    entityId: integer('entity_id').references(() => entities.id),
    windowStart: date('window_start').notNull(),
    windowEnd: date('window_end').notNull(),
    gapDays: integer('gap_days').notNull().default(0),
    status: text('status').$type<MergeProposalStatus>().notNull().default('open'),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    /** The lead department of the joint task an accepted batch merge became. */
    leadDepartmentId: integer('lead_department_id').references(() => departments.id),
    resultTaskId: integer('result_task_id').references(() => tasks.id, { onDelete: 'set null' }),
    resultVisitId: integer('result_visit_id'),
  },
  (t) => [
    uniqueIndex('merge_proposals_key_uq').on(t.key),
    index('merge_proposals_status_idx').on(t.status, t.year),
  ],
);

/** 进一门、查多项: targets of several departments' tasks visited together, as one visit. */
export const jointVisits = pgTable(
  'joint_visits',
  {
    id: serial('id').primaryKey(),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    year: integer('year').notNull(),
    windowStart: date('window_start').notNull(),
    windowEnd: date('window_end').notNull(),
    proposalId: integer('proposal_id'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('joint_visits_entity_idx').on(t.entityId), index('joint_visits_year_idx').on(t.year)],
);

export const jointVisitTargets = pgTable(
  'joint_visit_targets',
  {
    visitId: integer('visit_id')
      .notNull()
      .references(() => jointVisits.id, { onDelete: 'cascade' }),
    targetId: integer('target_id')
      .notNull()
      .references(() => targets.id),
  },
  (t) => [
    primaryKey({ columns: [t.visitId, t.targetId] }),
    uniqueIndex('joint_visit_targets_target_uq').on(t.targetId),
  ],
);
