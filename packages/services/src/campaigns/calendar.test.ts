/**
 * The calendar in force on both databases: the package alone, then a year loaded from a notice
 * file (CSV in GBK, xlsx with date serials, JSON) through a dry-run preview and a confirmation
 * that must match it; the loaded year wins over the package; loads are audited.
 * The 2027 rows below are test data, not the real notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import XLSX from 'xlsx';
import { AppError, BUILTIN_CALENDAR } from '@choucha/core';
import { auditEvents, calendarYears } from '@choucha/db';
import { encodeText } from '@choucha/importer';
import { openTestWorld, type TestWorld } from '../testing.ts';
import {
  calendarStatus,
  loadCalendarYear,
  previewCalendarFile,
  removeCalendarYear,
  workingDayCalendar,
} from './calendar.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 1 });
});
afterAll(async () => {
  await w?.cleanup();
});

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

// A test notice for 2027: 元旦 01-01..03 (Fri–Sun), a long break 02-08..02-12 (Mon–Fri) with
// Saturday 02-06 and Sunday 02-21 working.
const OFF = [
  '2027-01-01',
  '2027-01-02',
  '2027-01-03',
  '2027-02-08',
  '2027-02-09',
  '2027-02-10',
  '2027-02-11',
  '2027-02-12',
];
const ON = ['2027-02-06', '2027-02-21'];
const CSV = [
  '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
  '日期,类型,说明',
  ...OFF.map((d) => `${d},休,`),
  ...ON.map((d) => `${d.replace(/-/g, '/')},班,调休上班`),
].join('\r\n');
const gbkBuffer = (s: string): Buffer => encodeText(s, 'gb18030');

describe('the calendar in force', () => {
  it('with nothing loaded: the package, and 2027 is a warning', async () => {
    expect(await workingDayCalendar(w.database.db)).toBe(BUILTIN_CALENDAR);
    const s = await calendarStatus(w.svc, w.actors.leader);
    expect(s.today).toBe('2026-03-01');
    expect(s.missing).toEqual([2027]);
    expect(s.packageThrough).toBe(2026);
    expect(s.loaded).toEqual([]);
    expect(s.years[0]).toMatchObject({ year: 2026, source: 'package', inPackage: true, loadedAt: null });
    expect(s.years.at(-1)!.year).toBe(2004);
    expect(s.years.find((y) => y.year === 2024)!.workingDays).toBe(251);
  });

  it('a CSV preview writes nothing and says what changes; the confirmation loads it, audited', async () => {
    const p = await previewCalendarFile(w.svc, w.actors.admin, {
      fileName: '2027.csv',
      data: gbkBuffer(CSV),
    });
    expect(p.issues).toEqual([]);
    expect(p.year).toBe(2027);
    expect(p.rows).toBe(10);
    expect(p.replaces).toBeNull();
    expect(p.calendarYear).toEqual({ year: 2027, holidays: OFF, workdays: ON });
    expect(p.diff).toEqual({
      becomeOff: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
      becomeWorking: ON,
      workingDaysBefore: 261,
      workingDaysAfter: 257,
    });
    expect(await w.database.db.select().from(calendarYears)).toEqual([]);

    const loaded = await loadCalendarYear(w.svc, w.actors.admin, {
      calendarYear: p.calendarYear!,
      sourceName: '2027.csv',
      notice: '国办发明电〔2026〕测试号',
      basedOn: p.basedOn!,
    });
    expect(loaded.replaces).toBe('loaded');
    const cal = await workingDayCalendar(w.database.db);
    expect(cal.hasYear(2027)).toBe(true);
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(cal.addWorkingDays('2027-02-05', 1)).toBe('2027-02-06');
    expect(cal.addWorkingDays('2027-02-06', 1)).toBe('2027-02-15');
    const s = await calendarStatus(w.svc, w.actors.inspector);
    expect(s.missing).toEqual([]);
    expect(s.loaded).toEqual([{ year: 2027, holidays: OFF, workdays: ON }]);
    expect(s.years[0]).toMatchObject({
      year: 2027,
      source: 'loaded',
      holidays: 8,
      workdays: 2,
      workingDays: 257,
      notice: '国办发明电〔2026〕测试号',
      sourceName: '2027.csv',
      loadedBy: 'admin',
      inPackage: false,
    });
    const [ev] = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'calendar.year.load'));
    expect(ev).toMatchObject({ subjectType: 'calendar_year', subjectId: '2027', before: null });
    expect((ev!.after as { holidays: string[] }).holidays).toEqual(OFF);

    // the same preview confirmed again: the year changed since → stale
    const stale = await caught(
      loadCalendarYear(w.svc, w.actors.admin, {
        calendarYear: p.calendarYear!,
        sourceName: 'x',
        basedOn: p.basedOn!,
      }),
    );
    expect(stale.code).toBe('CALENDAR_PREVIEW_STALE');
  });

  it('an xlsx with date cells (serials) and a title row previews the same year over the loaded one', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['2027年节假日安排'],
      ['日期', '休/班'],
      ...OFF.map((d) => [new Date(`${d}T00:00:00Z`), '休']),
      ...ON.map((d) => [new Date(`${d}T00:00:00Z`), '班']),
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '2027');
    const data = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const p = await previewCalendarFile(w.svc, w.actors.admin, { fileName: 'notice.xlsx', data });
    expect(p.issues).toEqual([]);
    expect(p.calendarYear).toEqual({ year: 2027, holidays: OFF, workdays: ON });
    expect(p.replaces).toBe('loaded');
    expect([p.diff!.becomeOff, p.diff!.becomeWorking]).toEqual([[], []]);
  });

  it('a loaded year wins over the package; removing it brings the package back', async () => {
    const y2023 = BUILTIN_CALENDAR.year(2023)!;
    const json = JSON.stringify({
      holidays: Object.fromEntries(y2023.holidays.filter((d) => d !== '2023-10-06').map((d) => [d, 'x'])),
      workdays: Object.fromEntries(y2023.workdays.map((d) => [d, 'x'])),
    });
    const p = await previewCalendarFile(w.svc, w.actors.admin, {
      fileName: '2023.json',
      data: Buffer.from(json),
    });
    expect(p.replaces).toBe('package');
    expect(p.diff).toMatchObject({ becomeOff: [], becomeWorking: ['2023-10-06'] });
    await loadCalendarYear(w.svc, w.actors.admin, {
      calendarYear: p.calendarYear!,
      sourceName: '2023.json',
      basedOn: p.basedOn!,
    });
    expect((await workingDayCalendar(w.database.db)).isWorkingDay('2023-10-06')).toBe(true);
    const s = await removeCalendarYear(w.svc, w.actors.admin, 2023);
    expect(s.years.find((y) => y.year === 2023)!.source).toBe('package');
    expect((await workingDayCalendar(w.database.db)).isWorkingDay('2023-10-06')).toBe(false);
    expect((await caught(removeCalendarYear(w.svc, w.actors.admin, 2023))).code).toBe('NOT_FOUND');
  });

  it('bad rows are listed with their row numbers; a bad year is refused at load; only the joint office loads', async () => {
    const bad = [
      '日期,类型',
      '2028-01-01,休',
      '2028-02-30,休',
      '2028-01-08,调',
      '2028-01-09,班',
      '2028-01-09,休',
    ].join('\n');
    const p = await previewCalendarFile(w.svc, w.actors.admin, {
      fileName: 'bad.csv',
      data: Buffer.from(bad),
    });
    expect(p.calendarYear).toBeNull();
    expect(p.issues.map((i) => [i.row, i.code])).toEqual([
      [3, 'CALENDAR_ROW_DATE_INVALID'],
      [4, 'CALENDAR_ROW_KIND_INVALID'],
      [6, 'CALENDAR_ROW_CONFLICT'],
    ]);
    const refused = await caught(
      loadCalendarYear(w.svc, w.actors.admin, {
        calendarYear: { year: 2028, holidays: ['2028-01-01', '2029-06-01'], workdays: [] },
        sourceName: 'x',
        basedOn: p.basedOn!,
      }),
    );
    expect([refused.code, (refused.details!['issues'] as { code: string }[])[0]!.code]).toEqual([
      'CALENDAR_NOTICE_INVALID',
      'CALENDAR_ROW_OTHER_YEAR',
    ]);
    expect(
      (await caught(previewCalendarFile(w.svc, w.actors.scjg, { fileName: 'a.csv', data: Buffer.from(CSV) })))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await caught(
          previewCalendarFile(w.svc, w.actors.admin, { fileName: 'a.json', data: Buffer.from('{"a":1}') }),
        )
      ).code,
    ).toBe('CALENDAR_NOTICE_FORMAT');
    expect(
      (
        await caught(
          previewCalendarFile(w.svc, w.actors.admin, {
            fileName: 'a.png',
            data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2]),
          }),
        )
      ).code,
    ).toBe('IMPORT_FILE_TYPE');
  });
});
