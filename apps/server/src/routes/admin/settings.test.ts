import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_DISTRICT_RULES } from '@choucha/core';
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
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  w = await openTestWorld({ entities: 4 });
  app = await buildApp({
    services: w.svc,
    // the server's hard ceiling: 4 MiB
    config: { cookieSecure: false, uploadLimitBytes: 4 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  for (const u of ['admin', 'scjg', 'inspector1']) {
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

describe('settings routes', () => {
  it('GET rules: defaults for staff, 401 for the public', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/settings/rules', headers: as('inspector1') });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      rules: DEFAULT_DISTRICT_RULES,
      defaults: DEFAULT_DISTRICT_RULES,
      version: 0,
      updatedAt: null,
      updatedBy: null,
    });
    expect((await app.inject({ method: 'GET', url: '/api/settings/rules' })).statusCode).toBe(401);
  });

  it('PUT rules: 403 for a department, 400 with coded issues for bad values, 400 for unknown fields', async () => {
    const put = (u: string, payload: unknown) =>
      app.inject({ method: 'PUT', url: '/api/settings/rules', headers: as(u), payload: payload as object });
    const f = await put('scjg', { rules: { teamSize: 3 } });
    expect(f.statusCode).toBe(403);
    expect(f.json().code).toBe('FORBIDDEN');
    const bad = await put('admin', { rules: { teamSize: 1, uploadLimitMb: 501 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('SETTINGS_INVALID');
    expect(bad.json().details.issues.map((i: { field: string; code: string }) => [i.field, i.code])).toEqual([
      ['teamSize', 'RULE_OUT_OF_RANGE'],
      ['uploadLimitMb', 'RULE_OUT_OF_RANGE'],
    ]);
    const unknown = await put('admin', { rules: { colour: 'red' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('VALIDATION_FAILED');
    const ok = await put('admin', {
      rules: { teamSize: 3, jointObjectsTarget: 150 },
      note: '会议决定',
      version: 0,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      rules: { ...DEFAULT_DISTRICT_RULES, teamSize: 3, jointObjectsTarget: 150 },
      version: 1,
      updatedBy: 'admin',
    });
    const stale = await put('admin', { rules: { teamSize: 4 }, version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('SETTINGS_STALE');
  });

  it('GET history and the dashboard goals follow the rules', async () => {
    const h = await app.inject({ method: 'GET', url: '/api/settings/rules/history', headers: as('scjg') });
    expect(h.statusCode).toBe(200);
    expect(h.json().items).toHaveLength(1);
    expect(h.json().items[0]).toMatchObject({
      changedBy: 'admin',
      note: '会议决定',
      changes: [
        { field: 'teamSize', before: 2, after: 3 },
        { field: 'jointObjectsTarget', before: 120, after: 150 },
      ],
    });
    const d = await app.inject({ method: 'GET', url: '/api/dashboard?year=2026', headers: as('scjg') });
    expect(d.json().goals).toEqual({ jointSharePercent: 8, jointObjects: 150 });
  });

  it('the upload limit of the rules applies to imports, under the server ceiling', async () => {
    const csv = Buffer.from(`统一社会信用代码,名称\n${'x'.repeat(1024 * 1024 + 10)}\n`);
    const upload = () => {
      const m = multipart('big.csv', csv);
      return app.inject({
        method: 'POST',
        url: '/api/imports?kind=entities',
        payload: m.payload,
        headers: { ...m.headers, ...as('admin') },
      });
    };
    // 50 MB by the rules, 4 MiB by the server: the 1 MiB file is read, and the importer judges it
    // (its one 1 MiB cell is not a table)
    const first = await upload();
    expect([first.statusCode, first.json().code]).toEqual([400, 'IMPORT_FILE_CORRUPT']);
    const set = await app.inject({
      method: 'PUT',
      url: '/api/settings/rules',
      headers: as('admin'),
      payload: { rules: { uploadLimitMb: 1 } },
    });
    expect(set.statusCode).toBe(200);
    const refused = await upload();
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', details: { limitBytes: 1 << 20 } });
    // every other upload route too (the department list import asks for no limit of its own)
    const m = multipart('departments.csv', csv);
    const dept = await app.inject({
      method: 'POST',
      url: '/api/admin/departments/import',
      payload: m.payload,
      headers: { ...m.headers, ...as('admin') },
    });
    expect([dept.statusCode, dept.json().code]).toEqual([413, 'IMPORT_FILE_TOO_LARGE']);
  });
});
