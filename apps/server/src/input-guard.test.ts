/**
 * The input boundary and the value bounds (issue 7, §1a and §4), finding by finding: each of these
 * requests answered 500 (or stored altered text) before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { columnLetter } from '@choucha/importer';
import { xlsxFile } from '@choucha/importer/testkit';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from './app.ts';
import { databaseInputError } from './errors.ts';

let w: TestWorld;
let app: FastifyInstance;
let admin = '';
const idRoutes: { method: string; url: string }[] = [];

beforeAll(async () => {
  w = await openTestWorld({ entities: 10 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 22, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  // A route that lets the database itself refuse a value: the error handler's last line of defence.
  app.get('/api/test/db-refuses', async (req) => {
    const q = (req.query as { v?: string }).v;
    if (q === 'int') await w.database.query('select $1::int as v', ['2147483648']);
    else if (q === 'date') await w.database.query('select $1::date as v', ['0000-01-01']);
    else await w.database.query('select 1');
    return { ok: true };
  });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: TEST_PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  admin = String(login.headers['set-cookie']).split(';')[0]!;
  const doc = (
    app as unknown as { swagger: () => { paths: Record<string, Record<string, unknown>> } }
  ).swagger();
  for (const [p, methods] of Object.entries(doc.paths)) {
    if (!p.includes('{')) continue;
    for (const m of Object.keys(methods)) idRoutes.push({ method: m.toUpperCase(), url: p });
  }
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const auditCount = async () =>
  Number((await w.database.query<{ n: string | number }>('select count(*) as n from audit_events'))[0]!.n);

describe('one input boundary for text', () => {
  it('anonymous login with a lone surrogate as user name: 400 naming body.username, nothing audited', async () => {
    const before = await auditCount();
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":"\\ud800","password":"whatever-password"}',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: 'INPUT_TEXT_INVALID',
      details: { field: 'body.username', problem: 'lone_surrogate' },
    });
    const nul = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'a\u0000b-long-enough' },
    });
    expect(nul.json()).toMatchObject({ code: 'INPUT_TEXT_INVALID', details: { field: 'body.password' } });
    expect(await auditCount()).toBe(before);
  });

  it('NUL in the anonymous public search: 400 naming query.q', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/public/results?q=a%00b' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: 'INPUT_TEXT_INVALID',
      details: { field: 'query.q', problem: 'nul' },
    });
    const key = await app.inject({ method: 'GET', url: '/api/public/results?%00=1' });
    expect(key.json()).toMatchObject({ code: 'INPUT_TEXT_INVALID', details: { field: 'query.\\u0000' } });
  });

  it('NUL in a route parameter, lone surrogates nested in a body (task scope), keys included', async () => {
    const p = await app.inject({ method: 'GET', url: '/api/public/draws/1%00', headers: { cookie: admin } });
    expect(p.json()).toMatchObject({ code: 'INPUT_TEXT_INVALID', details: { field: 'params.id' } });
    const body = {
      name: 'x',
      itemIds: [w.itemIds.scjg[0]],
      windowStart: '2026-03-10',
      windowEnd: '2026-04-30',
      scope: { streets: ['张家村街道', 'x\udc00'] },
      sampling: { ratio: 0.1 },
    };
    const t = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { cookie: admin },
      payload: body,
    });
    expect(t.statusCode).toBe(400);
    expect(t.json()).toMatchObject({
      code: 'INPUT_TEXT_INVALID',
      details: { field: 'body.scope.streets[1]' },
    });
    const k = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { cookie: admin },
      payload: { ...body, scope: {}, sampling: { classes: { ['A\ud800']: 0.5 } } },
    });
    expect(k.json()).toMatchObject({
      code: 'INPUT_TEXT_INVALID',
      details: { field: 'body.sampling.classes.A\\ud800' },
    });
  });

  it('stored headers: a NUL in the user agent is refused', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'x\u0000y' },
      payload: { username: 'admin', password: TEST_PASSWORD },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_TEXT_INVALID', details: { field: 'header.user-agent' } });
  });

  it('URLs that do not decode and unsupported bodies get coded errors', async () => {
    for (const url of [
      '/api/public/draws/%ED%A0%80',
      '/api/public/draws/%zz',
      `/api/public/draws/${'9'.repeat(200)}`,
    ]) {
      const r = await app.inject({ method: 'GET', url });
      expect([url, r.statusCode, r.json().code]).toEqual([url, 400, 'VALIDATION_FAILED']);
    }
    const t = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: 'x',
    });
    expect([t.statusCode, t.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });
});

describe('uploads', () => {
  function multipart(fileName: string, data: Buffer) {
    const boundary = '----choucha-guard-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    return {
      payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: admin },
    };
  }
  const cell = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
  async function workbook(rows: string[][]): Promise<Buffer> {
    const body = rows
      .map(
        (r, i) =>
          `<row r="${i + 1}">${r.map((t, c) => cell(`${columnLetter(c)}${i + 1}`, t)).join('')}</row>`,
      )
      .join('');
    return xlsxFile({
      sheet: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`,
    });
  }

  it('a file name with NUL: 400 naming file.name', async () => {
    const m = multipart('a\u0000.csv', Buffer.from('企业名称\n甲公司\n'));
    const r = await app.inject({ method: 'POST', url: '/api/imports?kind=entities', ...m });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INPUT_TEXT_INVALID', details: { field: 'file.name' } });
  });

  it('cells with NUL or a lone surrogate: their rows rejected with the row and column, nothing stored', async () => {
    const file = await workbook([
      ['统一社会信用代码', '企业名称', '地址'],
      ['', '甲公司', 'x&#xD800;y'],
      ['', '乙&#0;公司', '碑林区'],
      ['', '丙公司', '碑林区'],
    ]);
    const r = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=entities',
      ...multipart('e.xlsx', file),
    });
    expect(r.statusCode).toBe(200);
    const stored = await app.inject({
      method: 'GET',
      url: `/api/imports/${r.json().id}`,
      headers: { cookie: admin },
    });
    const rows = stored.json().rows as {
      rowNumber: number;
      verdict: string;
      reasons: { code: string; message: string }[];
    }[];
    expect(rows.map((x) => [x.rowNumber, x.verdict, x.reasons[0]?.code])).toEqual([
      [2, 'rejected', 'CELL_TEXT_INVALID'],
      [3, 'rejected', 'CELL_TEXT_INVALID'],
      [4, 'warning', 'CODE_MISSING'],
    ]);
    expect(rows[0]!.reasons[0]!.message).toContain('第 2 行 C 列');
    expect(rows[1]!.reasons[0]!.message).toContain('第 3 行 B 列');
    expect(stored.body).not.toMatch(/\\u0000|\\ud800|\ufffd/i);
    const commit = await app.inject({
      method: 'POST',
      url: `/api/imports/${r.json().id}/commit`,
      headers: { cookie: admin },
    });
    expect(commit.statusCode).toBe(200);
    const names = await w.database.query<{ name: string }>(
      "select name from entities where name like '%公司' order by name",
    );
    expect(names.map((n) => n.name)).toEqual(['丙公司']);
  });

  it('a header cell with NUL refuses the file with INPUT_TEXT_INVALID', async () => {
    const file = await workbook([
      ['统一社会信用代码', '企业名称', '地&#0;址'],
      ['', '甲公司', '碑林区'],
    ]);
    const r = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=entities',
      ...multipart('h.xlsx', file),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: 'INPUT_TEXT_INVALID',
      details: { field: 'file.header', column: 'C' },
    });
  });
});

describe('bounded ids, dates, years, pages', () => {
  it('every :id route answers 400 (not 500) for 2^31 and 2^53+1, as the joint admin and anonymously', async () => {
    expect(idRoutes.length).toBeGreaterThanOrEqual(22);
    for (const r of idRoutes) {
      for (const id of ['2147483648', '9007199254740993', '1e400', '-1', '0']) {
        for (const cookie of [admin, undefined]) {
          const res = await app.inject({
            method: r.method as 'GET',
            url: r.url.replace(/\{\w+\}/g, id),
            headers: cookie
              ? { cookie, 'content-type': 'application/json' }
              : { 'content-type': 'application/json' },
            ...(r.method === 'POST' ? { payload: '{}' } : {}),
          });
          // anonymous non-public routes may stop at AUTH_REQUIRED first; never a 5xx
          const ok = res.statusCode === 400 || (!cookie && res.statusCode === 401);
          expect([r.method, r.url, id, ok ? 'coded' : res.statusCode]).toEqual([
            r.method,
            r.url,
            id,
            'coded',
          ]);
        }
      }
    }
  });

  it('the largest id is valid (404), ids in bodies and filters are bounded too', async () => {
    const max = await app.inject({ method: 'GET', url: '/api/public/draws/2147483647' });
    expect(max.statusCode).toBe(404);
    const over = await app.inject({ method: 'GET', url: '/api/public/draws/2147483648' });
    expect(over.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ field: 'params.id' }] },
    });
    const pub = await app.inject({
      method: 'POST',
      url: '/api/results/publish',
      headers: { cookie: admin },
      payload: { ids: [2147483648] },
    });
    expect(pub.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ field: 'body.ids.0' }] },
    });
    for (const url of [
      '/api/exclusions?entityId=2147483648',
      '/api/entities?departmentId=2147483648',
      '/api/inspectors?departmentId=-5',
      '/api/items?departmentId=9007199254740993',
      '/api/code-issues?entityId=2147483648',
      '/api/tasks?year=2147483648',
      '/api/dashboard?year=0',
      '/api/audit?page=9007199254740993',
      '/api/entities?page=1e400',
    ]) {
      const r = await app.inject({ method: 'GET', url, headers: { cookie: admin } });
      expect([url, r.statusCode, r.json().code]).toEqual([url, 400, 'VALIDATION_FAILED']);
    }
  });

  it('dates outside 1900-01-01 … 2999-12-31 or not on the calendar are refused', async () => {
    for (const on of ['0000-01-01', '1899-12-31', '3000-01-01', '2024-02-30']) {
      const r = await app.inject({
        method: 'GET',
        url: `/api/inspectors?on=${on}`,
        headers: { cookie: admin },
      });
      expect([on, r.statusCode, r.json().code]).toEqual([on, 400, 'VALIDATION_FAILED']);
      const x = await app.inject({
        method: 'POST',
        url: `/api/entities/${w.entityIds[0]}/exclusions`,
        headers: { cookie: admin },
        payload: { reason: '测试排除', fromDate: on },
      });
      expect([on, x.statusCode, x.json().details?.issues?.[0]?.field]).toEqual([on, 400, 'body.fromDate']);
    }
    const ok = await app.inject({
      method: 'GET',
      url: '/api/inspectors?on=2024-02-29',
      headers: { cookie: admin },
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe('the last line of defence', () => {
  it('a value the database refuses is a coded 400, never a 500 (real driver errors, both databases)', async () => {
    const i = await app.inject({ method: 'GET', url: '/api/test/db-refuses?v=int' });
    expect([i.statusCode, i.json().code, i.json().details]).toEqual([
      400,
      'INPUT_OUT_OF_RANGE',
      { source: 'database' },
    ]);
    const d = await app.inject({ method: 'GET', url: '/api/test/db-refuses?v=date' });
    expect([d.statusCode, d.json().code]).toEqual([400, 'INPUT_OUT_OF_RANGE']);
  });
  it('maps SQLSTATE class 22 found on the error or its causes', () => {
    expect(databaseInputError({ message: 'x', cause: { code: '22003' } })).toBe('INPUT_OUT_OF_RANGE');
    expect(databaseInputError({ code: '22P05' })).toBe('INPUT_TEXT_INVALID');
    expect(databaseInputError({ code: '22021' })).toBe('INPUT_TEXT_INVALID');
    expect(databaseInputError({ code: '22001' })).toBe('VALIDATION_FAILED');
    expect(databaseInputError({ code: '23505' })).toBeUndefined();
    expect(databaseInputError(new Error('boom'))).toBeUndefined();
  });
});
