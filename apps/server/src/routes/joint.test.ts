/**
 * A joint task through the HTTP API, as the web app drives it: the lead department creates it and
 * names a cooperating department, which accepts; the draw is committed and revealed; each
 * department enters its results; the joint office publishes; the dashboard and the public portal
 * show the exact outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { verifyBundleText, type PublicBundleV2 } from '@choucha/core';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../app.ts';

let w: TestWorld;
let app: FastifyInstance;
const cookies: Record<string, string> = {};
const DICE = '17320508075688772935'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  for (const u of ['admin', 'scjg', 'jyj', 'leader']) {
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

async function call(who: string | null, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await app.inject({
    method,
    url,
    headers: who ? { cookie: cookies[who]! } : {},
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { code?: string } };
}

interface TargetBody {
  id: number;
  team: { inspectorId: number; departmentId: number }[];
}

describe('a joint task through the API', () => {
  let taskId: number;
  let drawId: number;
  let targets: TargetBody[];

  it('is created by the lead, accepted by the partner, then committed and revealed', async () => {
    const created = await call('jyj', 'POST', '/api/tasks', {
      name: '校外培训机构食品安全联合检查',
      itemIds: [w.itemIds.jyj[0], w.itemIds.scjg[0]],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-04-01',
      windowEnd: '2026-04-30',
      sampling: { ratio: 0.1 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    taskId = created.body.id as number;
    expect(created.body).toMatchObject({ isJoint: true, jointDepartmentIds: [], status: 'draft' });
    expect(created.body.partners).toMatchObject([{ departmentId: w.dept.scjg, state: 'invited' }]);
    const early = await call('jyj', 'POST', `/api/tasks/${taskId}/draws`, { seedSource: { dice: true } });
    expect(early).toMatchObject({ status: 409, body: { code: 'JOINT_PARTNER_PENDING' } });
    // only the partner answers for itself
    expect(await call('jyj', 'POST', `/api/tasks/${taskId}/partners/${w.dept.scjg}/accept`)).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN_DEPARTMENT' },
    });
    const accepted = await call('scjg', 'POST', `/api/tasks/${taskId}/partners/${w.dept.scjg}/accept`, {
      note: '同意配合',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.partner).toMatchObject({ state: 'accepted', note: '同意配合' });
    const preview = await call('jyj', 'GET', `/api/tasks/${taskId}/draw-preview`);
    expect(preview.body).toMatchObject({ rosterSize: 60, excluded: 0, targets: 6 });
    const committed = await call('jyj', 'POST', `/api/tasks/${taskId}/draws`, { seedSource: { dice: true } });
    expect(committed.status, JSON.stringify(committed.body)).toBe(200);
    drawId = committed.body.id as number;
    const revealed = await call('jyj', 'POST', `/api/draws/${drawId}/reveal`, { dice: DICE });
    expect(revealed.status, JSON.stringify(revealed.body)).toBe(200);
    expect(revealed.body.status).toBe('matched');
    targets = revealed.body.targets as TargetBody[];
    expect(targets).toHaveLength(6);
    for (const t of targets) {
      expect(t.team.map((m) => m.departmentId).sort()).toEqual(
        [w.dept.scjg, w.dept.scjg, w.dept.jyj, w.dept.jyj].sort(),
      );
    }
  });

  it('takes each department’s results, and the joint office publishes them', async () => {
    const ids: number[] = [];
    for (const who of ['scjg', 'jyj']) {
      for (const [i, t] of targets.entries()) {
        const finding = who === 'jyj' && i === 0;
        const r = await call(who, 'POST', `/api/targets/${t.id}/result`, {
          codes: finding ? ['发现问题经责令已改正'] : ['未发现问题'],
          followUps: finding ? ['责令改正'] : [],
          inspectedOn: '2026-04-06',
        });
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body).toMatchObject({ status: 'submitted', departmentId: w.dept[who as 'scjg' | 'jyj'] });
        ids.push(r.body.id as number);
      }
    }
    expect(
      await call('leader', 'POST', `/api/targets/${targets[0]!.id}/result`, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-04-06',
      }),
    ).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const review = await call('admin', 'GET', '/api/review');
    expect(
      (review.body.items as { resultId: number }[]).map((r) => r.resultId).sort((a, b) => a - b),
    ).toEqual([...ids].sort((a, b) => a - b));
    const pub = await call('admin', 'POST', '/api/results/publish', { ids });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect((pub.body.items as unknown[]).length).toBe(12);
    expect((await call('jyj', 'GET', `/api/tasks/${taskId}`)).body.status).toBe('published');
  });

  it('shows in the dashboard and on the public portal exactly', async () => {
    const dash = await call('leader', 'GET', '/api/dashboard?year=2026');
    expect(dash.status).toBe(200);
    expect(dash.body).toMatchObject({
      tasks: 1,
      jointTasks: 1,
      targets: 6,
      jointTargets: 6,
      published: 12,
      pendingReview: 0,
      problemsFound: 1,
      inspectedEntities: 6,
      jointEntities: 6,
      jointVisits: 6,
      jointShare: 1,
    });
    // without ?year=: the latest year that has tasks
    const latest = await call('leader', 'GET', '/api/dashboard');
    expect(latest.body).toMatchObject({
      year: 2026,
      years: [2026],
      tasks: 1,
      awaitingPublication: 0,
      timeliness: { published: 12, onTime: 12, late: 0, rate: 1 },
      overdue: { results: 0, tasks: 0 },
      deadlines: [],
    });
    // one row per target (6), each with both departments' results, the lead (教育局) first
    const results = await call(null, 'GET', '/api/public/results?page=1&pageSize=50');
    expect(results.body.total).toBe(6);
    const rows = results.body.items as {
      departmentName: string;
      byDepartment: { departmentName: string; codes: string[] }[];
    }[];
    expect(rows.map((r) => r.departmentName)).toEqual(Array(6).fill('区教育局、区市场监管局'));
    expect(rows.map((r) => r.byDepartment.map((d) => d.departmentName))).toEqual(
      Array(6).fill(['区教育局', '区市场监管局']),
    );
    expect(rows.flatMap((r) => r.byDepartment).filter((d) => d.codes[0] !== '未发现问题')).toHaveLength(1);
    expect(JSON.stringify(results.body)).not.toMatch(/riskClass|risk_class|enteredBy|reviewNote|inspector/);
    const res = await app.inject({ method: 'GET', url: `/api/public/draws/${drawId}/bundle` });
    expect(res.statusCode).toBe(200);
    const bundle = res.json() as PublicBundleV2;
    expect(bundle).toMatchObject({ format: 'choucha-draw-bundle-v2', view: 'public', stage: 'matched' });
    expect(bundle.teams!.map((t) => t.teams.map((x) => x.department).sort())).toEqual(
      Array(6).fill([String(w.dept.scjg), String(w.dept.jyj)].sort()),
    );
    expect(verifyBundleText(res.body)).toMatchObject({ verdict: 'verified', stage: 'matched', teams: 6 });
    expect(res.body).not.toMatch(/riskClass|"risk_class"/);
  });
});
