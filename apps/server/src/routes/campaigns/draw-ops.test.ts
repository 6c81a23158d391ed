/**
 * The task form and draw operations through the HTTP API (as the web app drives them): the form's
 * unsaved preview with maxMode, draft edit and delete, commit with a per-inspector cap, escalation,
 * and the public task state. Coded errors, never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { verifyBundleText } from '@choucha/core';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../../app.ts';

let w: TestWorld;
let app: FastifyInstance;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  w = await openTestWorld({ entities: 40 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  for (const u of ['scjg', 'jyj']) {
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

type Body = Record<string, unknown> & { code?: string };
async function call(who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  const res = await app.inject({
    method,
    url,
    headers: { cookie: cookies[who]! },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() as Body };
}

const form = (over: Record<string, unknown> = {}) => ({
  name: '接口测试',
  itemIds: [w.itemIds.scjg[1]!],
  jointDepartmentIds: [],
  windowStart: '2026-04-01',
  windowEnd: '2026-04-30',
  sampling: { classes: { A: 1, B: 1, C: 1, D: 1 }, max: 10, maxMode: 'total' },
  ...over,
});

describe('task form and draw operations through the API', () => {
  it('previews 10 in total before saving; per class gives 29', async () => {
    const r = await call('scjg', 'POST', '/api/tasks/sampling-preview', form());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // 40 entities: A 7, B 21, C 6, D 6 → 1 each + 6 shared by 6:20:5:5 → A 2, B 4, C 2, D 2
    expect(r.body).toMatchObject({ rosterSize: 40, targets: 10, maxMode: 'total' });
    expect((r.body.strata as { size: number }[]).map((s) => s.size)).toEqual([2, 4, 2, 2]);
    const per = await call(
      'scjg',
      'POST',
      '/api/tasks/sampling-preview',
      form({ sampling: { classes: { A: 1, B: 1, C: 1, D: 1 }, max: 10, maxMode: 'perClass' } }),
    );
    expect(per.body.targets).toBe(29); // at most 10 per class: 7 + 10 + 6 + 6
  });

  it('edits and deletes a draft; refuses both after the commitment; escalates with a reason', async () => {
    const created = await call('scjg', 'POST', '/api/tasks', form({ name: '草稿' }));
    expect(created.status).toBe(200);
    const id = created.body.id as number;
    const bad = await call(
      'scjg',
      'PUT',
      `/api/tasks/${id}`,
      form({ sampling: { ratio: 0.1, maxMode: 'none' } }),
    );
    expect(bad.status).toBe(400);
    const put = await call(
      'scjg',
      'PUT',
      `/api/tasks/${id}`,
      form({ name: '草稿（改）', sampling: { ratio: 0.1, maxLoad: 4 } }),
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ name: '草稿（改）', sampling: { ratio: 0.1, maxLoad: 4 } });
    expect((await call('jyj', 'DELETE', `/api/tasks/${id}`)).status).toBe(403);
    const committed = await call('scjg', 'POST', `/api/tasks/${id}/draws`, { seedSource: { dice: true } });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    const drawId = committed.body.id as number;
    const del = await call('scjg', 'DELETE', `/api/tasks/${id}`);
    expect(del).toMatchObject({ status: 409, body: { code: 'TASK_NOT_DRAFT' } });
    const early = await call('scjg', 'POST', `/api/draws/${drawId}/escalate`, { reason: '追加', count: 1 });
    expect(early).toMatchObject({ status: 409, body: { code: 'DRAW_ESCALATION_STATE' } });
    const rev = await call('scjg', 'POST', `/api/draws/${drawId}/reveal`, {
      dice: '14142135623730950488',
    });
    expect(rev.status, JSON.stringify(rev.body)).toBe(200);
    expect((rev.body.targets as unknown[]).length).toBe(4);
    const noReason = await call('scjg', 'POST', `/api/draws/${drawId}/escalate`, { reason: '', count: 1 });
    expect(noReason).toMatchObject({ status: 400, body: { code: 'DRAW_ESCALATION_REASON_REQUIRED' } });
    const esc = await call('scjg', 'POST', `/api/draws/${drawId}/escalate`, { reason: '问题集中', count: 2 });
    expect(esc.status, JSON.stringify(esc.body)).toBe(200);
    expect((esc.body.targets as unknown[]).length).toBe(6);
    expect(esc.body.escalationRounds).toMatchObject([{ reason: '问题集中', added: 2 }]);
    const bundle = await app.inject({ method: 'GET', url: `/api/public/draws/${drawId}/bundle` });
    expect(bundle.statusCode).toBe(200);
    const b = bundle.json() as { teams: unknown[]; escalations: number[]; stage: string };
    expect(b.teams).toHaveLength(6);
    expect(b).toMatchObject({ stage: 'matched', escalations: [2] });
    expect(verifyBundleText(bundle.body)).toMatchObject({ verdict: 'verified', targets: 6 });
    const pub = await app.inject({ method: 'GET', url: `/api/public/draws/${drawId}` });
    expect(pub.json()).toMatchObject({
      stage: 'matched',
      attempt: 1,
      predecessor: null,
      supersededBy: null,
      taskState: { state: 'matched', targets: 6, escalations: 1 },
    });
    // no stratum on the public draw page, not even the opaque label; phases of the selection
    const targets = (pub.json() as { targets: Record<string, unknown>[] }).targets;
    expect(targets.map((t) => Object.keys(t).sort())).toEqual(
      Array(6).fill(['entityName', 'key', 'phase', 'ticket']),
    );
    expect(targets.map((t) => t.phase)).toEqual([0, 0, 0, 0, 1, 1]);
  });
});
