/**
 * The official calendar pinned across National Day 2023/2024 and Spring Festival 2024/2025 with
 * their adjusted working weekends (调休), as the State Council notices say; and the consistency of
 * addWorkingDays / workingDaysBetween as properties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../errors.ts';
import {
  ABNORMAL_LISTING_WORKING_DAYS,
  BUILTIN_CALENDAR,
  BUILTIN_CALENDAR_YEARS,
  PUBLICITY_WORKING_DAYS,
  WorkingDayCalendar,
  addCalendarDays,
  deadlineState,
  isoDayNumber,
  isoFromDayNumber,
} from './index.ts';

const cal = BUILTIN_CALENDAR;

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

function workingMap(from: string, to: string): string {
  return days(from, to)
    .map((d) => (cal.isWorkingDay(d) ? '班' : '休'))
    .join('');
}

describe('the package data (chinese-days)', () => {
  it('covers 2004–2026, one entry per year, no date both off and working', () => {
    expect(BUILTIN_CALENDAR_YEARS.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    for (const y of BUILTIN_CALENDAR_YEARS) {
      const on = new Set(y.workdays);
      expect(y.holidays.filter((d) => on.has(d))).toEqual([]);
      expect([...y.holidays, ...y.workdays].every((d) => d.startsWith(`${y.year}-`))).toBe(true);
    }
    expect(cal.hasYear(2026)).toBe(true);
    expect(cal.hasYear(2027)).toBe(false);
    expect(cal.missingYears(2025, 2028)).toEqual([2027, 2028]);
  });

  it('constants: publicity 20, abnormal listing 10', () => {
    expect([PUBLICITY_WORKING_DAYS, ABNORMAL_LISTING_WORKING_DAYS]).toEqual([20, 10]);
  });
});

describe('National Day', () => {
  it('2023: 09-29..10-06 off (中秋 + 国庆), Saturday 10-07 and Sunday 10-08 working', () => {
    // 09-25 Mon … 10-15 Sun
    expect(workingMap('2023-09-25', '2023-10-15')).toBe('班班班班休休休休休休休休班班班班班班班休休');
    expect(cal.isWorkingDay('2023-09-29')).toBe(false);
    expect(cal.isWorkingDay('2023-10-07')).toBe(true);
    expect(cal.isWorkingDay('2023-10-08')).toBe(true);
    expect(cal.addWorkingDays('2023-09-28', 1)).toBe('2023-10-07');
    expect(cal.addWorkingDays('2023-09-28', 2)).toBe('2023-10-08');
    expect(cal.addWorkingDays('2023-09-28', 3)).toBe('2023-10-09');
    expect(cal.workingDaysBetween('2023-09-28', '2023-10-09')).toBe(3);
    // inspected Monday 09-25: 26,27,28 | 10-07,08 | 09..13 | 16..20 | 23..27
    expect(cal.addWorkingDays('2023-09-25', PUBLICITY_WORKING_DAYS)).toBe('2023-10-27');
    expect(cal.addWorkingDays('2023-09-25', ABNORMAL_LISTING_WORKING_DAYS)).toBe('2023-10-13');
  });

  it('2024: 10-01..10-07 off, Sunday 09-29 and Saturday 10-12 working', () => {
    // 09-28 Sat … 10-13 Sun
    expect(workingMap('2024-09-28', '2024-10-13')).toBe('休班班休休休休休休休班班班班班休');
    expect(cal.addWorkingDays('2024-09-27', 1)).toBe('2024-09-29');
    expect(cal.addWorkingDays('2024-09-27', 2)).toBe('2024-09-30');
    expect(cal.addWorkingDays('2024-09-27', 3)).toBe('2024-10-08');
    expect(cal.addWorkingDays('2024-10-07', 5)).toBe('2024-10-12');
    expect(cal.workingDaysBetween('2024-09-27', '2024-10-13')).toBe(7);
  });
});

describe('Spring Festival', () => {
  it('2024: 02-10..02-17 off, Sunday 02-04 and Sunday 02-18 working, 除夕 02-09 a working Friday', () => {
    // 02-03 Sat … 02-25 Sun
    expect(workingMap('2024-02-03', '2024-02-25')).toBe('休班班班班班班休休休休休休休休班班班班班班休休');
    expect(cal.addWorkingDays('2024-02-08', 1)).toBe('2024-02-09');
    expect(cal.addWorkingDays('2024-02-08', 2)).toBe('2024-02-18');
    expect(cal.addWorkingDays('2024-02-08', 3)).toBe('2024-02-19');
    expect(cal.addWorkingDays('2024-02-02', 1)).toBe('2024-02-04');
  });

  it('2025: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 working', () => {
    // 01-25 Sat … 02-09 Sun
    expect(workingMap('2025-01-25', '2025-02-09')).toBe('休班班休休休休休休休休班班班班休');
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    expect(cal.addWorkingDays('2025-01-24', 2)).toBe('2025-01-27');
    expect(cal.addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
    expect(cal.addWorkingDays('2025-01-24', 6)).toBe('2025-02-08');
    expect(cal.workingDaysBetween('2025-01-27', '2025-02-05')).toBe(1);
  });
});

describe('years without data and loaded years', () => {
  it('a year without data counts Monday–Friday; a loaded year replaces it', () => {
    // 2027-01-01 is a Friday
    expect(cal.isWorkingDay('2027-01-01')).toBe(true);
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
    const loaded = cal.withYears([
      { year: 2027, holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] },
    ]);
    expect(loaded.hasYear(2027)).toBe(true);
    expect(loaded.isWorkingDay('2027-01-01')).toBe(false);
    expect(loaded.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    // the original is untouched
    expect(cal.hasYear(2027)).toBe(false);
  });

  it('a loaded year wins over the package data of the same year', () => {
    const fixed = cal.withYears([{ year: 2023, holidays: [], workdays: [] }]);
    expect(fixed.isWorkingDay('2023-10-02')).toBe(true);
    expect(fixed.isWorkingDay('2023-10-07')).toBe(false);
    expect(fixed.years()).toEqual(cal.years());
  });
});

describe('deadlineState', () => {
  const due = '2023-10-27'; // a Friday
  it('ok above 5 working days, due soon from 5 to 0, overdue after the due date', () => {
    expect(deadlineState(due, '2023-10-19', cal)).toEqual({ state: 'ok', remaining: 6 });
    expect(deadlineState(due, '2023-10-20', cal)).toEqual({ state: 'due_soon', remaining: 5 });
    expect(deadlineState(due, '2023-10-27', cal)).toEqual({ state: 'due_soon', remaining: 0 });
    expect(deadlineState(due, '2023-10-28', cal)).toEqual({ state: 'overdue', remaining: -1 });
    expect(deadlineState(due, '2023-10-30', cal)).toEqual({ state: 'overdue', remaining: -1 });
    expect(deadlineState(due, '2023-10-31', cal)).toEqual({ state: 'overdue', remaining: -2 });
    expect(deadlineState(due, '2023-10-19', cal, 6)).toEqual({ state: 'due_soon', remaining: 6 });
  });

  it('counts the adjusted weekend: 10-07 and 10-08 (Sat, Sun) are working days before a due 10-13', () => {
    expect(deadlineState('2023-10-13', '2023-09-28', cal)).toEqual({ state: 'ok', remaining: 7 });
    expect(deadlineState('2023-10-13', '2023-10-06', cal)).toEqual({ state: 'ok', remaining: 7 });
    expect(deadlineState('2023-10-13', '2023-10-07', cal)).toEqual({ state: 'ok', remaining: 6 });
    expect(deadlineState('2023-10-13', '2023-10-08', cal)).toEqual({ state: 'due_soon', remaining: 5 });
    // Monday–Friday alone would say 5 already on 10-06
    expect(deadlineState('2023-10-13', '2023-10-06', new WorkingDayCalendar())).toEqual({
      state: 'due_soon',
      remaining: 5,
    });
  });
});

describe('bad input', () => {
  function codeOf(f: () => unknown): string | undefined {
    try {
      f();
    } catch (e) {
      return e instanceof AppError ? e.code : 'not an AppError';
    }
    return undefined;
  }
  it('coded errors for bad dates and day counts', () => {
    expect(codeOf(() => cal.addWorkingDays('2023-02-30', 1))).toBe('CALENDAR_DATE_INVALID');
    expect(codeOf(() => cal.addWorkingDays('2023/02/01', 1))).toBe('CALENDAR_DATE_INVALID');
    expect(codeOf(() => cal.addWorkingDays('2023-02-01', -1))).toBe('CALENDAR_DAYS_INVALID');
    expect(codeOf(() => cal.addWorkingDays('2023-02-01', 1.5))).toBe('CALENDAR_DAYS_INVALID');
    expect(codeOf(() => cal.addWorkingDays('2023-02-01', 10_001))).toBe('CALENDAR_DAYS_INVALID');
    expect(codeOf(() => cal.workingDaysBetween('2023-02-01', 'x'))).toBe('CALENDAR_DATE_INVALID');
    expect(
      codeOf(() => new WorkingDayCalendar([{ year: 2027, holidays: ['2027-13-01'], workdays: [] }])),
    ).toBe('CALENDAR_DATE_INVALID');
    expect(cal.addWorkingDays('2023-10-01', 0)).toBe('2023-10-01');
  });
});

describe('properties', () => {
  const lo = isoDayNumber('2003-01-01')!;
  const hi = isoDayNumber('2028-12-31')!;
  const date = fc.integer({ min: lo, max: hi }).map(isoFromDayNumber);
  const n = fc.integer({ min: 0, max: 400 });

  it('workingDaysBetween(d, addWorkingDays(d, n)) = n, and the result is the first such day', () => {
    fc.assert(
      fc.property(date, n, (d, k) => {
        const r = cal.addWorkingDays(d, k);
        expect(cal.workingDaysBetween(d, r)).toBe(k);
        if (k > 0) {
          expect(cal.isWorkingDay(r)).toBe(true);
          expect(cal.workingDaysBetween(d, addCalendarDays(r, -1))).toBe(k - 1);
        } else expect(r).toBe(d);
      }),
      { numRuns: 300 },
    );
  });

  it('workingDaysBetween is antisymmetric and additive', () => {
    fc.assert(
      fc.property(date, date, date, (a, b, c) => {
        expect(cal.workingDaysBetween(a, b)).toBe(-cal.workingDaysBetween(b, a) || 0);
        expect(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c)).toBe(
          cal.workingDaysBetween(a, c),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('addWorkingDays is strictly increasing in n and composes', () => {
    fc.assert(
      fc.property(date, n, n, (d, a, b) => {
        expect(cal.addWorkingDays(d, a + 1) > cal.addWorkingDays(d, a)).toBe(true);
        if (a > 0) expect(cal.addWorkingDays(cal.addWorkingDays(d, a), b)).toBe(cal.addWorkingDays(d, a + b));
        else expect(cal.addWorkingDays(d, b)).toBe(cal.addWorkingDays(d, a + b));
      }),
      { numRuns: 200 },
    );
  });

  it('without any data every 7 consecutive days hold 5 working days', () => {
    const plain = new WorkingDayCalendar();
    fc.assert(
      fc.property(date, (d) => {
        expect(plain.workingDaysBetween(d, addCalendarDays(d, 7))).toBe(5);
        expect(plain.missingYears(2025, 2026)).toEqual([2025, 2026]);
      }),
      { numRuns: 100 },
    );
  });

  it('a year has about 250 working days (the notices keep the count)', () => {
    for (const y of [2023, 2024, 2025, 2026]) {
      const nDays = cal.workingDaysBetween(`${y - 1}-12-31`, `${y}-12-31`);
      expect(nDays >= 246 && nDays <= 251).toBe(true);
    }
  });
});
