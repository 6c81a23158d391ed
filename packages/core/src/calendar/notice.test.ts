/**
 * Reading a State Council notice as data: the 2024 notice (国办发明电〔2023〕7号) written as rows
 * of date + 休/班 gives back exactly the package's 2024; every bad row is an issue with its row.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUILTIN_CALENDAR,
  calendarYearFromNotice,
  diffCalendarYear,
  noticeRowsFromJson,
  noticeRowsFromTable,
  parseNoticeDate,
  parseNoticeKind,
} from './index.ts';

const Y2024 = BUILTIN_CALENDAR.year(2024)!;

describe('parseNoticeDate / parseNoticeKind', () => {
  it('reads the usual spellings and Excel serials, refuses the rest', () => {
    expect(
      [
        '2024-02-10',
        '2024/2/10',
        '2024.2.10',
        '2024年2月10日',
        '20240210',
        ' 2024-02-10T00:00:00Z',
        45332,
        '45332',
      ].map(parseNoticeDate),
    ).toEqual(Array(8).fill('2024-02-10'));
    expect(['2024-02-30', '2/10/2024', '', 'x', 45332.5, 1, null, true].map(parseNoticeDate)).toEqual(
      Array(8).fill(null),
    );
    expect(['休', ' 放假 ', 'OFF', '班', '上班', '补班', 'work', '调休', '', 1].map(parseNoticeKind)).toEqual(
      ['off', 'off', 'off', 'work', 'work', 'work', 'work', null, null, null],
    );
  });
});

describe('calendarYearFromNotice', () => {
  it('the 2024 notice as a sheet (title row, header, names column) gives the package’s 2024', () => {
    const table: unknown[][] = [
      ['国务院办公厅关于2024年部分节假日安排的通知'],
      [],
      ['节日', '日期', '类型'],
      ...Y2024.holidays.map((d) => ['', d, '休']),
      ...Y2024.workdays.map((d) => ['', d.replace(/-0?/g, '/'), '班']),
    ];
    const rows = noticeRowsFromTable(table);
    expect(rows.length).toBe(Y2024.holidays.length + Y2024.workdays.length);
    expect(rows[0]!.row).toBe(4);
    const p = calendarYearFromNotice(rows);
    expect(p.issues).toEqual([]);
    expect(p.year).toBe(2024);
    expect(p.calendarYear).toEqual(Y2024);
    expect(diffCalendarYear(BUILTIN_CALENDAR, p.calendarYear!)).toEqual({
      becomeOff: [],
      becomeWorking: [],
      workingDaysBefore: 251,
      workingDaysAfter: 251,
    });
  });

  it('every bad row is an issue with its row; an error blocks the year', () => {
    const p = calendarYearFromNotice([
      { row: 2, date: '2027-01-01', kind: '休' },
      { row: 3, date: '2027-02-30', kind: '休' },
      { row: 4, date: '2027-02-06', kind: '调' },
      { row: 5, date: '2027-01-01', kind: '休' },
      { row: 6, date: '2027-02-07', kind: '休' },
      { row: 7, date: '2027-02-07', kind: '班' },
      { row: 8, date: '2027-02-08', kind: '班' },
      { row: 9, date: '2026-12-31', kind: '休' },
      { row: 10, date: '2025-05-01', kind: '休' },
    ]);
    expect(p.year).toBe(2027);
    expect(p.calendarYear).toBeNull();
    expect(p.issues.map((i) => [i.row, i.code, i.severity])).toEqual([
      [3, 'CALENDAR_ROW_DATE_INVALID', 'error'],
      [4, 'CALENDAR_ROW_KIND_INVALID', 'error'],
      [5, 'CALENDAR_ROW_DUPLICATE', 'warning'],
      [7, 'CALENDAR_ROW_CONFLICT', 'error'],
      [8, 'CALENDAR_ROW_NO_EFFECT', 'warning'],
      [9, 'CALENDAR_ROW_OTHER_YEAR', 'warning'],
      [10, 'CALENDAR_ROW_OTHER_YEAR', 'error'],
    ]);
    expect(p.issues[0]!.value).toBe('2027-02-30');
  });

  it('warnings alone load: 元旦 from 12-31 of the year before counts in the calendar', () => {
    const p = calendarYearFromNotice(
      [
        { row: 1, date: '2026-12-31', kind: '休' },
        { row: 2, date: '2027-01-01', kind: '休' },
        { row: 3, date: '2027-01-09', kind: '班' },
      ],
      2027,
    );
    expect(p.issues.map((i) => i.code)).toEqual(['CALENDAR_ROW_OTHER_YEAR']);
    expect(p.calendarYear).toEqual({
      year: 2027,
      holidays: ['2026-12-31', '2027-01-01'],
      workdays: ['2027-01-09'],
    });
    const cal = BUILTIN_CALENDAR.withYears([p.calendarYear!]);
    expect(cal.addWorkingDays('2026-12-30', 1)).toBe('2027-01-04');
    expect(cal.isWorkingDay('2027-01-09')).toBe(true);
    const diff = diffCalendarYear(BUILTIN_CALENDAR, p.calendarYear!);
    expect([diff.becomeOff, diff.becomeWorking]).toEqual([['2026-12-31', '2027-01-01'], ['2027-01-09']]);
    // within 2027 one weekday off (01-01) and one Saturday working (01-09): 261 weekdays either way
    expect([diff.workingDaysBefore, diff.workingDaysAfter]).toEqual([261, 261]);
  });

  it('empty files and files without a year are refused', () => {
    expect(calendarYearFromNotice([]).issues.map((i) => i.code)).toEqual(['CALENDAR_NOTICE_EMPTY']);
    expect(
      calendarYearFromNotice([{ row: 1, date: '2027-01-09', kind: '班' }]).issues.map((i) => i.code),
    ).toEqual(['CALENDAR_NOTICE_EMPTY']);
    expect(calendarYearFromNotice([{ row: 1, date: 'x', kind: '休' }]).year).toBeNull();
  });
});

describe('noticeRowsFromJson', () => {
  it('reads the four JSON shapes alike', () => {
    const want = { year: 2027, holidays: ['2027-01-01'], workdays: ['2027-01-09'] };
    const shapes: unknown[] = [
      { year: 2027, holidays: ['2027-01-01'], workdays: ['2027-01-09'] },
      {
        holidays: { '2027-01-01': "New Year's Day,元旦,1" },
        workdays: { '2027-01-09': 'x' },
        inLieuDays: {},
      },
      [
        { date: '2027-01-01', kind: '休' },
        { date: '2027-01-09', kind: '班' },
      ],
      {
        year: 2027,
        days: [
          ['2027-01-01', 'off'],
          ['2027-01-09', 'work'],
        ],
      },
    ];
    for (const s of shapes) {
      const r = noticeRowsFromJson(s);
      expect(r).not.toBeNull();
      expect(calendarYearFromNotice(r!.rows, r!.year).calendarYear).toEqual(want);
    }
    expect([noticeRowsFromJson('x'), noticeRowsFromJson({ a: 1 }), noticeRowsFromJson([1])]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('property: any set of weekend 班 and 休 days of a year round-trips through the rows', () => {
    const day = fc.integer({ min: 0, max: 364 });
    fc.assert(
      fc.property(fc.uniqueArray(day, { minLength: 1, maxLength: 40 }), (picked) => {
        const isos = picked.map((i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
        const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
        const rows = isos.map((d, i) => ({
          row: i + 1,
          date: d,
          kind: weekend(d) && i % 2 === 0 ? '班' : '休',
        }));
        const p = calendarYearFromNotice(rows);
        const hol = rows
          .filter((r) => r.kind === '休')
          .map((r) => r.date)
          .sort();
        const wk = rows
          .filter((r) => r.kind === '班')
          .map((r) => r.date)
          .sort();
        if (hol.length === 0) expect(p.calendarYear).toBeNull();
        else expect(p.calendarYear).toEqual({ year: 2027, holidays: hol, workdays: wk });
      }),
      { numRuns: 100 },
    );
  });
});
