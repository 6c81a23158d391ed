import { sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './org.ts';

/**
 * The official working-day calendar, as loaded by an administrator from the State Council's
 * yearly holiday notice (国务院办公厅关于…部分节假日安排的通知). One row per year; a loaded year
 * wins over the data of the `chinese-days` package for that year. Every load is audited
 * (`calendar.year.load`, with the dates before and after).
 */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  /** ISO dates off (放假), weekdays and weekends. */
  holidays: text('holidays')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /** ISO dates of adjusted working weekends (调休上班). */
  workdays: text('workdays')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /** The notice it comes from (e.g. 国办发明电〔2026〕7号), free text. */
  notice: text('notice'),
  /** The file it was read from ('json' when pasted). */
  sourceName: text('source_name').notNull(),
  loadedBy: integer('loaded_by').references(() => users.id),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
});
