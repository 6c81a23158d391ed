/**
 * 相同对象、相近时间 through the HTTP API, as the web app drives it: a partner accepts with its items;
 * two departments' overlapping drafts are proposed, the joint office accepts the merge, and the
 * merged task is one joint task; N is read and changed; the burden figures answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTask } from '@choucha/services';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../../app.ts';

let w: TestWorld;
let app: FastifyInstance;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  w = await openTestWorld({ entities: 20 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  for (const u of ['admin', 'scjg', 'jyj']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u, password: TEST_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    cookies[u] = String(res.headers['set-cookie']).split(';')[0]!;
  }
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

async function call(who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await app.inject({
    method,
    url,
    headers: { cookie: cookies[who]! },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { code?: string } };
}

describe('joint inspections through the API', () => {
  it('a partner accepts with its items', async () => {
    const id = await createTask(w.svc, w.actors.jyj, {
      name: '联合检查',
      itemIds: [w.itemIds.jyj[0]!],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-04-01',
      windowEnd: '2026-04-30',
      sampling: { ratio: 0.1 },
    });
    const r = await call('scjg', 'POST', `/api/tasks/${id}/partners/${w.dept.scjg}/accept`, {
      note: '同意',
      itemIds: [w.itemIds.scjg[0]],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const task = r.body.task as { items: { id: number }[]; jointDepartmentIds: number[] };
    expect(task.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(
      [w.itemIds.scjg[0]!, w.itemIds.jyj[0]!].sort((a, b) => a - b),
    );
    expect(task.jointDepartmentIds).toEqual([w.dept.scjg]);
    const more = await call('scjg', 'POST', `/api/tasks/${id}/partners/${w.dept.scjg}/items`, {
      itemIds: [w.itemIds.scjg[1]],
    });
    expect(more).toEqual({ status: 200, body: { added: [w.itemIds.scjg[1]] } });
  });

  it('proposes two overlapping drafts; the joint office accepts: one joint task', async () => {
    for (const [actor, item] of [
      [w.actors.scjg, w.itemIds.scjg[0]!],
      [w.actors.jyj, w.itemIds.jyj[0]!],
    ] as const)
      await createTask(w.svc, actor, {
        name: `六月抽查${item}`,
        itemIds: [item],
        jointDepartmentIds: [],
        windowStart: '2026-06-01',
        windowEnd: '2026-06-30',
        sampling: { ratio: 0.1 },
      });
    expect(await call('jyj', 'POST', '/api/joint/proposals/detect', { year: 2026 })).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await call('admin', 'POST', '/api/joint/proposals/detect', { year: 2026 })).body).toEqual({
      year: 2026,
      proposed: 1,
      added: 1,
      stale: 0,
      reopened: 0,
    });
    const list = await call('jyj', 'GET', '/api/joint/proposals?year=2026&status=open');
    const items = list.body.items as { id: number; kind: string; members: { departmentId: number }[] }[];
    expect(items.map((p) => [p.kind, p.members.map((m) => m.departmentId)])).toEqual([
      ['batch', [w.dept.scjg, w.dept.jyj]],
    ]);
    const bad = await call('admin', 'POST', `/api/joint/proposals/${items[0]!.id}/accept`, {
      leadDepartmentId: w.dept.wlj,
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'JOINT_LEAD_INVALID' } });
    const ok = await call('admin', 'POST', `/api/joint/proposals/${items[0]!.id}/accept`, {
      leadDepartmentId: w.dept.scjg,
      name: '六月联合抽查',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'accepted', leadDepartmentId: w.dept.scjg });
    const task = await call('admin', 'GET', `/api/tasks/${ok.body.resultTaskId as number}`);
    expect(task.body).toMatchObject({ name: '六月联合抽查', departmentId: w.dept.scjg, isJoint: true });
    expect(await call('admin', 'POST', `/api/joint/proposals/${items[0]!.id}/decline`, {})).toMatchObject({
      status: 409,
      body: { code: 'JOINT_PROPOSAL_DECIDED' },
    });
  });

  it('N is read by staff and changed by the joint office; the burden answers', async () => {
    expect((await call('jyj', 'GET', '/api/joint/rules')).body).toEqual({
      nearDays: 30,
      defaults: { nearDays: 30 },
    });
    expect(await call('admin', 'PUT', '/api/joint/rules', { nearDays: 367 })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect((await call('admin', 'PUT', '/api/joint/rules', { nearDays: 14 })).body).toMatchObject({
      nearDays: 14,
    });
    expect((await call('scjg', 'GET', '/api/joint/burden?year=2026')).body).toMatchObject({
      year: 2026,
      entities: 0,
      visits: 0,
      saved: 0,
      perEntity: [],
    });
    expect((await call('scjg', 'GET', '/api/joint/visits?year=2026')).body).toEqual({ items: [] });
  });
});
