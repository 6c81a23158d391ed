/**
 * The dashboard's deadlines (issue 9 §5) on the official calendar: 公示及时率 with the overdue
 * counts, results awaiting a decision and awaiting publication counted apart, the nearest
 * deadlines sorted (results by inspection + 20 working days, a task's targets without a result by
 * window end + 20), a department's staff seeing their department's, and the default year being the
 * latest year that has tasks, not the clock's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { createTask, getTask } from '../tasks.ts';
import { commitDraw, revealDraw } from '../draws.ts';
import { approveResult, enterResult, publishResult } from '../results.ts';
import { dashboard } from '../dashboard.ts';

const DICE = '27182818284590452353'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)
let w: TestWorld;
let taskA: number;
let taskB: number;
const r: Record<'r1' | 'r2' | 'r3' | 'r4', number> = { r1: 0, r2: 0, r3: 0, r4: 0 };

async function drawn(name: string, windowStart: string, windowEnd: string) {
  const id = await createTask(w.svc, w.actors.scjg, {
    name,
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart,
    windowEnd,
    sampling: { ratio: 0.1 },
  });
  const d = await commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: true } });
  await revealDraw(w.svc, w.actors.scjg, d.id, { dice: DICE });
  return id;
}

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
  w.setNow('2024-05-06T02:00:00Z');
  await createTask(w.svc, w.actors.scjg, {
    name: '2024年草稿任务',
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2024-06-01',
    windowEnd: '2024-06-30',
    sampling: { ratio: 0.1 },
  });
  w.setNow('2026-01-05T02:00:00Z');
  taskB = await drawn('一月抽查（未录入）', '2026-01-05', '2026-01-30');
  w.setNow('2026-03-01T02:00:00Z');
  taskA = await drawn('三月抽查', '2026-03-01', '2026-04-30');
  const targets = (await getTask(w.svc, w.actors.scjg, taskA)).draws[0]!.targets;
  expect(targets).toHaveLength(6);
  const enter = (i: number, inspectedOn: string) =>
    enterResult(w.svc, w.actors.scjg, targets[i]!.id, { codes: ['未发现问题'], followUps: [], inspectedOn });
  w.setNow('2026-04-01T02:00:00Z');
  r.r1 = (await enter(0, '2026-03-02')).id; // due 2026-03-30
  r.r2 = (await enter(1, '2026-03-16')).id; // due 2026-04-14
  r.r3 = (await enter(2, '2026-03-20')).id; // due 2026-04-20 (清明 2026-04-06 off)
  r.r4 = (await enter(3, '2026-04-01')).id; // due 2026-04-30
  await publishResult(w.svc, w.actors.admin, r.r3); // on time
  w.setNow('2026-04-10T02:00:00Z');
  await publishResult(w.svc, w.actors.admin, r.r1); // 8 working days late
  await approveResult(w.svc, w.actors.scjg, r.r2); // approved, awaiting publication
  w.setNow('2026-04-20T02:00:00Z');
});
afterAll(async () => {
  await w?.cleanup();
});

describe('the dashboard on 2026-04-20', () => {
  it('counts 公示及时率, the overdue results and tasks, and the review stages apart', async () => {
    const d = await dashboard(w.svc, w.actors.leader, 2026);
    expect(d).toMatchObject({
      year: 2026,
      years: [2026, 2024],
      today: '2026-04-20',
      tasks: 2,
      targets: 12,
      published: 2,
      pendingReview: 1, // r4 submitted
      awaitingPublication: 1, // r2 approved
      timeliness: { rate: 0.5, published: 2, onTime: 1, late: 1, corrections: 0 },
      // r2 is past 2026-04-14 unpublished; task B past 2026-03-05 (30 Jan + 20 working days, 春节)
      overdue: { results: 1, tasks: 1 },
    });
  });

  it('lists the nearest deadlines, most urgent first, each with its task and result', async () => {
    const d = await dashboard(w.svc, w.actors.leader, 2026);
    const row = { departmentName: '区市场监管局' };
    expect(d.deadlines).toEqual([
      {
        ...row,
        kind: 'task',
        dueOn: '2026-03-05',
        state: 'overdue',
        remaining: -31,
        taskId: taskB,
        taskName: '一月抽查（未录入）',
        resultId: null,
        entityName: null,
        status: 'matched',
        openTargets: 6,
      },
      {
        ...row,
        kind: 'result',
        dueOn: '2026-04-14',
        state: 'overdue',
        remaining: -4,
        taskId: taskA,
        taskName: '三月抽查',
        resultId: r.r2,
        entityName: expect.any(String),
        status: 'approved',
        openTargets: 0,
      },
      {
        ...row,
        kind: 'result',
        dueOn: '2026-04-30',
        state: 'ok',
        remaining: 8,
        taskId: taskA,
        taskName: '三月抽查',
        resultId: r.r4,
        entityName: expect.any(String),
        status: 'submitted',
        openTargets: 0,
      },
      {
        ...row,
        kind: 'task',
        dueOn: '2026-06-01',
        state: 'ok',
        remaining: 28,
        taskId: taskA,
        taskName: '三月抽查',
        resultId: null,
        entityName: null,
        status: 'results',
        openTargets: 2,
      },
    ]);
  });

  it("shows a department's staff their department's deadlines only", async () => {
    const mine = await dashboard(w.svc, w.actors.scjg, 2026);
    expect(mine.deadlines).toHaveLength(4);
    const other = await dashboard(w.svc, w.actors.jyj, 2026);
    expect(other.deadlines).toEqual([]);
    // the district's counts stay the district's
    expect(other.overdue).toEqual({ results: 1, tasks: 1 });
  });

  it('opens on the latest year that has tasks, not the clock’s year', async () => {
    w.setNow('2028-02-01T02:00:00Z');
    const d = await dashboard(w.svc, w.actors.leader);
    expect(d).toMatchObject({ year: 2026, years: [2026, 2024], tasks: 2 });
    expect((await dashboard(w.svc, w.actors.leader, 2024)).tasks).toBe(1);
    expect(await dashboard(w.svc, w.actors.leader, 2027)).toMatchObject({
      tasks: 0,
      timeliness: { rate: null, published: 0 },
      overdue: { results: 0, tasks: 0 },
      deadlines: [],
    });
    w.setNow('2026-04-20T02:00:00Z');
  });
});
