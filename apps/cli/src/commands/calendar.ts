/**
 * `choucha calendar …`: the official working-day calendar (issue 9 §5), for scripts and checks.
 *   add-working-days DATE N   prints the ISO date N working days after DATE (DATE not counted)
 *   status                    years with data, and this/next year without data
 *   load FILE                 previews a State Council notice (JSON, xlsx, CSV: date + 休/班)
 *                             and loads it unless --dry-run
 * Bad input exits 2 with the error code, its English and its Chinese text.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  BUILTIN_CALENDAR,
  ERROR_TABLE,
  isIsoDate,
  isAppError,
  MAX_WORKING_DAYS,
  type ErrorCode,
  type WorkingDayCalendar,
} from '@choucha/core';
import {
  calendarStatus,
  loadCalendarYear,
  previewCalendarFile,
  SYSTEM,
  workingDayCalendar,
  type CalendarPreview,
} from '@choucha/services';
import { withServices } from '../context.ts';

/** A coded message on stderr and exit code 2. */
function badInput(code: ErrorCode, detail?: string): void {
  const row = ERROR_TABLE[code];
  process.stderr.write(`${code}: ${row.en}${detail ? ` (${detail})` : ''}\n${row.zh}\n`);
  process.exitCode = 2;
}

function missingWarning(cal: WorkingDayCalendar, from: string, to: string): void {
  const years = cal.missingYears(Number(from.slice(0, 4)), Number(to.slice(0, 4)));
  if (years.length === 0) return;
  const list = years.join(', ');
  process.stderr.write(
    `warning: no official calendar for ${list}: counted Monday–Friday only (load the State Council notice: choucha calendar load FILE)\n` +
      `警告：${list} 年尚无法定节假日安排数据，按周一至周五计算工作日（请载入国务院办公厅通知）\n`,
  );
}

function printPreview(p: CalendarPreview): void {
  const out: string[] = [];
  out.push(
    `File ${p.sourceName}: ${p.rows} rows, year ${p.year ?? '?'}${p.replaces ? ` (replaces the ${p.replaces} data)` : ''}`,
  );
  if (p.calendarYear)
    out.push(
      `  days off (休): ${p.calendarYear.holidays.length}; adjusted working days (班): ${p.calendarYear.workdays.length}`,
    );
  if (p.diff) {
    out.push(`  working days of the year: ${p.diff.workingDaysBefore} → ${p.diff.workingDaysAfter}`);
    if (p.diff.becomeOff.length) out.push(`  become days off: ${p.diff.becomeOff.join(' ')}`);
    if (p.diff.becomeWorking.length) out.push(`  become working days: ${p.diff.becomeWorking.join(' ')}`);
  }
  for (const i of p.issues)
    out.push(
      `  ${i.severity === 'error' ? 'ERROR  ' : 'warning'} row ${i.row ?? '-'} ${i.code}: ${ERROR_TABLE[i.code].en}${i.value !== null ? ` [${i.value}]` : ''}`,
    );
  process.stdout.write(`${out.join('\n')}\n`);
}

export function registerCalendarCommands(program: Command) {
  const calendar = program
    .command('calendar')
    .description('The official working-day calendar (holidays and 调休)');

  calendar
    .command('add-working-days')
    .description('Print the ISO date N working days after DATE (DATE itself not counted; N = 0 prints DATE)')
    .argument('<date>', 'YYYY-MM-DD')
    .argument('<n>', `working days, 0 to ${MAX_WORKING_DAYS}`)
    .option('--package-only', 'use the chinese-days package data only, without opening the database')
    // a missing or extra argument is bad input too: exit 2, as for a bad date
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (date: string, n: string, opts: { packageOnly?: boolean }) => {
      if (!isIsoDate(date)) return badInput('CALENDAR_DATE_INVALID', date);
      if (!/^\d{1,5}$/.test(n) || Number(n) > MAX_WORKING_DAYS) return badInput('CALENDAR_DAYS_INVALID', n);
      const run = (cal: WorkingDayCalendar) => {
        const r = cal.addWorkingDays(date, Number(n));
        missingWarning(cal, date, r);
        process.stdout.write(`${r}\n`);
      };
      if (opts.packageOnly) return run(BUILTIN_CALENDAR);
      await withServices('calendar add-working-days', async (svc) =>
        run(await workingDayCalendar(svc.database.db)),
      );
    });

  calendar
    .command('status')
    .description(
      'List the years with data (package or loaded) and warn about this year and the next without data',
    )
    .action(async () => {
      await withServices('calendar status', async (svc) => {
        const s = await calendarStatus(svc, SYSTEM);
        const lines = s.years.map(
          (y) =>
            `${y.year}  ${y.source.padEnd(7)} ${String(y.holidays).padStart(3)} off  ${String(y.workdays).padStart(2)} 调休  ${y.workingDays} working days${y.source === 'loaded' ? `  (${y.sourceName ?? ''}, ${y.loadedAt ?? ''}${y.notice ? `, ${y.notice}` : ''})` : ''}`,
        );
        process.stdout.write(
          `Today ${s.today}. Package data through ${s.packageThrough}.\n${lines.join('\n')}\n`,
        );
        if (s.missing.length)
          missingWarning(
            BUILTIN_CALENDAR.withYears(s.loaded),
            `${s.missing[0]}-01-01`,
            `${s.missing.at(-1)}-12-31`,
          );
      });
    });

  calendar
    .command('load')
    .description(
      'Load a year of the State Council holiday notice: JSON, .xlsx or .csv with columns 日期 and 类型 (休/班)',
    )
    .argument('<file>', 'the notice as data')
    .option('--year <year>', 'the year of the notice (default: the year most dates fall in)')
    .option('--notice <text>', 'the notice it comes from, e.g. 国办发明电〔2026〕7号')
    .option('--dry-run', 'show what would change and load nothing')
    .action(async (file: string, opts: { year?: string; notice?: string; dryRun?: boolean }) => {
      if (opts.year !== undefined && !/^\d{4}$/.test(opts.year))
        return badInput('INPUT_OUT_OF_RANGE', `--year ${opts.year}`);
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch (e) {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 2;
        return;
      }
      await withServices('calendar load', async (svc) => {
        const fileName = path.basename(file);
        try {
          const p = await previewCalendarFile(svc, SYSTEM, {
            fileName,
            data,
            year: opts.year === undefined ? null : Number(opts.year),
          });
          printPreview(p);
          if (!p.calendarYear) return badInput('CALENDAR_NOTICE_INVALID');
          if (opts.dryRun) {
            process.stdout.write('Dry run: nothing loaded.\n');
            return;
          }
          await loadCalendarYear(svc, SYSTEM, {
            calendarYear: p.calendarYear,
            sourceName: fileName,
            notice: opts.notice ?? null,
            basedOn: p.basedOn!,
          });
          process.stdout.write(`Loaded ${p.calendarYear.year}.\n`);
        } catch (e) {
          if (isAppError(e) && e.status < 500)
            return badInput(e.code, e.message !== ERROR_TABLE[e.code].en ? e.message : undefined);
          throw e;
        }
      });
    });
}
