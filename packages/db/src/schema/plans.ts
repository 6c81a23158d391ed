import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { departments, users } from './org.ts';
import { tasks } from './campaigns.ts';

/** 'department': one department's 年度抽查计划; 'joint': the district's 部门联合抽查计划. */
export const PLAN_KINDS = ['department', 'joint'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/**
 * draft → filed (备案 with the joint office) → approved | returned (with a reason; edited and filed
 * again) → in_progress (a batch was opened) → done. An amendment is a new version (draft) of an
 * approved or running plan; once it is approved the version before it becomes 'superseded'
 * (read-only history).
 */
export const PLAN_STATUSES = [
  'draft',
  'filed',
  'approved',
  'returned',
  'in_progress',
  'done',
  'superseded',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** 年度抽查计划, filed (备案) with the joint office; one row per version. */
export const plans = pgTable(
  'plans',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<PlanKind>().notNull().default('department'),
    /** The department whose plan it is; null for the district's joint plan. */
    departmentId: integer('department_id').references(() => departments.id),
    year: integer('year').notNull(),
    name: text('name').notNull(),
    /** 1 for the first version; an amendment (修订) is version n + 1 with `previousId` = version n. */
    version: integer('version').notNull().default(1),
    previousId: integer('previous_id'),
    status: text('status').$type<PlanStatus>().notNull().default('draft'),
    note: text('note'),
    /** Why this version amends the one before it. */
    amendReason: text('amend_reason'),
    /** The joint office's reason when it returned the plan (shown to the department). */
    returnReason: text('return_reason'),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    filedBy: integer('filed_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: integer('decided_by').references(() => users.id),
    doneAt: timestamp('done_at', { withTimezone: true }),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('plans_series_version_uq').on(t.kind, sql`coalesce(${t.departmentId}, 0)`, t.year, t.version),
    /** At most one amendment of a version. */
    uniqueIndex('plans_previous_uq').on(t.previousId),
    index('plans_year_idx').on(t.year),
  ],
);

/**
 * A batch (批次) of a plan. It becomes a task (createTask) when its window opens, by hand or on
 * schedule; `taskId` is the task. An amendment copies the batches (same `originId`, the id of the
 * batch in the first version), so progress follows a batch across versions.
 */
export const planBatches = pgTable(
  'plan_batches',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    /** The batch's id in the version that first had it (its own id there). */
    originId: integer('origin_id'),
    seq: integer('seq').notNull().default(1),
    name: text('name').notNull(),
    /** Items of the published lists of the lead and cooperating departments. */
    itemIds: integer('item_ids').array().notNull(),
    /** Same shape as tasks.scope. */
    scope: jsonb('scope'),
    /** Same shape as tasks.sampling. */
    sampling: jsonb('sampling').notNull(),
    /** The planned number of targets (计划抽查户数), the base of the completion rate. */
    plannedQuantity: integer('planned_quantity').notNull(),
    windowStart: date('window_start').notNull(),
    windowEnd: date('window_end').notNull(),
    /** 定向 (a scope restricts the roster) or 不定向. */
    directed: boolean('directed').notNull().default(false),
    /** 发起部门. */
    leadDepartmentId: integer('lead_department_id')
      .notNull()
      .references(() => departments.id),
    /** 配合部门. */
    cooperatingDepartmentIds: integer('cooperating_department_ids')
      .array()
      .notNull()
      .default(sql`'{}'::int[]`),
    taskId: integer('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    openedBy: integer('opened_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('plan_batches_plan_idx').on(t.planId),
    index('plan_batches_task_idx').on(t.taskId),
    index('plan_batches_window_idx').on(t.windowStart),
  ],
);
