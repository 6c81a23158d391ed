import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../app.ts';

const FIX = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../packages/importer/fixtures',
);

let w: TestWorld;
let app: FastifyInstance;
const cookies: Record<string, string> = {};

function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, data, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  w = await openTestWorld({ entities: 10 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 22, webDist: '/nonexistent', logLevel: 'silent' },
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

describe('directory routes', () => {
  it('upload → dry run → commit → report.xlsx; code issues; entity detail', async () => {
    const m = multipart('entities.xlsx', fs.readFileSync(path.join(FIX, 'entities.xlsx')));
    const up = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=entities',
      payload: m.payload,
      headers: { ...m.headers, ...as('admin') },
    });
    expect(up.statusCode).toBe(200);
    const dry = up.json();
    expect(dry.status).toBe('dry_run');
    expect(dry.rows.length).toBe(dry.counts.rows);
    const commit = await app.inject({
      method: 'POST',
      url: `/api/imports/${dry.id}/commit`,
      headers: as('admin'),
    });
    expect(commit.json().status).toBe('committed');
    const rep = await app.inject({
      method: 'GET',
      url: `/api/imports/${dry.id}/report.xlsx`,
      headers: as('admin'),
    });
    expect(rep.headers['content-type']).toContain('spreadsheetml');
    const list = await app.inject({ method: 'GET', url: '/api/imports', headers: as('admin') });
    expect(list.json().items[0].id).toBe(dry.id);
    const issues = await app.inject({
      method: 'GET',
      url: '/api/code-issues?status=open&kind=duplicate_code',
      headers: as('admin'),
    });
    const dup = issues.json().items[0];
    expect(dup.entities.length).toBe(2);
    const dismissed = await app.inject({
      method: 'POST',
      url: `/api/code-issues/${dup.id}/dismiss`,
      payload: { note: '经核实为不同主体' },
      headers: as('admin'),
    });
    expect(dismissed.json().status).toBe('dismissed');
    const x = await app.inject({ method: 'GET', url: '/api/code-issues/export.xlsx', headers: as('admin') });
    expect(x.statusCode).toBe(200);
    const e = await app.inject({
      method: 'GET',
      url: `/api/entities/${dup.entityIds[0]}`,
      headers: as('admin'),
    });
    expect(e.json()).toHaveProperty('codeHistory');
  });

  it('bad files give coded errors', async () => {
    const m = multipart('two-sheets.xlsx', fs.readFileSync(path.join(FIX, 'two-sheets.xlsx')));
    const r = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=entities',
      payload: m.payload,
      headers: { ...m.headers, ...as('admin') },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('IMPORT_SHEET_CHOICE');
    const e = multipart('encrypted.xlsx', fs.readFileSync(path.join(FIX, 'encrypted.xlsx')));
    const r2 = await app.inject({
      method: 'POST',
      url: '/api/imports?kind=inspectors',
      payload: e.payload,
      headers: { ...e.headers, ...as('admin') },
    });
    expect(r2.json().code).toBe('IMPORT_FILE_ENCRYPTED');
  });

  it('search with a two-character query; risk class hidden from inspectors; public items need no login', async () => {
    const a = await app.inject({
      method: 'GET',
      url: `/api/entities?q=${encodeURIComponent('餐饮')}`,
      headers: as('admin'),
    });
    expect(a.json().items.length).toBeGreaterThan(0);
    expect(a.json().items[0]).toHaveProperty('riskClass');
    const i = await app.inject({
      method: 'GET',
      url: `/api/entities?q=${encodeURIComponent('餐饮')}`,
      headers: as('inspector1'),
    });
    expect(i.json().items[0]).not.toHaveProperty('riskClass');
    const p = await app.inject({ method: 'GET', url: '/api/public/items' });
    expect(p.statusCode).toBe(200);
    expect(p.json().items.length).toBeGreaterThan(0);
    expect(JSON.stringify(p.json())).not.toMatch(/riskClass|"field"/);
    const items = await app.inject({ method: 'GET', url: '/api/items', headers: as('admin') });
    const ed = items.json().editions[0];
    const one = await app.inject({
      method: 'GET',
      url: `/api/items/editions/${ed.id}`,
      headers: as('admin'),
    });
    expect(one.json().edition.id).toBe(ed.id);
    const insp = await app.inject({ method: 'GET', url: '/api/inspectors', headers: as('admin') });
    const first = insp.json().items[0];
    const d = await app.inject({ method: 'GET', url: `/api/inspectors/${first.id}`, headers: as('admin') });
    expect(d.json()).toHaveProperty('statusPeriods');
    const forbidden = await app.inject({ method: 'GET', url: '/api/code-issues', headers: as('inspector1') });
    expect(forbidden.statusCode).toBe(403);
  });
});
