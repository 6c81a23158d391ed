import { bigint, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

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
