/**
 * A joint task (部门联合抽查) through the services, from invitation to the joint-inspection indicator:
 * the lead department (区教育局) draws over its own and the accepted partner's directory, every
 * target gets a team from each department, each department enters its own result, and the
 * dashboard counts the task, its targets and the joint share exactly. (Invitation mechanics in
 * detail: department-scope.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundleText, type PublicBundleV2 } from '@choucha/core';
import { openTestWorld, type TestWorld } from './testing.ts';
import { answerTaskInvitation, createTask, getTask } from './tasks.ts';
import { commitDraw, previewDraw, revealDraw } from './draws.ts';
import { bundleFileOf } from './campaigns/draw-test-support.ts';
import { enterResult, enterResults, publishResults } from './results.ts';
import { dashboard } from './dashboard.ts';
import { verifyAuditChainAll } from './audit.ts';

const DICE = '14142135623730950488'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)
let w: TestWorld;
let jointId: number;
let soloId: number;

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

describe('a joint task through the services', () => {
  it('is drawn over both directories once the partner accepts', async () => {
    jointId = await createTask(w.svc, w.actors.jyj, {
      name: '校外培训机构食品安全联合检查',
      itemIds: [w.itemIds.jyj[0]!, w.itemIds.scjg[0]!],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-04-01',
      windowEnd: '2026-04-30',
      sampling: { ratio: 0.1 },
    });
    // invited, not bound: the roster is the education bureau's own 15 entities
    expect(await previewDraw(w.svc, w.actors.jyj, jointId)).toMatchObject({ rosterSize: 15, targets: 2 });
    await expect(
      commitDraw(w.svc, w.actors.jyj, jointId, { seedSource: { dice: true } }),
    ).rejects.toMatchObject({
      code: 'JOINT_PARTNER_PENDING',
      details: { departmentIds: [w.dept.scjg] },
    });
    await answerTaskInvitation(w.svc, w.actors.scjg, jointId, w.dept.scjg, 'accepted');
    // bound: the market bureau's directory (all 60) joins
    expect(await previewDraw(w.svc, w.actors.jyj, jointId)).toMatchObject({
      rosterSize: 60,
      excluded: 0,
      targets: 6,
    });
    const committed = await commitDraw(w.svc, w.actors.jyj, jointId, { seedSource: { dice: true } });
    const record = JSON.parse(committed.commitment) as { items: { department: string }[] };
    expect(record.items.map((i) => i.department).sort()).toEqual(
      [String(w.dept.scjg), String(w.dept.jyj)].sort(),
    );
    const drawn = await revealDraw(w.svc, w.actors.jyj, committed.id, { dice: DICE });
    expect(drawn.status).toBe('matched');
    expect(drawn.targets).toHaveLength(6);
    // every target: two inspectors of each department, all different
    for (const t of drawn.targets) {
      expect(t.team).toHaveLength(4);
      expect(t.team.filter((m) => m.departmentId === w.dept.jyj)).toHaveLength(2);
      expect(t.team.filter((m) => m.departmentId === w.dept.scjg)).toHaveLength(2);
      expect(new Set(t.team.map((m) => m.inspectorId)).size).toBe(4);
    }
    // the bundle carries both departments' teams and verifies
    const { text, bundle } = await bundleFileOf<PublicBundleV2>(w.svc, committed.id);
    expect(bundle.teams!.map((t) => t.teams.length)).toEqual(Array(6).fill(2));
    expect(verifyBundleText(text)).toMatchObject({ verdict: 'verified', stage: 'matched', teams: 6 });
  });

  it('takes one result from each department per target, each entered by its own people', async () => {
    const task = await getTask(w.svc, w.actors.scjg, jointId);
    const targets = task.draws[0]!.targets;
    // the market bureau's inspector enters on a target where he is on the team: for his department
    const his = targets.find((t) => t.team.some((m) => m.inspectorId === w.inspectorIds.scjg[0]));
    expect(his).toBeDefined();
    const r = await enterResult(w.svc, w.actors.inspector, his!.id, {
      codes: ['未发现问题'],
      followUps: [],
      inspectedOn: '2026-04-03',
    });
    expect(r.departmentId).toBe(w.dept.scjg);
    // each department's admin enters the rest of its own
    const scjg = await enterResults(
      w.svc,
      w.actors.scjg,
      targets
        .filter((t) => t.id !== his!.id)
        .map((t) => ({
          targetId: t.id,
          input: { codes: ['未发现问题'], followUps: [], inspectedOn: '2026-04-05' },
        })),
    );
    const jyj = await enterResults(
      w.svc,
      w.actors.jyj,
      targets.map((t, i) => ({
        targetId: t.id,
        input: {
          codes: i === 0 ? ['发现问题经责令已改正'] : ['未发现问题'],
          followUps: i === 0 ? ['责令改正'] : [],
          inspectedOn: '2026-04-06',
        },
      })),
    );
    expect(scjg.map((x) => x.departmentId)).toEqual(Array(5).fill(w.dept.scjg));
    expect(jyj.map((x) => x.departmentId)).toEqual(Array(6).fill(w.dept.jyj));
    const after = await getTask(w.svc, w.actors.jyj, jointId);
    expect(after.draws[0]!.targets.map((t) => t.results.map((x) => x.departmentId).sort())).toEqual(
      Array(6).fill([w.dept.scjg, w.dept.jyj].sort()),
    );
    // the read-only leader cannot enter one
    await expect(
      enterResult(w.svc, w.actors.leader, targets[0]!.id, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-04-06',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await publishResults(
      w.svc,
      w.actors.admin,
      [r, ...scjg, ...jyj].map((x) => x.id),
    );
    expect((await getTask(w.svc, w.actors.jyj, jointId)).status).toBe('published');
  });

  it('counts in the joint-inspection indicator: tasks, targets and the joint share, exactly', async () => {
    // one task of the market bureau alone, drawn: 10 % of 60
    soloId = await createTask(w.svc, w.actors.scjg, {
      name: '企业公示信息抽查',
      itemIds: [w.itemIds.scjg[1]!],
      jointDepartmentIds: [],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.1 },
    });
    const d = await commitDraw(w.svc, w.actors.scjg, soloId, { seedSource: { dice: true } });
    expect((await revealDraw(w.svc, w.actors.scjg, d.id, { dice: DICE })).targets).toHaveLength(6);
    const zero = {
      tasks: 0,
      jointTasks: 0,
      targets: 0,
      jointTargets: 0,
      published: 0,
      inspectedEntities: 0,
      jointEntities: 0,
    };
    expect(await dashboard(w.svc, w.actors.leader, 2026)).toEqual({
      year: 2026,
      years: [2026],
      today: '2026-03-01',
      tasks: 2,
      jointTasks: 1,
      targets: 12,
      jointTargets: 6,
      published: 12,
      pendingReview: 0,
      awaitingPublication: 0,
      problemsFound: 1,
      // inspected jointly: each of the 6 entities has both departments' results on its target
      inspectedEntities: 6,
      jointEntities: 6,
      jointVisits: 6,
      jointShare: 1,
      goals: { jointSharePercent: 8, jointObjects: 120 },
      timeliness: { rate: 1, published: 12, onTime: 12, late: 0, corrections: 0 },
      overdue: { results: 0, tasks: 0 },
      // the solo task's 6 targets wait for results: 31 May + 20 working days (端午)
      deadlines: [
        {
          kind: 'task',
          dueOn: '2026-06-29',
          state: 'ok',
          remaining: 82,
          taskId: soloId,
          taskName: '企业公示信息抽查',
          departmentName: '区市场监管局',
          resultId: null,
          entityName: null,
          status: 'matched',
          openTargets: 6,
        },
      ],
      byDepartment: [
        {
          departmentId: w.dept.scjg,
          departmentName: '区市场监管局',
          ...zero,
          tasks: 1,
          targets: 6,
          inspectedEntities: 6,
          jointEntities: 6,
        },
        {
          departmentId: w.dept.jyj,
          departmentName: '区教育局',
          tasks: 1,
          jointTasks: 1,
          targets: 6,
          jointTargets: 6,
          published: 12,
          inspectedEntities: 6,
          jointEntities: 6,
        },
        { departmentId: w.dept.wlj, departmentName: '区文化和旅游体育局', ...zero },
      ],
      byMonth: [
        { month: '2026-04', targets: 6, published: 12 },
        { month: '2026-05', targets: 6, published: 0 },
      ],
    });
    expect(await verifyAuditChainAll(w.svc)).toMatchObject({ ok: true });
  });
});
