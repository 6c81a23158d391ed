/**
 * Every role against every endpoint. The table below is the specification; the test fails if a
 * route exists that the table does not mention, so a new endpoint cannot slip in unchecked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { commitDraw, createTask, enterResult, revealDraw } from '@choucha/services';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from './app.ts';

type Who = 'anon' | 'admin' | 'scjg' | 'jyj' | 'inspector' | 'leader';
const WHO: Who[] = ['anon', 'admin', 'scjg', 'jyj', 'inspector', 'leader'];
/** Expected outcome: 'ok' (2xx), or the status. */
type Expect = 'ok' | 401 | 403 | 404;

let w: TestWorld;
let app: FastifyInstance;
const cookies: Partial<Record<Who, string>> = {};
const routes = new Set<string>();
let ids: { task: number; draw: number; target: number; result: number; user: number; edition: number };

beforeAll(async () => {
  w = await openTestWorld({ entities: 40 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  // Every route is in the OpenAPI document (each has a schema); list them from there.
  const doc = (
    app as unknown as { swagger: () => { paths: Record<string, Record<string, unknown>> } }
  ).swagger();
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const m of Object.keys(methods)) routes.add(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  for (const who of WHO) {
    if (who === 'anon') continue;
    const username = who === 'inspector' ? 'inspector1' : who;
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    cookies[who] = String(res.headers['set-cookie']).split(';')[0] ?? '';
  }
  const task = await createTask(w.svc, w.actors.scjg, {
    name: 'matrix',
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { ratio: 0.1 },
  });
  const draw = await commitDraw(w.svc, w.actors.scjg, task, { seedSource: { dice: true } });
  const drawn = await revealDraw(w.svc, w.actors.scjg, draw.id, { dice: '11111222223333344444' });
  const target = drawn.targets[0]!;
  const result = await enterResult(w.svc, w.actors.scjg, target.id, {
    codes: ['未发现问题'],
    followUps: [],
    inspectedOn: '2026-03-20',
  });
  const [edition] = await w.database.query<{ id: number }>(
    'select id from item_editions order by id limit 1',
  );
  ids = {
    task,
    draw: draw.id,
    target: target.id,
    result: result.id,
    user: w.actors.jyj.id,
    edition: edition!.id,
  };
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const all = (e: Expect): Record<Who, Expect> => ({
  anon: e,
  admin: e,
  scjg: e,
  jyj: e,
  inspector: e,
  leader: e,
});
const staff = { ...all('ok'), anon: 401 } as Record<Who, Expect>;
const jointOnly = { ...all(403), anon: 401, admin: 'ok' } as Record<Who, Expect>;
const auditRead = { ...all(403), anon: 401, admin: 'ok', leader: 'ok' } as Record<Who, Expect>;
const importers = { ...all(403), anon: 401, admin: 'ok', scjg: 'ok', jyj: 'ok' } as Record<Who, Expect>;
// The task belongs to SCJG: another department gets 404 on reads (not even revealed), 403 on writes.
const scjgTaskRead = { ...staff, jyj: 404 } as Record<Who, Expect>;

interface Row {
  method: 'GET' | 'POST';
  route: string;
  url: () => string;
  body?: () => unknown;
  expect: Record<Who, Expect>;
  /** Non-idempotent endpoints are checked for the denied roles only. */
  deniedOnly?: boolean;
}

const MATRIX: Row[] = [
  { method: 'GET', route: '/api/health', url: () => '/api/health', expect: all('ok') },
  { method: 'GET', route: '/api/auth/me', url: () => '/api/auth/me', expect: staff },
  { method: 'GET', route: '/api/users', url: () => '/api/users', expect: jointOnly },
  {
    method: 'POST',
    route: '/api/users',
    url: () => '/api/users',
    body: () => ({
      username: `u${Math.random().toString(36).slice(2, 8)}`,
      displayName: 'x',
      role: 'leader',
      departmentId: null,
      password: 'long-enough-pw',
    }),
    expect: jointOnly,
  },
  {
    method: 'POST',
    route: '/api/users/:id/reset-password',
    url: () => `/api/users/${ids.user}/reset-password`,
    body: () => ({ password: 'another-long-pw' }),
    expect: jointOnly,
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/departments', url: () => '/api/departments', expect: staff },
  { method: 'GET', route: '/api/entities', url: () => '/api/entities?q=碑林', expect: staff },
  { method: 'GET', route: '/api/entities/:id', url: () => `/api/entities/${w.entityIds[0]}`, expect: staff },
  { method: 'GET', route: '/api/inspectors', url: () => '/api/inspectors', expect: staff },
  { method: 'GET', route: '/api/items', url: () => '/api/items', expect: staff },
  {
    method: 'GET',
    route: '/api/inspectors/:id',
    url: () => `/api/inspectors/${w.inspectorIds.scjg[0]}`,
    // an inspector's record (absences, recusals) is for their own department and the joint office
    expect: scjgTaskRead,
  },
  {
    method: 'GET',
    route: '/api/items/editions/:id',
    url: () => `/api/items/editions/${ids.edition}`,
    expect: staff,
  },
  { method: 'GET', route: '/api/public/items', url: () => '/api/public/items', expect: all('ok') },
  { method: 'GET', route: '/api/imports', url: () => '/api/imports', expect: importers },
  {
    method: 'GET',
    route: '/api/imports/:id/report.xlsx',
    url: () => '/api/imports/999999/report.xlsx',
    expect: importers,
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/code-issues', url: () => '/api/code-issues', expect: importers },
  {
    method: 'GET',
    route: '/api/code-issues/export.xlsx',
    url: () => '/api/code-issues/export.xlsx',
    expect: importers,
  },
  {
    method: 'POST',
    route: '/api/code-issues/detect',
    url: () => '/api/code-issues/detect',
    expect: importers,
    deniedOnly: true,
  },
  ...(['correct', 'merge', 'pilot', 'dismiss'] as const).map((a): Row => ({
    method: 'POST',
    route: `/api/code-issues/:id/${a}`,
    url: () => `/api/code-issues/999999/${a}`,
    body: () => ({ note: 'matrix', code: '91610103MA6U0A1B2X', keepId: 1 }),
    expect: importers,
    deniedOnly: true,
  })),
  { method: 'GET', route: '/api/tasks', url: () => '/api/tasks', expect: staff },
  { method: 'GET', route: '/api/tasks/:id', url: () => `/api/tasks/${ids.task}`, expect: scjgTaskRead },
  { method: 'GET', route: '/api/draws/:id', url: () => `/api/draws/${ids.draw}`, expect: scjgTaskRead },
  {
    method: 'GET',
    route: '/api/draws/:id/exclusions',
    url: () => `/api/draws/${ids.draw}/exclusions`,
    expect: scjgTaskRead,
  },
  {
    method: 'GET',
    route: '/api/tasks/:id/draw-preview',
    url: () => `/api/tasks/${ids.task}/draw-preview`,
    expect: { ...importers, jyj: 404 },
  },
  { method: 'GET', route: '/api/exclusions', url: () => '/api/exclusions', expect: staff },
  {
    method: 'POST',
    route: '/api/entities/:id/exclusions',
    url: () => `/api/entities/${w.entityIds[1]}/exclusions`,
    body: () => ({ reason: '立案调查中', fromDate: '2026-03-01' }),
    expect: importers,
  },
  {
    method: 'GET',
    route: '/api/draws/:id/bundle',
    url: () => `/api/draws/${ids.draw}/bundle`,
    expect: scjgTaskRead,
  },
  {
    method: 'POST',
    route: '/api/tasks',
    url: () => '/api/tasks',
    body: () => ({
      name: 't',
      itemIds: [w.itemIds.scjg[1]],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.1 },
    }),
    // jyj may create tasks, but not with SCJG's items (清单之外无检查): 400 is checked separately.
    expect: { ...importers, jyj: 'ok' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/tasks/:id/draws',
    url: () => `/api/tasks/${ids.task}/draws`,
    body: () => ({ seedSource: { dice: true }, redrawReason: 'matrix test redraw' }),
    expect: { ...importers, jyj: 403 },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/draws/:id/reveal',
    url: () => `/api/draws/${ids.draw}/reveal`,
    body: () => ({ dice: '99999888887777766666' }),
    expect: { ...importers, jyj: 403 },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/targets/:id/result',
    url: () => `/api/targets/${ids.target}/result`,
    body: () => ({ codes: ['未发现问题'], inspectedOn: '2026-03-21' }),
    expect: { ...all(403), anon: 401, admin: 'ok', scjg: 'ok', inspector: 'ok' },
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/review', url: () => '/api/review', expect: jointOnly },
  {
    method: 'POST',
    route: '/api/results/publish',
    url: () => '/api/results/publish',
    body: () => ({ ids: [ids.result] }),
    expect: jointOnly,
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/results/:id/publish',
    url: () => `/api/results/${ids.result}/publish`,
    body: () => ({}),
    expect: jointOnly,
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/results/:id/reject',
    url: () => `/api/results/${ids.result}/reject`,
    body: () => ({ note: 'no' }),
    expect: jointOnly,
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/dashboard', url: () => '/api/dashboard?year=2026', expect: staff },
  { method: 'GET', route: '/api/audit', url: () => '/api/audit', expect: auditRead },
  { method: 'GET', route: '/api/audit/verify', url: () => '/api/audit/verify', expect: auditRead },
  { method: 'GET', route: '/api/meta/result-codes', url: () => '/api/meta/result-codes', expect: all('ok') },
  { method: 'GET', route: '/api/public/results', url: () => '/api/public/results', expect: all('ok') },
  { method: 'GET', route: '/api/public/draws', url: () => '/api/public/draws', expect: all('ok') },
  {
    method: 'GET',
    route: '/api/public/audit/checkpoints',
    url: () => '/api/public/audit/checkpoints',
    expect: all('ok'),
  },
  {
    method: 'GET',
    route: '/api/public/draws/:id',
    url: () => `/api/public/draws/${ids.draw}`,
    expect: all('ok'),
  },
  {
    method: 'GET',
    route: '/api/public/draws/:id/bundle',
    url: () => `/api/public/draws/${ids.draw}/bundle`,
    expect: all('ok'),
  },
];
// Endpoints whose access is not role-based (login, logout, own password) are tested elsewhere.
const NOT_IN_MATRIX = new Set([
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/auth/password',
  'POST /api/imports',
  'POST /api/imports/:id/commit',
  'GET /api/imports/:id',
]);

describe('access matrix', () => {
  it('covers every API route', () => {
    expect(routes.size).toBeGreaterThan(40);
    const covered = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
    const missing = [...routes].filter((r) => !covered.has(r) && !NOT_IN_MATRIX.has(r) && !r.includes('*'));
    expect(missing).toEqual([]);
  });

  for (const row of MATRIX) {
    for (const who of WHO) {
      const want = row.expect[who];
      if (row.deniedOnly && want === 'ok') continue;
      it(`${who} ${row.method} ${row.route} → ${want}`, async () => {
        const headers: Record<string, string> = cookies[who] ? { cookie: cookies[who] } : {};
        const res = await app.inject({
          method: row.method,
          url: row.url(),
          headers,
          ...(row.body ? { payload: row.body() as object } : {}),
        });
        if (want === 'ok') expect(res.statusCode, res.body).toBeLessThan(300);
        else {
          expect(res.statusCode, res.body).toBe(want);
          expect(res.json()).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
        }
        if (row.route.startsWith('/api/public/')) expect(res.body).not.toMatch(/riskClass|"risk_class"/);
      });
    }
  }
});

describe('errors', () => {
  it('answers a malformed body with VALIDATION_FAILED naming the field, never 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { cookie: cookies.scjg! },
      payload: { name: '' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().message).toMatch(/name|itemIds/);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(bad.statusCode).toBe(400);
    const nf = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ code: 'NOT_FOUND' });
    const id = await app.inject({ method: 'GET', url: '/api/tasks/abc', headers: { cookie: cookies.scjg! } });
    expect(id.statusCode).toBe(400);
  });

  it('refuses an item outside the department list with ITEM_NOT_IN_LIST', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { cookie: cookies.jyj! },
      payload: {
        name: 't',
        itemIds: [w.itemIds.scjg[0]],
        windowStart: '2026-05-01',
        windowEnd: '2026-05-31',
        sampling: { ratio: 0.1 },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ITEM_NOT_IN_LIST' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain('/api/tasks');
  });
});

describe('sessions', () => {
  it('sets an HttpOnly SameSite cookie, throttles repeated failures, and logs out', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leader', password: TEST_PASSWORD },
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'victim', password: 'wrong' },
        remoteAddress: '10.9.9.9',
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'victim', password: 'wrong' },
      remoteAddress: '10.9.9.9',
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'AUTH_THROTTLED' });
    const c = cookie.split(';')[0]!;
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c } })).statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: c } })).statusCode,
    ).toBe(401);
  });

  it('forces a password change after an admin reset, and refuses weak passwords', async () => {
    const reset = await app.inject({
      method: 'POST',
      url: `/api/users/${w.actors.leader.id}/reset-password`,
      headers: { cookie: cookies.admin! },
      payload: { password: 'temporary-pw-1' },
    });
    expect(reset.statusCode).toBe(204);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leader', password: 'temporary-pw-1' },
    });
    expect(login.json().user.mustChangePassword).toBe(true);
    const c = String(login.headers['set-cookie']).split(';')[0]!;
    const blocked = await app.inject({ method: 'GET', url: '/api/dashboard', headers: { cookie: c } });
    expect(blocked.json()).toMatchObject({ code: 'AUTH_PASSWORD_CHANGE_REQUIRED' });
    const weak = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: c },
      payload: { currentPassword: 'temporary-pw-1', newPassword: 'short' },
    });
    expect(weak.json()).toMatchObject({ code: 'AUTH_PASSWORD_WEAK' });
    const good = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: c },
      payload: { currentPassword: 'temporary-pw-1', newPassword: 'a-new-long-password' },
    });
    expect(good.statusCode).toBe(204);
  });
});
