import { sql } from 'drizzle-orm';
import {
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { departments, users } from './org.ts';
import { items } from './directories.ts';
import { results } from './campaigns.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const ITEM_OUTCOMES = ['合格', '不合格', '未检查'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

/** A result per cited item (抽查事项) of the task: 合格 / 不合格 (with its result codes) / 未检查. */
export const resultItems = pgTable(
  'result_items',
  {
    resultId: integer('result_id')
      .notNull()
      .references(() => results.id, { onDelete: 'cascade' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    outcome: text('outcome').$type<ItemOutcome>().notNull(),
    codes: text('codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.resultId, t.itemId] })],
);

/** Photos and PDFs (检查记录表) of a result. Never public: staff of the departments concerned only. */
export const resultAttachments = pgTable(
  'result_attachments',
  {
    id: serial('id').primaryKey(),
    resultId: integer('result_id')
      .notNull()
      .references(() => results.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    /** from the magic bytes, never from the client: image/jpeg, image/png, application/pdf */
    mimeType: text('mime_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('result_attachments_result_idx').on(t.resultId)],
);

export const FOLLOW_UP_STATES = ['open', 'done'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

/**
 * A follow-up action (后续处置) of a result, tracked to completion: 责令改正 with its deadline and
 * re-check, 列入经营异常名录 due within 10 working days, 移送/抄告 with the receiving department.
 */
export const followUps = pgTable(
  'follow_ups',
  {
    id: serial('id').primaryKey(),
    resultId: integer('result_id')
      .notNull()
      .references(() => results.id, { onDelete: 'cascade' }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    action: text('action').notNull(),
    state: text('state').$type<FollowUpState>().notNull().default('open'),
    dueOn: date('due_on'),
    receivingDepartment: text('receiving_department'),
    recheckOn: date('recheck_on'),
    /** 已改正 | 未改正 (责令改正's re-check) */
    recheckResult: text('recheck_result'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: integer('completed_by').references(() => users.id),
  },
  (t) => [index('follow_ups_result_idx').on(t.resultId), index('follow_ups_open_idx').on(t.state, t.dueOn)],
);

/** 更正: a published result changed by a new published version with a reason; stays public. */
export const resultCorrections = pgTable(
  'result_corrections',
  {
    id: serial('id').primaryKey(),
    resultId: integer('result_id')
      .notNull()
      .references(() => results.id, { onDelete: 'cascade' }),
    /** the version this correction publishes (the first publication is version 1) */
    version: integer('version').notNull(),
    reason: text('reason').notNull(),
    before: jsonb('before').notNull(),
    after: jsonb('after').notNull(),
    correctedBy: integer('corrected_by').references(() => users.id),
    correctedAt: timestamp('corrected_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('result_corrections_result_idx').on(t.resultId)],
);
