import { bigint, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The tamper-evident audit log (全程留痕). Each event's hash covers its fields and the previous
 * event's hash; `seq` is dense from 1, so a deleted or reordered event breaks the chain.
 * `at` is kept as the ISO text that was hashed, so the database cannot change its precision.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: text('at').notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    departmentId: integer('department_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_action_idx').on(t.action),
    index('audit_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_dept_idx').on(t.departmentId),
  ],
);

/**
 * Published heads of the audit chain (anchors): at every draw commitment, at start and at least
 * daily. Kept forever and listed on the public portal, so a deleted tail or a log rewritten with
 * recomputed hashes is found by `choucha audit verify` (and by anyone holding a copy: --anchor).
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    id: serial('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** 'start' | 'daily' | 'draw_commitment' */
    reason: text('reason').notNull(),
    /** What it belongs to, e.g. the draw id of a commitment. */
    reference: text('reference'),
  },
  (t) => [
    index('audit_checkpoints_seq_idx').on(t.seq),
    index('audit_checkpoints_created_idx').on(t.createdAt),
  ],
);
