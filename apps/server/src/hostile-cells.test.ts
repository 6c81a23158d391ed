/**
 * Hostile cell text in the uploads added for a district's first day (issue 8): the department list
 * and the recusal list. A NUL or a lone surrogate in a cell is never stored and never a 5xx: the
 * row is refused with a code naming it, the rest of the file is judged as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import XLSX from 'xlsx';
import { buildApp } from './app.ts';

let w: TestWorld;
let app: FastifyInstance;
let cookie = '';

/** A workbook as common libraries write it (SheetJS keeps the cells' text as given). */
function workbook(rows: string[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Sheet1');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-hostile-cells';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  w = await openTestWorld({ entities: 4 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 4 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: TEST_PASSWORD },
  });
  cookie = String(res.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

// (a lone surrogate cannot be written into an xlsx by SheetJS: it writes U+FFFD, which is text)
const HOSTILE = ['坏\u0000局'];

describe('hostile cells in the new uploads', () => {
  for (const bad of HOSTILE) {
    it(`department list: ${JSON.stringify(bad)} refuses its row, not the server`, async () => {
      const file = workbook([
        ['部门名称', '简称', '部门代码'],
        [bad, '坏局', 'BAD1'],
        ['碑林区好邻居局', '好局', 'GOOD1'],
      ]);
      for (const commit of [false, true]) {
        const r = await app.inject({
          method: 'POST',
          url: `/api/admin/departments/import?commit=${commit}`,
          ...multipart('部门.xlsx', file),
        });
        expect(r.body).not.toContain('\\u0000');
        if (!commit) {
          expect(r.statusCode).toBe(200);
          // the name is refused for its text (and, blanked, is then missing); the next row is fine
          const rows = r.json().rows as { problems: { code: string; field: string }[] }[];
          expect(rows[0]!.problems.map((p) => `${p.code}:${p.field}`)).toEqual([
            'TEXT_INVALID:name',
            'NAME_REQUIRED:name',
          ]);
          expect(rows[1]!.problems).toEqual([]);
        } else expect(r.json().code).toBe('DEPARTMENT_IMPORT_INVALID');
      }
      const names = await w.database.query<{ name: string }>(
        "select name from departments where code in ('BAD1', 'GOOD1')",
      );
      // all-or-nothing: a refused row means nothing of the file is written
      expect(names).toEqual([]);
    });

    it(`recusal list: ${JSON.stringify(bad)} refuses its row, not the server`, async () => {
      const file = workbook([
        ['执法证号', '主体名称', '关系', '说明', '申报日期'],
        ['SC1', bad, '亲属', bad, '2026-03-01'],
      ]);
      const r = await app.inject({
        method: 'POST',
        url: '/api/recusals/imports',
        ...multipart('回避.xlsx', file),
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).not.toContain('\\u0000');
      const row = r.json().rows[0] as { verdict: string; reasons: { code: string; field?: string }[] };
      expect(row.verdict).toBe('rejected');
      expect(
        row.reasons
          .filter((x) => x.code === 'RECUSAL_CELL_TEXT_INVALID')
          .map((x) => x.field)
          .sort(),
      ).toEqual(['entityName', 'note']);
    });
  }
});
