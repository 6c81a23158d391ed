import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { departments, users } from './org.ts';
import { entities, inspectors, items } from './directories.ts';
import { planBatches, plans } from './plans.ts';

export const TASK_STATUSES = ['draft', 'committed', 'drawn', 'matched', 'results', 'published'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A batch (抽查任务/批次): one department's, or a joint one led by `departmentId`. */
export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    planId: integer('plan_id').references(() => plans.id),
    /** The plan batch this task was opened from (services/campaigns/plans.ts). */
    batchId: integer('batch_id').references((): AnyPgColumn => planBatches.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    isJoint: boolean('is_joint').notNull().default(false),
    /** Cooperating departments of a joint task (配合部门). */
    jointDepartmentIds: integer('joint_department_ids')
      .array()
      .notNull()
      .default(sql`'{}'::int[]`),
    name: text('name').notNull(),
    year: integer('year').notNull(),
    windowStart: date('window_start').notNull(),
    windowEnd: date('window_end').notNull(),
    /** 定向 (filtered scope) or 不定向 (whole directory). */
    directed: boolean('directed').notNull().default(false),
    scope: jsonb('scope'),
    /** Sampling: { ratio } or { classes: { A: 0.02, B: 0.05, C: 1, D: 1 } }, with min/max. */
    sampling: jsonb('sampling').notNull(),
    usesRiskClass: boolean('uses_risk_class').notNull().default(false),
    status: text('status').$type<TaskStatus>().notNull().default('draft'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    index('tasks_dept_idx').on(t.departmentId),
    index('tasks_year_idx').on(t.year),
    uniqueIndex('tasks_batch_uq').on(t.batchId),
  ],
);

export const PARTNER_STATES = ['invited', 'accepted', 'declined'] as const;
export type PartnerState = (typeof PARTNER_STATES)[number];

/**
 * A cooperating department (配合部门) named on a joint task. It is invited first and bound only
 * once it accepts: `tasks.joint_department_ids` holds the accepted partners (the roster, the
 * inspector pool and result entry use those); an invited or declined partner is not bound.
 */
export const taskPartners = pgTable(
  'task_partners',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    state: text('state').$type<PartnerState>().notNull().default('invited'),
    invitedBy: integer('invited_by').references(() => users.id),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
    /** Who answered (the partner's department admin or the joint admin); null for the system actor. */
    answeredBy: integer('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.departmentId] }),
    index('task_partners_dept_idx').on(t.departmentId),
  ],
);

export const taskItems = pgTable(
  'task_items',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.itemId] })],
);

export const DRAW_STATUSES = ['committed', 'drawn', 'matched', 'superseded'] as const;
export type DrawStatus = (typeof DRAW_STATUSES)[number];

/**
 * One draw of a task. Everything needed to verify it is stored: the commitment (canonical JSON
 * and its hash), the canonical roster, the seed inputs, every ticket, the algorithm version.
 */
export const draws = pgTable(
  'draws',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    /** 1 for the first draw; a redraw needs a new commitment with a written reason. */
    attempt: integer('attempt').notNull().default(1),
    status: text('status').$type<DrawStatus>().notNull(),
    algorithmVersion: text('algorithm_version').notNull(),
    commitment: text('commitment').notNull(),
    commitmentHash: text('commitment_hash').notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }).notNull(),
    rosterRoot: text('roster_root').notNull(),
    rosterSize: integer('roster_size').notNull(),
    /** The canonical roster text ("key\tstratum\n" sorted by key); TOAST compresses it. */
    rosterText: text('roster_text').notNull(),
    /** Entity ids aligned with the canonical roster's order. */
    rosterEntityIds: integer('roster_entity_ids').array().notNull(),
    /**
     * Internal: which risk class each published stratum label stands for. Labels in the
     * commitment are opaque, so the public commitment and bundle never carry a risk class.
     */
    stratumClasses: jsonb('stratum_classes').notNull().default({}),
    /** Entities drawn beyond the committed size, per stratum label (escalation). */
    escalation: jsonb('escalation').notNull().default({}),
    /**
     * The escalations one by one (services/campaigns/escalation.ts): [{ counts: { label: n }, reason,
     * at, by }]; the bundle's escalationRounds are the counts (draw-protocol §8).
     */
    escalationRounds: jsonb('escalation_rounds').notNull().default([]),
    /** Why matching failed, when the draw stands drawn but unmatched. */
    matchProblems: jsonb('match_problems'),
    seedSource: jsonb('seed_source').notNull(),
    seedInputs: jsonb('seed_inputs'),
    seed: text('seed'),
    seededAt: timestamp('seeded_at', { withTimezone: true }),
    drawnAt: timestamp('drawn_at', { withTimezone: true }),
    matchedAt: timestamp('matched_at', { withTimezone: true }),
    redrawReason: text('redraw_reason'),
    /** The district's rules this draw used (team size, cool-down, caps …), from the settings. */
    rules: jsonb('rules'),
    supersededBy: integer('superseded_by'),
    createdBy: integer('created_by').references(() => users.id),
    /**
     * Protocol v2 only (docs/specs/draw-protocol-v2.md §3): the openings text ("key\tstratum\tnonce\n"),
     * SECRET — it names every entity's stratum; only the full (supervisor's) bundle carries it. For a v2
     * draw `roster_text` is the public roster ("key\tnonceHash\n"). Never selected by a public query.
     */
    openingsText: text('openings_text'),
    /** Protocol v2 only (§7): the private matching record (salt, inspectors, recusals, previous). SECRET. */
    privateMatching: jsonb('private_matching'),
    /**
     * The dice ceremony of the reveal: { place, at, rolledBy, witnesses } (who rolled and who
     * witnessed: officials and notaries, public by design), or null.
     */
    ceremony: jsonb('ceremony'),
  },
  (t) => [uniqueIndex('draws_task_attempt_uq').on(t.taskId, t.attempt)],
);

/** Entities left out of a draw's roster, each with its reason (cool-down, cap, exclusion, status). */
export const drawExclusions = pgTable(
  'draw_exclusions',
  {
    drawId: integer('draw_id')
      .notNull()
      .references(() => draws.id, { onDelete: 'cascade' }),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    reason: text('reason').notNull(),
    /** Stable reason code (DRAW_EXCLUDED_*) and its parameters, translated by the UI. */
    reasonCode: text('reason_code'),
    reasonParams: jsonb('reason_params'),
  },
  (t) => [primaryKey({ columns: [t.drawId, t.entityId] })],
);

/** A drawn target: an entity selected by a draw, with its ticket and rank in its stratum. */
export const targets = pgTable(
  'targets',
  {
    id: serial('id').primaryKey(),
    drawId: integer('draw_id')
      .notNull()
      .references(() => draws.id),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    key: text('key').notNull(),
    stratum: text('stratum').notNull(),
    ticket: text('ticket').notNull(),
    rank: integer('rank').notNull(),
    /** Protocol v2: 0 for the committed size, i for the escalation round i that added it; null for v1. */
    phase: integer('phase'),
  },
  (t) => [uniqueIndex('targets_draw_key_uq').on(t.drawId, t.key), index('targets_task_idx').on(t.taskId)],
);

export const targetInspectors = pgTable(
  'target_inspectors',
  {
    targetId: integer('target_id')
      .notNull()
      .references(() => targets.id, { onDelete: 'cascade' }),
    inspectorId: integer('inspector_id')
      .notNull()
      .references(() => inspectors.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    /** Order in which the matching chose this inspector within the department's team. */
    position: integer('position').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.targetId, t.inspectorId] }), index('ti_inspector_idx').on(t.inspectorId)],
);

export const RESULT_STATUSES = ['draft', 'submitted', 'rejected', 'approved', 'published'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** 检查结果: standard result codes (one target may get several) and follow-up actions. */
export const results = pgTable(
  'results',
  {
    id: serial('id').primaryKey(),
    targetId: integer('target_id')
      .notNull()
      .references(() => targets.id),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    codes: text('codes').array().notNull(),
    followUps: text('follow_ups')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    note: text('note'),
    inspectedOn: date('inspected_on').notNull(),
    status: text('status').$type<ResultStatus>().notNull().default('submitted'),
    enteredBy: integer('entered_by').references(() => users.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** the department's approval (审核通过) before the joint office publishes */
    approvedBy: integer('approved_by').references(() => users.id),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    /** the enterer's answer to the last rejection reason (reviewNote), shown to the reviewer */
    response: text('response'),
    /** published version: 1, then +1 per correction (更正) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('results_target_dept_uq').on(t.targetId, t.departmentId),
    index('results_task_idx').on(t.taskId),
    index('results_status_idx').on(t.status),
  ],
);
