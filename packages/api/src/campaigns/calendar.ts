/**
 * The official working-day calendar (issue 9 §5): its years and warnings, the dry-run preview of a
 * year of the State Council notice and its confirmation (services/campaigns/calendar.ts).
 */
import { z } from 'zod';
import { DateText } from '../bounds.ts';

export const CalendarYearData = z.object({
  year: z.number().int().min(2000).max(2100),
  /** ISO dates off (放假) */
  holidays: z.array(DateText).max(1000),
  /** ISO dates of adjusted working weekends (调休上班) */
  workdays: z.array(DateText).max(1000),
});
export type CalendarYearData = z.infer<typeof CalendarYearData>;

export const CalendarYearInfo = z.object({
  year: z.number(),
  source: z.enum(['package', 'loaded']),
  holidays: z.number(),
  workdays: z.number(),
  workingDays: z.number(),
  notice: z.string().nullable(),
  sourceName: z.string().nullable(),
  loadedAt: z.string().nullable(),
  loadedBy: z.string().nullable(),
  inPackage: z.boolean(),
});
export type CalendarYearInfo = z.infer<typeof CalendarYearInfo>;

export const CalendarStatus = z.object({
  /** today in China */
  today: z.string(),
  years: z.array(CalendarYearInfo),
  /** this year and the next when they have no data (deadlines there count Monday–Friday only) */
  missing: z.array(z.number()),
  /** the loaded years, for the browser's calendar: BUILTIN_CALENDAR.withYears(loaded) */
  loaded: z.array(CalendarYearData),
  packageThrough: z.number(),
});
export type CalendarStatus = z.infer<typeof CalendarStatus>;

export const CalendarIssue = z.object({
  row: z.number().nullable(),
  /** a CALENDAR_* error code (text in both languages in the error table) */
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  value: z.string().nullable(),
});
export type CalendarIssue = z.infer<typeof CalendarIssue>;

export const CalendarPreview = z.object({
  year: z.number().nullable(),
  calendarYear: CalendarYearData.nullable(),
  issues: z.array(CalendarIssue),
  rows: z.number(),
  sourceName: z.string(),
  replaces: z.enum(['loaded', 'package']).nullable(),
  diff: z
    .object({
      becomeOff: z.array(z.string()),
      becomeWorking: z.array(z.string()),
      workingDaysBefore: z.number(),
      workingDaysAfter: z.number(),
    })
    .nullable(),
  /** pass back to the load: refused (CALENDAR_PREVIEW_STALE) if the year changed since */
  basedOn: z.string().nullable(),
});
export type CalendarPreview = z.infer<typeof CalendarPreview>;

export const CalendarPreviewQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const LoadCalendarBody = z.object({
  calendarYear: CalendarYearData,
  sourceName: z.string().min(1).max(200),
  /** e.g. 国办发明电〔2026〕7号 */
  notice: z.string().max(200).optional(),
  basedOn: z.string().min(1).max(64),
});
export type LoadCalendarBody = z.infer<typeof LoadCalendarBody>;

export const CalendarYearParam = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const AddWorkingDaysQuery = z.object({
  date: DateText,
  n: z.coerce.number().int().min(0).max(10_000),
});
export const AddWorkingDays = z.object({
  date: z.string(),
  n: z.number(),
  result: z.string(),
  /** years of the span without data (counted Monday–Friday) */
  missingYears: z.array(z.number()),
});
export type AddWorkingDays = z.infer<typeof AddWorkingDays>;
