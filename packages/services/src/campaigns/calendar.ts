/**
 * The official working-day calendar in force (issue 9 §5): the `chinese-days` package's years
 * and, winning over them, the years an administrator loaded from the State Council's notice
 * (calendar_years). Loading is a dry-run preview first (every row read, its issues, what changes),
 * then a confirmation that must still match what was previewed; audited. A year without data
 * (this year or the next) is an explicit warning in `calendarStatus`.
 */
import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import XLSX from 'xlsx';
import type { WorkingDayCalendar } from '@choucha/core';
import {
  AppError,
  BUILTIN_CALENDAR,
  calendarYearFromNotice,
  diffCalendarYear,
  isoDateInChina,
  noticeRowsFromJson,
  noticeRowsFromTable,
  type CalendarYear,
  type CalendarYearDiff,
  type NoticeIssue,
  type NoticeRow,
} from '@choucha/core';
import { calendarYears, users, type Executor } from '@choucha/db';
import { detectDelimiter, detectEncodingOfBuffer, detectFileType, parseCsv } from '@choucha/importer';
import { authorize } from '../access.ts';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';

/** A notice file is a few dozen rows: anything above this is not one. */
export const CALENDAR_FILE_MAX_BYTES = 1_000_000;
const MAX_ROWS = 2_000;

// ---- the calendar in force -----------------------------------------------------------------

const cache = new Map<string, WorkingDayCalendar>();

/** Forget the cached calendars (a load does it; tests that write calendar_years by hand too). */
export function invalidateCalendarCache(): void {
  cache.clear();
}

/**
 * The calendar in force: package data + loaded years (a loaded year wins). Cached by a digest
 * of calendar_years, so it is right in every process and every database, and rebuilt only
 * when a year was loaded.
 */
export async function workingDayCalendar(db: Executor): Promise<WorkingDayCalendar> {
  const [row] = await db
    .select({
      stamp: sql<
        string | null
      >`md5(string_agg(${calendarYears.year}::text || ':' || array_to_string(${calendarYears.holidays}, ',') || '|' || array_to_string(${calendarYears.workdays}, ','), ';' order by ${calendarYears.year}))`,
    })
    .from(calendarYears);
  const stamp = row?.stamp ?? '';
  const hit = cache.get(stamp);
  if (hit) return hit;
  const loaded = stamp === '' ? [] : await loadedYears(db);
  const cal = loaded.length ? BUILTIN_CALENDAR.withYears(loaded) : BUILTIN_CALENDAR;
  if (cache.size > 16) cache.clear();
  cache.set(stamp, cal);
  return cal;
}

async function loadedYears(db: Executor): Promise<CalendarYear[]> {
  const rows = await db
    .select({ year: calendarYears.year, holidays: calendarYears.holidays, workdays: calendarYears.workdays })
    .from(calendarYears)
    .orderBy(asc(calendarYears.year));
  return rows.map((r) => ({
    year: r.year,
    holidays: [...r.holidays].sort(),
    workdays: [...r.workdays].sort(),
  }));
}

// ---- status --------------------------------------------------------------------------------

export interface CalendarYearInfo {
  year: number;
  /** package: the chinese-days data; loaded: an administrator's load (wins over the package). */
  source: 'package' | 'loaded';
  holidays: number;
  workdays: number;
  /** Working days of the year on this data. */
  workingDays: number;
  notice: string | null;
  sourceName: string | null;
  loadedAt: string | null;
  loadedBy: string | null;
  /** The package also has this year (a loaded year replaces it). */
  inPackage: boolean;
}

export interface CalendarStatus {
  /** Today in China. */
  today: string;
  /** Every year with data, descending. */
  years: CalendarYearInfo[];
  /** This year and the next when they have no data: deadlines there count Monday–Friday only. */
  missing: number[];
  /** The loaded years themselves, for the web's calendar (BUILTIN_CALENDAR.withYears(loaded)). */
  loaded: CalendarYear[];
  /** Last year of the package data. */
  packageThrough: number;
}

/** The calendar's years and warnings; any staff member reads it. */
export async function calendarStatus(svc: Services, actor: Actor): Promise<CalendarStatus> {
  authorize(actor, 'dashboard.read');
  const db = svc.database.db as Executor;
  const cal = await workingDayCalendar(db);
  const rows = await db
    .select({
      year: calendarYears.year,
      notice: calendarYears.notice,
      sourceName: calendarYears.sourceName,
      loadedAt: calendarYears.loadedAt,
      loadedBy: users.displayName,
    })
    .from(calendarYears)
    .leftJoin(users, eq(users.id, calendarYears.loadedBy));
  const meta = new Map(rows.map((r) => [r.year, r]));
  const today = isoDateInChina(svc.clock());
  const thisYear = Number(today.slice(0, 4));
  const years = cal
    .years()
    .reverse()
    .map((year): CalendarYearInfo => {
      const y = cal.year(year)!;
      const m = meta.get(year);
      return {
        year,
        source: m ? 'loaded' : 'package',
        holidays: y.holidays.length,
        workdays: y.workdays.length,
        workingDays: cal.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`),
        notice: m?.notice ?? null,
        sourceName: m?.sourceName ?? null,
        loadedAt: m ? m.loadedAt.toISOString() : null,
        loadedBy: m?.loadedBy ?? null,
        inPackage: BUILTIN_CALENDAR.hasYear(year),
      };
    });
  return {
    today,
    years,
    missing: cal.missingYears(thisYear, thisYear + 1),
    loaded: await loadedYears(db),
    packageThrough: Math.max(...BUILTIN_CALENDAR.years()),
  };
}

// ---- reading a notice file ----------------------------------------------------------------

function looksLikeJson(data: Buffer): boolean {
  const head = data
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('{') || head.startsWith('[');
}

/** The rows of a notice file: JSON, .xlsx/.xls (first sheet with data) or CSV (UTF-8 or GBK). */
export function calendarRowsFromFile(
  fileName: string,
  data: Buffer,
): { rows: NoticeRow[]; year: number | null } {
  if (data.length > CALENDAR_FILE_MAX_BYTES)
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `A holiday notice file is at most ${CALENDAR_FILE_MAX_BYTES} bytes`,
      {
        limit: CALENDAR_FILE_MAX_BYTES,
      },
    );
  if (/\.json$/i.test(fileName) || looksLikeJson(data)) {
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
    } catch {
      throw new AppError('CALENDAR_NOTICE_FORMAT', 'The file is not valid JSON');
    }
    const r = noticeRowsFromJson(value);
    if (!r) throw new AppError('CALENDAR_NOTICE_FORMAT', 'JSON of an unknown shape');
    return r;
  }
  const type = detectFileType(data, fileName);
  if (!type.ok) throw type.error;
  let table: unknown[][];
  if (type.value === 'csv') {
    const enc = detectEncodingOfBuffer(data);
    const text = new TextDecoder(enc === 'utf-8-bom' ? 'utf-8' : enc).decode(data);
    table = parseCsv(text, detectDelimiter(text)).slice(0, MAX_ROWS);
  } else {
    let wb: XLSX.WorkBook;
    try {
      wb = XLSX.read(data, { type: 'buffer', cellDates: false, cellFormula: false, sheetRows: MAX_ROWS });
    } catch {
      throw new AppError('CALENDAR_NOTICE_FORMAT', 'The workbook cannot be read');
    }
    const sheets = wb.SheetNames.map((n) => wb.Sheets[n]).filter((s): s is XLSX.WorkSheet => Boolean(s));
    const tables = sheets.map((s) =>
      XLSX.utils.sheet_to_json<unknown[]>(s, { header: 1, raw: true, defval: null }),
    );
    table = tables.find((t) => t.some((r) => r.some((c) => c !== null && c !== ''))) ?? [];
  }
  return { rows: noticeRowsFromTable(table), year: null };
}

// ---- preview and load ----------------------------------------------------------------------

function digest(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32);
}

async function currentOf(db: Executor, year: number) {
  const [row] = await db.select().from(calendarYears).where(eq(calendarYears.year, year)).limit(1);
  const pkg = BUILTIN_CALENDAR.year(year);
  const source: 'loaded' | 'package' | null = row ? 'loaded' : pkg ? 'package' : null;
  const data = row
    ? { holidays: [...row.holidays].sort(), workdays: [...row.workdays].sort() }
    : pkg
      ? { holidays: pkg.holidays, workdays: pkg.workdays }
      : null;
  return { source, data, basedOn: digest({ year, source, data }) };
}

export interface CalendarPreview {
  /** The year the file is for (null when it cannot be told). */
  year: number | null;
  /** What would be loaded; null when an issue is an error. */
  calendarYear: CalendarYear | null;
  issues: NoticeIssue[];
  /** Data rows read. */
  rows: number;
  sourceName: string;
  /** What the year has now: loaded data, package data, or none. */
  replaces: 'loaded' | 'package' | null;
  diff: CalendarYearDiff | null;
  /** Pass back to loadCalendarYear: refuses the load if the year changed since this preview. */
  basedOn: string | null;
}

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX)
    throw new AppError('INPUT_OUT_OF_RANGE', `year must be from ${YEAR_MIN} to ${YEAR_MAX}`, {
      field: 'year',
      value: year,
    });
}

/** Dry run of a notice file: nothing is written. */
export async function previewCalendarFile(
  svc: Services,
  actor: Actor,
  input: { fileName: string; data: Buffer; year?: number | null | undefined },
): Promise<CalendarPreview> {
  authorize(actor, 'settings.write');
  if (input.year != null) checkYear(input.year);
  const read = calendarRowsFromFile(input.fileName, input.data);
  return previewRows(svc, read.rows, input.year ?? read.year, input.fileName);
}

async function previewRows(
  svc: Services,
  rows: readonly NoticeRow[],
  year: number | null,
  sourceName: string,
): Promise<CalendarPreview> {
  const parsed = calendarYearFromNotice(rows, year);
  if (parsed.year !== null) checkYear(parsed.year);
  const db = svc.database.db as Executor;
  const current = parsed.year === null ? null : await currentOf(db, parsed.year);
  const cal = await workingDayCalendar(db);
  return {
    year: parsed.year,
    calendarYear: parsed.calendarYear,
    issues: parsed.issues,
    rows: parsed.rows,
    sourceName,
    replaces: current?.source ?? null,
    diff: parsed.calendarYear ? diffCalendarYear(cal, parsed.calendarYear) : null,
    basedOn: current?.basedOn ?? null,
  };
}

export interface LoadCalendarInput {
  calendarYear: CalendarYear;
  sourceName: string;
  notice?: string | null | undefined;
  /** The preview's basedOn. */
  basedOn: string;
}

/**
 * Load a year (the confirmation of a preview): validated again as a notice, refused with
 * CALENDAR_PREVIEW_STALE when the year changed since the preview; audited with before/after.
 */
export async function loadCalendarYear(
  svc: Services,
  actor: Actor,
  input: LoadCalendarInput,
): Promise<CalendarPreview> {
  authorize(actor, 'settings.write');
  const y = input.calendarYear;
  checkYear(y.year);
  const rows: NoticeRow[] = [
    ...y.holidays.map((d, i) => ({ row: i + 1, date: d, kind: '休' })),
    ...y.workdays.map((d, i) => ({ row: y.holidays.length + i + 1, date: d, kind: '班' })),
  ];
  if (rows.length > MAX_ROWS) throw new AppError('INPUT_OUT_OF_RANGE', `at most ${MAX_ROWS} dates`);
  const parsed = calendarYearFromNotice(rows, y.year);
  if (!parsed.calendarYear)
    throw new AppError('CALENDAR_NOTICE_INVALID', 'The holiday notice has errors', { issues: parsed.issues });
  const data = parsed.calendarYear;
  const notice = input.notice?.trim() || null;
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7215003, ${data.year})`);
    const current = await currentOf(tx, data.year);
    if (current.basedOn !== input.basedOn) throw new AppError('CALENDAR_PREVIEW_STALE');
    const by = actor.kind === 'user' ? actor.id : null;
    const values = {
      holidays: data.holidays,
      workdays: data.workdays,
      notice,
      sourceName: input.sourceName,
      loadedBy: by,
      loadedAt: svc.clock(),
    };
    await tx
      .insert(calendarYears)
      .values({ year: data.year, ...values })
      .onConflictDoUpdate({ target: calendarYears.year, set: values });
    await audit({
      action: 'calendar.year.load',
      subjectType: 'calendar_year',
      subjectId: data.year,
      before: current.data ? { source: current.source, ...current.data } : null,
      after: { holidays: data.holidays, workdays: data.workdays, notice, sourceName: input.sourceName },
    });
  });
  invalidateCalendarCache();
  const after = await previewRows(svc, rows, data.year, input.sourceName);
  return { ...after, issues: parsed.issues };
}

/** Remove a loaded year: the package's data (or none) applies again. Audited. */
export async function removeCalendarYear(svc: Services, actor: Actor, year: number): Promise<CalendarStatus> {
  authorize(actor, 'settings.write');
  checkYear(year);
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7215003, ${year})`);
    const [row] = await tx.delete(calendarYears).where(eq(calendarYears.year, year)).returning();
    if (!row) throw new AppError('NOT_FOUND', `No loaded calendar for ${year}`);
    await audit({
      action: 'calendar.year.remove',
      subjectType: 'calendar_year',
      subjectId: year,
      before: {
        holidays: row.holidays,
        workdays: row.workdays,
        notice: row.notice,
        sourceName: row.sourceName,
      },
      after: null,
    });
  });
  invalidateCalendarCache();
  return calendarStatus(svc, actor);
}
