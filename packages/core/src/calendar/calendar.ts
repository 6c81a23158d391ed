/**
 * The official working-day calendar (法定工作日): Monday–Friday are working days, Saturday and
 * Sunday are not, except what the State Council's yearly notice on holidays (国务院办公厅关于…部分
 * 节假日安排的通知) says: its days off (放假, incl. weekdays taken off in lieu) and its adjusted
 * working weekends (调休上班). Deadlines of the platform count working days on it:
 * result publicity within 20 working days (企业信息公示暂行条例 art. 6), 经营异常名录 within 10.
 *
 * A year without data is counted as Monday–Friday; `hasYear`/`missingYears` make that an explicit
 * warning for the UI. Pure and browser-safe.
 */
import { AppError } from '../errors.ts';
import { isoDayNumber, isoFromDayNumber, weekdayOfDayNumber } from './dates.ts';

/** One year of the State Council notice: ISO dates. */
export interface CalendarYear {
  year: number;
  /** Days off (放假), weekdays and weekends alike. */
  holidays: string[];
  /** Adjusted working days (调休上班): weekends that are working days. */
  workdays: string[];
}

/** 企业信息公示暂行条例 art. 6: results public within 20 working days. */
export const PUBLICITY_WORKING_DAYS = 20;
/** 经营异常名录: listing within 10 working days of the verification. */
export const ABNORMAL_LISTING_WORKING_DAYS = 10;
/** A deadline turns yellow when this many working days or fewer remain. */
export const DEADLINE_WARN_WORKING_DAYS = 5;
/** Largest N accepted by addWorkingDays (about 40 years). */
export const MAX_WORKING_DAYS = 10_000;

function dayOf(iso: string, field: string): number {
  const d = typeof iso === 'string' ? isoDayNumber(iso) : null;
  if (d === null)
    throw new AppError('CALENDAR_DATE_INVALID', `${field}: not an ISO date (YYYY-MM-DD)`, {
      field,
      value: iso,
    });
  return d;
}

export class WorkingDayCalendar {
  readonly #years = new Map<number, CalendarYear>();
  readonly #off = new Set<number>();
  readonly #on = new Set<number>();

  /** Later entries for the same year replace earlier ones (a loaded year wins over the package's). */
  constructor(years: Iterable<CalendarYear> = []) {
    for (const y of years) this.#years.set(y.year, y);
    for (const y of this.#years.values()) {
      for (const d of y.holidays) this.#off.add(dayOf(d, `holidays of ${y.year}`));
      for (const d of y.workdays) this.#on.add(dayOf(d, `workdays of ${y.year}`));
    }
  }

  /** A new calendar: these years replace the same years of this one. */
  withYears(years: Iterable<CalendarYear>): WorkingDayCalendar {
    return new WorkingDayCalendar([...this.#years.values(), ...years]);
  }

  /** The years that have data, ascending. */
  years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** The data of one year, if any. */
  year(y: number): CalendarYear | undefined {
    return this.#years.get(y);
  }

  hasYear(y: number): boolean {
    return this.#years.has(y);
  }

  /** Years in from..to (inclusive) without data: each is a warning to show. */
  missingYears(from: number, to: number): number[] {
    const out: number[] = [];
    for (let y = from; y <= to; y++) if (!this.#years.has(y)) out.push(y);
    return out;
  }

  #working(day: number): boolean {
    if (this.#on.has(day)) return true;
    if (this.#off.has(day)) return false;
    const w = weekdayOfDayNumber(day);
    return w !== 0 && w !== 6;
  }

  isWorkingDay(d: string): boolean {
    return this.#working(dayOf(d, 'date'));
  }

  /**
   * The date on which the n-th working day after d falls (d itself not counted); n = 0 gives d.
   * E.g. a result inspected on d is due at addWorkingDays(d, 20).
   */
  addWorkingDays(d: string, n: number): string {
    let day = dayOf(d, 'date');
    if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS)
      throw new AppError('CALENDAR_DAYS_INVALID', `n must be an integer from 0 to ${MAX_WORKING_DAYS}`, {
        value: n,
      });
    let left = n;
    while (left > 0) {
      day++;
      if (this.#working(day)) left--;
    }
    return isoFromDayNumber(day);
  }

  /**
   * Working days in (a, b] when a ≤ b; minus the working days in (b, a] when b < a.
   * workingDaysBetween(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(a: string, b: string): number {
    const da = dayOf(a, 'from');
    const db = dayOf(b, 'to');
    const [lo, hi, sign] = da <= db ? [da, db, 1] : [db, da, -1];
    let n = 0;
    for (let day = lo + 1; day <= hi; day++) if (this.#working(day)) n++;
    return n === 0 ? 0 : sign * n;
  }
}

export type DeadlineStateName = 'ok' | 'due_soon' | 'overdue';

export interface DeadlineState {
  state: DeadlineStateName;
  /** Working days left (0 = due today); negative when overdue (at least -1). */
  remaining: number;
}

/**
 * Where a deadline stands today: overdue once today is after the due date; due soon when
 * `warnDays` working days or fewer remain (including the due day itself); otherwise ok.
 */
export function deadlineState(
  due: string,
  today: string,
  cal: WorkingDayCalendar,
  warnDays: number = DEADLINE_WARN_WORKING_DAYS,
): DeadlineState {
  const dd = dayOf(due, 'due');
  const dt = dayOf(today, 'today');
  if (dt > dd) return { state: 'overdue', remaining: -Math.max(1, cal.workingDaysBetween(due, today)) };
  const remaining = cal.workingDaysBetween(today, due);
  return { state: remaining <= warnDays ? 'due_soon' : 'ok', remaining };
}
