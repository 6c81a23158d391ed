/** Through HTTP: bulk inspector accounts → first sign-in → password change → own record, targets, recusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import XLSX from 'xlsx';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../../app.ts';

let w: TestWorld;
let app: FastifyInstance;

async function signIn(username: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return {
    cookie: String(res.headers['set-cookie']).split(';')[0]!,
    user: (res.json() as { user: { mustChangePassword: boolean; role: string } }).user,
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
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('inspector accounts through the API', () => {
  it('creates them once with passwords and a workbook, and the inspector works with his own record', async () => {
    const jyj = await signIn('jyj', TEST_PASSWORD);
    const res = await app.inject({
      method: 'POST',
      url: '/api/users/bulk-inspectors',
      headers: { cookie: jyj.cookie },
      payload: { departmentId: w.dept.jyj },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as {
      created: { username: string; password: string; inspectorId: number }[];
      workbookBase64: string;
      fileName: string;
    };
    expect(body.created.map((c) => c.username)).toEqual(['jyj.jy0', 'jyj.jy1', 'jyj.jy2', 'jyj.jy3']);
    expect(body.fileName).toMatch(/^执法人员账号-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = XLSX.read(Buffer.from(body.workbookBase64, 'base64'));
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1 });
    expect(rows.slice(1).map((r) => [r[3], r[4]])).toEqual(body.created.map((c) => [c.username, c.password]));
    // the list never shows a password
    const list = await app.inject({ method: 'GET', url: '/api/users', headers: { cookie: jyj.cookie } });
    for (const c of body.created) expect(list.body).not.toContain(c.password);

    const acct = body.created[0]!;
    const first = await signIn(acct.username, acct.password);
    expect(first.user).toMatchObject({ role: 'inspector', mustChangePassword: true });
    const blocked = await app.inject({
      method: 'GET',
      url: '/api/me/targets',
      headers: { cookie: first.cookie },
    });
    expect(blocked.json()).toMatchObject({ code: 'AUTH_PASSWORD_CHANGE_REQUIRED' });
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: first.cookie },
      payload: { currentPassword: acct.password, newPassword: 'jy0-own-password' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const me = await signIn(acct.username, 'jy0-own-password');
    const rec = await app.inject({ method: 'GET', url: '/api/me/inspector', headers: { cookie: me.cookie } });
    expect(rec.json()).toEqual({
      inspector: { id: acct.inspectorId, name: '教育执法1', departmentId: w.dept.jyj, certNo: 'JY0' },
    });
    const targets = await app.inject({
      method: 'GET',
      url: '/api/me/targets',
      headers: { cookie: me.cookie },
    });
    expect(targets.json()).toEqual({ items: [] });
    const declared = await app.inject({
      method: 'POST',
      url: '/api/me/recusals',
      headers: { cookie: me.cookie },
      payload: { entityId: w.entityIds[3], relation: '近亲属' },
    });
    expect(declared.statusCode, declared.body).toBe(200);
    expect(declared.json()).toMatchObject({ status: 'declared', inspectorId: acct.inspectorId });
    // his department's admin sees it waiting; the other department's does not
    const pending = await app.inject({
      method: 'GET',
      url: '/api/recusals?status=declared',
      headers: { cookie: jyj.cookie },
    });
    expect((pending.json() as { items: { id: number }[] }).items.map((i) => i.id)).toEqual([
      (declared.json() as { id: number }).id,
    ]);
    const scjg = await signIn('scjg', TEST_PASSWORD);
    const hidden = await app.inject({
      method: 'POST',
      url: `/api/recusals/${(declared.json() as { id: number }).id}/decision`,
      headers: { cookie: scjg.cookie },
      payload: { decision: 'confirm' },
    });
    expect(hidden.statusCode).toBe(404);
  });
});
