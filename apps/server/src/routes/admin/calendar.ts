/**
 * The official working-day calendar (issue 9 §5): staff read its years and warnings; the joint
 * office previews a year of the State Council notice (a dry run of an uploaded JSON / xlsx / CSV)
 * and confirms it. services/campaigns/calendar.ts.
 */
import {
  AddWorkingDays,
  AddWorkingDaysQuery,
  CalendarPreview,
  CalendarPreviewQuery,
  CalendarStatus,
  CalendarYearParam,
  LoadCalendarBody,
} from '@choucha/api';
import { AppError } from '@choucha/core';
import {
  authorize,
  calendarStatus,
  loadCalendarYear,
  previewCalendarFile,
  removeCalendarYear,
  workingDayCalendar,
} from '@choucha/services';
import type { AppOptions } from '../../app.ts';
import { assertCleanText } from '../../input-guard.ts';
import type { Api } from '../index.ts';

const tags = ['calendar'];

export async function calendarRoutes(api: Api, { services }: AppOptions) {
  api.get('/calendar', { schema: { tags, response: { 200: CalendarStatus } } }, async (req) =>
    calendarStatus(services, req.actor),
  );
  api.get(
    '/calendar/add-working-days',
    { schema: { tags, querystring: AddWorkingDaysQuery, response: { 200: AddWorkingDays } } },
    async (req) => {
      authorize(req.actor, 'dashboard.read');
      const cal = await workingDayCalendar(services.database.db);
      const { date, n } = req.query;
      const result = cal.addWorkingDays(date, n);
      return {
        date,
        n,
        result,
        missingYears: cal.missingYears(Number(date.slice(0, 4)), Number(result.slice(0, 4))),
      };
    },
  );
  api.post(
    '/admin/calendar/preview',
    {
      schema: {
        tags,
        description:
          'Dry run of a year of the State Council holiday notice: JSON, or an .xlsx/.csv with the columns 日期 and 类型 (休/班), uploaded as multipart field "file". Nothing is written.',
        querystring: CalendarPreviewQuery,
        response: { 200: CalendarPreview },
      },
    },
    async (req) => {
      authorize(req.actor, 'settings.write');
      if (!req.isMultipart())
        throw new AppError('VALIDATION_FAILED', 'Upload the file as multipart/form-data in the field "file"');
      const file = await req.file();
      if (!file) throw new AppError('IMPORT_FILE_EMPTY');
      assertCleanText(file.filename, 'file.name');
      const data = await file.toBuffer().catch((e: Error & { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('IMPORT_FILE_TOO_LARGE', e.message);
        throw e;
      });
      return previewCalendarFile(services, req.actor, {
        fileName: file.filename,
        data,
        year: req.query.year ?? null,
      });
    },
  );
  api.post(
    '/admin/calendar/years',
    { schema: { tags, body: LoadCalendarBody, response: { 200: CalendarPreview } } },
    async (req) => {
      assertCleanText(req.body.sourceName, 'sourceName');
      if (req.body.notice) assertCleanText(req.body.notice, 'notice');
      return loadCalendarYear(services, req.actor, req.body);
    },
  );
  api.delete(
    '/admin/calendar/years/:year',
    { schema: { tags, params: CalendarYearParam, response: { 200: CalendarStatus } } },
    async (req) => removeCalendarYear(services, req.actor, req.params.year),
  );
}
