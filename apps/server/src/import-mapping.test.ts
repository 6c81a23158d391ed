/**
 * The import mapping endpoints (issue 8 §2): an upload with ?mapping=, POST /imports/:id/dry-run
 * with a department mapping, POST /imports/:id/commit with a department mapping; bad input is a
 * coded 400, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from './app.ts';

let w: TestWorld;
let app: FastifyInstance;
let admin = '';

beforeAll(async () => {
  w = await openTestWorld({ entities: 0 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 22, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: TEST_PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  admin = String(login.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-mapping-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: admin },
  };
}

interface Detail {
  id: number;
  status: string;
  counts: { accepted: number; rejected: number };
  columns: { unused: { header: string }[]; fields: { key: string; column: number | null }[] };
  departmentNames: { unresolved: { name: string; rows: number }[] } | null;
}

const FILE = Buffer.from(
  '负责机构,抽查类别,抽查事项\n省教育厅,学校,学校安全检查\n省教育厅,学校,校车安全检查\n',
);

describe('import mapping endpoints', () => {
  it('upload with ?mapping=, re-run with a department mapping, commit with it', async () => {
    const plain = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=items',
      ...multipart('m.csv', FILE),
    });
    expect(plain.statusCode).toBe(200);
    const p = plain.json() as Detail;
    expect(p.counts).toMatchObject({ accepted: 0, rejected: 2 });
    expect(p.columns.unused.map((u) => u.header)).toEqual(['负责机构']);
    const mapping = encodeURIComponent(JSON.stringify({ departmentName: 0 }));
    const up = await app.inject({
      method: 'POST',
      url: `/api/imports?kind=items&mapping=${mapping}`,
      ...multipart('m.csv', FILE),
    });
    expect(up.statusCode).toBe(200);
    const d = up.json() as Detail;
    expect(d.columns.fields.find((f) => f.key === 'departmentName')?.column).toBe(0);
    expect(d.departmentNames?.unresolved.map((u) => [u.name, u.rows])).toEqual([['省教育厅', 2]]);
    const rerun = await app.inject({
      method: 'POST',
      url: `/api/imports/${d.id}/dry-run`,
      headers: { cookie: admin },
      payload: { departmentMap: { 省教育厅: [w.dept.jyj] } },
    });
    expect(rerun.statusCode).toBe(200);
    const r = rerun.json() as Detail;
    expect(r.id).toBe(d.id);
    expect(r.counts).toMatchObject({ accepted: 2, rejected: 0 });
    // the commit re-applies the stored column mapping and department mapping
    const commit = await app.inject({
      method: 'POST',
      url: `/api/imports/${d.id}/commit`,
      headers: { cookie: admin },
    });
    expect(commit.statusCode).toBe(200);
    expect(commit.json()).toMatchObject({ status: 'committed', counts: { accepted: 2, rejected: 0 } });
  });

  it('bad mappings are coded 400s', async () => {
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=items&mapping=%7Bnope',
      ...multipart('m.csv', FILE),
    });
    expect([notJson.statusCode, (notJson.json() as { code: string }).code]).toEqual([
      400,
      'IMPORT_MAPPING_INVALID',
    ]);
    const far = await app.inject({
      method: 'POST',
      url: `/api/imports?kind=items&mapping=${encodeURIComponent('{"departmentName":99}')}`,
      ...multipart('m.csv', FILE),
    });
    expect([far.statusCode, (far.json() as { code: string }).code]).toEqual([400, 'IMPORT_MAPPING_INVALID']);
    const up = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=items',
      ...multipart('m.csv', FILE),
    });
    const id = (up.json() as Detail).id;
    const bogus = await app.inject({
      method: 'POST',
      url: `/api/imports/${id}/dry-run`,
      headers: { cookie: admin },
      payload: { departmentMap: { 省教育厅: 'bogus' } },
    });
    expect([bogus.statusCode, (bogus.json() as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/imports/${id}/commit`,
      headers: { cookie: admin },
      payload: { departmentMap: { 省教育厅: [987_654] } },
    });
    expect([unknown.statusCode, (unknown.json() as { code: string }).code]).toEqual([
      400,
      'IMPORT_DEPARTMENT_MAP_INVALID',
    ]);
    // a file without a required column: the error carries the headers and the kind's fields
    const noCategory = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=items',
      ...multipart('n.csv', Buffer.from('编制单位,抽查事项,备注\n区教育局,学校安全检查,无\n')),
    });
    expect(noCategory.statusCode).toBe(400);
    const e = noCategory.json() as {
      code: string;
      details: { headers: string[]; fields: { key: string }[] };
    };
    expect(e.code).toBe('IMPORT_MAPPING_INVALID');
    expect(e.details.headers).toEqual(['编制单位', '抽查事项', '备注']);
    expect(e.details.fields.map((f) => f.key)).toContain('category');
  });
});
