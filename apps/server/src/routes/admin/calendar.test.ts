/**
 * The calendar through HTTP: a notice file uploaded for a dry run, confirmed with the preview's
 * basedOn, then counted by GET /api/calendar/add-working-days; bad input gets coded 4xx answers.
 * The 2027 rows are test data, not the real notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../../app.ts';

let w: TestWorld;
let app: FastifyInstance;
const cookies: Record<string, string> = {};

function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  w = await openTestWorld({ entities: 1 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 4 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  for (const u of ['admin', 'inspector1']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u, password: TEST_PASSWORD },
    });
    cookies[u] = String(res.headers['set-cookie']).split(';')[0]!;
  }
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const as = (u: string) => ({ cookie: cookies[u]! });

describe('calendar routes', () => {
  it('preview (nothing written), confirm, and the loaded year counts', async () => {
    const before = await app.inject({ method: 'GET', url: '/api/calendar', headers: as('inspector1') });
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      today: '2026-03-01',
      missing: [2027],
      loaded: [],
      packageThrough: 2026,
    });

    const csv = Buffer.from('日期,类型\n2027-01-01,休\n2027/1/2,休\n2027年1月3日,休\n2027-02-06,班\n');
    const up = multipart('2027.csv', csv);
    const p = await app.inject({
      method: 'POST',
      url: '/api/admin/calendar/preview',
      headers: { ...as('admin'), ...up.headers },
      payload: up.payload,
    });
    expect(p.statusCode, p.body).toBe(200);
    const preview = p.json();
    expect(preview).toMatchObject({
      year: 2027,
      rows: 4,
      issues: [],
      replaces: null,
      calendarYear: {
        year: 2027,
        holidays: ['2027-01-01', '2027-01-02', '2027-01-03'],
        workdays: ['2027-02-06'],
      },
      diff: { becomeOff: ['2027-01-01'], becomeWorking: ['2027-02-06'] },
    });
    const still = await app.inject({ method: 'GET', url: '/api/calendar', headers: as('admin') });
    expect(still.json().missing).toEqual([2027]);

    const load = await app.inject({
      method: 'POST',
      url: '/api/admin/calendar/years',
      headers: as('admin'),
      payload: {
        calendarYear: preview.calendarYear,
        sourceName: '2027.csv',
        notice: '测试',
        basedOn: preview.basedOn,
      },
    });
    expect(load.statusCode, load.body).toBe(200);
    const after = await app.inject({ method: 'GET', url: '/api/calendar', headers: as('inspector1') });
    expect(after.json()).toMatchObject({ missing: [], loaded: [preview.calendarYear] });
    const n = await app.inject({
      method: 'GET',
      url: '/api/calendar/add-working-days?date=2026-12-31&n=1',
      headers: as('inspector1'),
    });
    expect(n.json()).toEqual({ date: '2026-12-31', n: 1, result: '2027-01-04', missingYears: [] });

    const again = await app.inject({
      method: 'POST',
      url: '/api/admin/calendar/years',
      headers: as('admin'),
      payload: { calendarYear: preview.calendarYear, sourceName: '2027.csv', basedOn: preview.basedOn },
    });
    expect([again.statusCode, again.json().code]).toEqual([409, 'CALENDAR_PREVIEW_STALE']);
  });

  it('coded 4xx for bad input', async () => {
    const bad = await app.inject({
      method: 'GET',
      url: '/api/calendar/add-working-days?date=2023-02-30&n=1',
      headers: as('admin'),
    });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    const up = multipart('x.json', Buffer.from('{"nope": true}'));
    const r = await app.inject({
      method: 'POST',
      url: '/api/admin/calendar/preview',
      headers: { ...as('admin'), ...up.headers },
      payload: up.payload,
    });
    expect([r.statusCode, r.json().code]).toEqual([400, 'CALENDAR_NOTICE_FORMAT']);
    const conflict = await app.inject({
      method: 'POST',
      url: '/api/admin/calendar/years',
      headers: as('admin'),
      payload: {
        calendarYear: { year: 2028, holidays: ['2028-01-01'], workdays: ['2028-01-01'] },
        sourceName: 'x',
        basedOn: 'x',
      },
    });
    expect([conflict.statusCode, conflict.json().code]).toEqual([400, 'CALENDAR_NOTICE_INVALID']);
  });
});
