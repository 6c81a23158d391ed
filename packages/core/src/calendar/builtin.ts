/**
 * The calendar data shipped with the `chinese-days` npm package (its dist/chinese-days.json:
 * `holidays` = days off, `workdays` = adjusted working weekends 调休上班, `inLieuDays` = weekdays
 * off in lieu, a subset of `holidays`; values "English name,中文名,n"). Package 1.5.7 covers
 * 2004–2026. Later years come from the State Council notice loaded by an administrator.
 */
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { WorkingDayCalendar, type CalendarYear } from './calendar.ts';

type DayMap = Record<string, string>;

function byYear(map: DayMap, into: Map<number, CalendarYear>, key: 'holidays' | 'workdays'): void {
  for (const iso of Object.keys(map).sort()) {
    const year = Number(iso.slice(0, 4));
    let y = into.get(year);
    if (!y) {
      y = { year, holidays: [], workdays: [] };
      into.set(year, y);
    }
    y[key].push(iso);
  }
}

function builtinYears(): CalendarYear[] {
  const raw = data as unknown as { holidays: DayMap; workdays: DayMap };
  const years = new Map<number, CalendarYear>();
  byYear(raw.holidays, years, 'holidays');
  byYear(raw.workdays, years, 'workdays');
  return [...years.values()].sort((a, b) => a.year - b.year);
}

/** The package's years, ascending (each with holidays and workdays sorted). */
export const BUILTIN_CALENDAR_YEARS: readonly CalendarYear[] = Object.freeze(builtinYears());

/** The official calendar from the package alone (services add the years an administrator loaded). */
export const BUILTIN_CALENDAR: WorkingDayCalendar = new WorkingDayCalendar(BUILTIN_CALENDAR_YEARS);
