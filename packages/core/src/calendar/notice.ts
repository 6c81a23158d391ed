/**
 * Reading a year of the State Council holiday notice as data: rows of (date, 休/班) from a
 * spreadsheet or CSV, or JSON ({year, holidays, workdays}; the `chinese-days` per-year file
 * {holidays: {date: name}, workdays: {date: name}}; or [{date, kind}]). Every row becomes a day
 * or an issue (never dropped silently); the preview of a load is made of it. Pure, browser-safe.
 */
import type { ErrorCode } from '../errors.ts';
import type { CalendarYear, WorkingDayCalendar } from './calendar.ts';
import { isoDayNumber, isoFromDayNumber, weekdayOfDayNumber } from './dates.ts';

export type NoticeDayKind = 'off' | 'work';

/** One data row: its 1-based row (line) number in the file and its raw cells. */
export interface NoticeRow {
  row: number;
  date: unknown;
  kind: unknown;
}

export type NoticeIssueCode = Extract<
  ErrorCode,
  | 'CALENDAR_ROW_DATE_INVALID'
  | 'CALENDAR_ROW_KIND_INVALID'
  | 'CALENDAR_ROW_OTHER_YEAR'
  | 'CALENDAR_ROW_CONFLICT'
  | 'CALENDAR_ROW_DUPLICATE'
  | 'CALENDAR_ROW_NO_EFFECT'
  | 'CALENDAR_NOTICE_EMPTY'
  | 'CALENDAR_NOTICE_NO_YEAR'
  | 'CALENDAR_NOTICE_FORMAT'
>;

export interface NoticeIssue {
  /** Row (line) of the file; null for the whole file. */
  row: number | null;
  code: NoticeIssueCode;
  /** error: the year is not loaded; warning: loaded, shown in the preview. */
  severity: 'error' | 'warning';
  /** The cell as read. */
  value: string | null;
}

export interface NoticeParse {
  year: number | null;
  /** null when there is an error. */
  calendarYear: CalendarYear | null;
  issues: NoticeIssue[];
  /** Data rows read. */
  rows: number;
}

const OFF = new Set(['休', '放假', '休息', '假', '休假', '节假日', '假日', 'off', 'holiday', 'rest', 'h']);
const WORK = new Set(['班', '上班', '补班', '调休上班', '工作', '工作日', 'work', 'workday', 'working', 'w']);

/** 休/放假/off → 'off'; 班/上班/补班/work → 'work'; anything else null. */
export function parseNoticeKind(v: unknown): NoticeDayKind | null {
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (OFF.has(s)) return 'off';
  if (WORK.has(s)) return 'work';
  return null;
}

const EXCEL_EPOCH_OFFSET = 25_569; // serial of 1970-01-01 in Excel's 1900 date system

function ymd(y: number, m: number, d: number): string | null {
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isoDayNumber(iso) === null ? null : iso;
}

/**
 * A notice date as ISO: 2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日, 20270101, an ISO date-time,
 * or an Excel date serial (a number of the years 2000–2099, as spreadsheets store dates).
 */
export function parseNoticeDate(v: unknown): string | null {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 36_526 || v > 73_050) return null;
    return isoFromDayNumber(v - EXCEL_EPOCH_OFFSET);
  }
  if (typeof v !== 'string') return null;
  const s = v.trim();
  let m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
      s,
    );
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{5}(?:\.0+)?$/.test(s)) return parseNoticeDate(Math.trunc(Number(s)));
  return null;
}

const DATE_HEADERS = new Set(['日期', 'date', '公历日期', '时间']);
const KIND_HEADERS = new Set(['类型', '安排', '休/班', '休班', '放假/上班', 'kind', 'type', '性质', '状态']);

function headerIndex(cells: readonly unknown[], names: Set<string>): number {
  return cells.findIndex((c) => typeof c === 'string' && names.has(c.trim().toLowerCase()));
}

/**
 * The data rows of a sheet (cells as read: strings, numbers). The header row (日期 + 类型/安排/
 * 休班, or date + kind) sets the columns; without one, the first two columns are taken and the
 * rows before the first row with a date are title rows. Blank rows are skipped.
 */
export function noticeRowsFromTable(table: readonly (readonly unknown[])[]): NoticeRow[] {
  let dateCol = 0;
  let kindCol = 1;
  let start = -1;
  for (let i = 0; i < Math.min(table.length, 20); i++) {
    const cells = table[i] ?? [];
    const d = headerIndex(cells, DATE_HEADERS);
    const k = headerIndex(cells, KIND_HEADERS);
    if (d >= 0 && k >= 0) {
      dateCol = d;
      kindCol = k;
      start = i + 1;
      break;
    }
  }
  if (start < 0) {
    start = table.findIndex((r) => parseNoticeDate(r[0]) !== null);
    if (start < 0) start = 0;
  }
  const out: NoticeRow[] = [];
  for (let i = start; i < table.length; i++) {
    const cells = table[i] ?? [];
    if (cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === '')))
      continue;
    out.push({ row: i + 1, date: cells[dateCol], kind: cells[kindCol] });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The rows of a JSON notice, or null when its shape is none of: {year?, holidays: [..],
 * workdays: [..]}; {holidays: {date: name}, workdays: {date: name}} (chinese-days); [{date, kind}]
 * or {year?, days: [{date, kind}]}; [[date, kind]]. `year` when the JSON names it.
 */
export function noticeRowsFromJson(value: unknown): { rows: NoticeRow[]; year: number | null } | null {
  const yearOf = (v: unknown): number | null =>
    isRecord(v) && Number.isInteger(v['year']) ? (v['year'] as number) : null;
  const fromList = (list: unknown[]): NoticeRow[] | null => {
    const rows: NoticeRow[] = [];
    for (const [i, e] of list.entries()) {
      if (Array.isArray(e)) rows.push({ row: i + 1, date: e[0], kind: e[1] });
      else if (isRecord(e)) rows.push({ row: i + 1, date: e['date'], kind: e['kind'] ?? e['type'] });
      else return null;
    }
    return rows;
  };
  if (Array.isArray(value)) {
    const rows = fromList(value);
    return rows ? { rows, year: null } : null;
  }
  if (!isRecord(value)) return null;
  if (Array.isArray(value['days'])) {
    const rows = fromList(value['days']);
    return rows ? { rows, year: yearOf(value) } : null;
  }
  const h = value['holidays'];
  const w = value['workdays'] ?? [];
  const rows: NoticeRow[] = [];
  let n = 0;
  const add = (v: unknown, kind: string): boolean => {
    if (Array.isArray(v)) for (const d of v) rows.push({ row: ++n, date: d, kind });
    else if (isRecord(v)) for (const d of Object.keys(v)) rows.push({ row: ++n, date: d, kind });
    else return false;
    return true;
  };
  if (h === undefined || !add(h, '休') || !add(w, '班')) return null;
  return { rows, year: yearOf(value) };
}

function display(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The year of a notice from its rows: dates of `year` (given, or else the year most rows fall
 * in); a date of the neighbouring December or January is kept (元旦 may start on 12-31) with a
 * warning, any other year is an error. Both 休 and 班 on one date is an error; a 班 on a weekday
 * or a repeated row is a warning. No 休 at all is an error.
 */
export function calendarYearFromNotice(rows: readonly NoticeRow[], year?: number | null): NoticeParse {
  const issues: NoticeIssue[] = [];
  const issue = (row: number | null, code: NoticeIssueCode, severity: 'error' | 'warning', value: unknown) =>
    issues.push({ row, code, severity, value: display(value) });
  const parsed: { row: number; iso: string; day: number; kind: NoticeDayKind; raw: unknown }[] = [];
  for (const r of rows) {
    const iso = parseNoticeDate(r.date);
    const kind = parseNoticeKind(r.kind);
    if (iso === null) issue(r.row, 'CALENDAR_ROW_DATE_INVALID', 'error', r.date);
    if (kind === null) issue(r.row, 'CALENDAR_ROW_KIND_INVALID', 'error', r.kind);
    if (iso !== null && kind !== null)
      parsed.push({ row: r.row, iso, day: isoDayNumber(iso)!, kind, raw: r.date });
  }
  let y = year ?? null;
  if (y === null) {
    const count = new Map<number, number>();
    for (const p of parsed)
      count.set(Number(p.iso.slice(0, 4)), (count.get(Number(p.iso.slice(0, 4))) ?? 0) + 1);
    let best = 0;
    for (const [k, c] of count) if (c > best || (c === best && y !== null && k > y)) [y, best] = [k, c];
  }
  if (y === null) {
    if (rows.length === 0) issue(null, 'CALENDAR_NOTICE_EMPTY', 'error', null);
    else if (!issues.length) issue(null, 'CALENDAR_NOTICE_NO_YEAR', 'error', null);
    return { year: null, calendarYear: null, issues, rows: rows.length };
  }
  const lo = isoDayNumber(`${y - 1}-12-01`)!;
  const hi = isoDayNumber(`${y + 1}-01-31`)!;
  const seen = new Map<string, { kind: NoticeDayKind; row: number }>();
  const off: string[] = [];
  const on: string[] = [];
  for (const p of parsed) {
    const py = Number(p.iso.slice(0, 4));
    if (py !== y) {
      if (p.day < lo || p.day > hi) {
        issue(p.row, 'CALENDAR_ROW_OTHER_YEAR', 'error', p.raw);
        continue;
      }
      issue(p.row, 'CALENDAR_ROW_OTHER_YEAR', 'warning', p.raw);
    }
    const before = seen.get(p.iso);
    if (before) {
      issue(
        p.row,
        before.kind === p.kind ? 'CALENDAR_ROW_DUPLICATE' : 'CALENDAR_ROW_CONFLICT',
        before.kind === p.kind ? 'warning' : 'error',
        p.raw,
      );
      continue;
    }
    seen.set(p.iso, { kind: p.kind, row: p.row });
    const wd = weekdayOfDayNumber(p.day);
    const weekend = wd === 0 || wd === 6;
    if (p.kind === 'work' && !weekend) {
      issue(p.row, 'CALENDAR_ROW_NO_EFFECT', 'warning', p.raw);
      continue;
    }
    (p.kind === 'off' ? off : on).push(p.iso);
  }
  if (off.length === 0) issue(null, 'CALENDAR_NOTICE_EMPTY', 'error', null);
  const hasError = issues.some((i) => i.severity === 'error');
  return {
    year: y,
    calendarYear: hasError ? null : { year: y, holidays: off.sort(), workdays: on.sort() },
    issues,
    rows: rows.length,
  };
}

/** What loading `after` changes against the calendar in force for its dates. */
export interface CalendarYearDiff {
  /** Dates that become days off / working days; dates whose status does not change are left out. */
  becomeOff: string[];
  becomeWorking: string[];
  /** Working days of the year before and after (the notice keeps about 250). */
  workingDaysBefore: number;
  workingDaysAfter: number;
}

export function diffCalendarYear(current: WorkingDayCalendar, after: CalendarYear): CalendarYearDiff {
  const next = current.withYears([after]);
  const becomeOff: string[] = [];
  const becomeWorking: string[] = [];
  const from = isoDayNumber(`${after.year - 1}-12-01`)!;
  const to = isoDayNumber(`${after.year + 1}-01-31`)!;
  for (let d = from; d <= to; d++) {
    const iso = isoFromDayNumber(d);
    const a = current.isWorkingDay(iso);
    const b = next.isWorkingDay(iso);
    if (a && !b) becomeOff.push(iso);
    if (!a && b) becomeWorking.push(iso);
  }
  const start = `${after.year - 1}-12-31`;
  const end = `${after.year}-12-31`;
  return {
    becomeOff,
    becomeWorking,
    workingDaysBefore: current.workingDaysBetween(start, end),
    workingDaysAfter: next.workingDaysBetween(start, end),
  };
}
