/**
 * Annual plans through the services: a department's plan is written, filed (备案), returned with a
 * reason, filed again and approved; its batches open into tasks by hand and on schedule; an
 * amendment is a new version that supersedes the old one and keeps the opened tasks; the joint
 * plan is the joint office's; progress and completion are counted exactly, also as of a date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { auditEvents, departments, results, tasks } from '@choucha/db';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { getTask } from '../tasks.ts';
import { commitDraw, revealDraw } from '../draws.ts';
import { verifyAuditChainAll } from '../audit.ts';
import {
  addPlanBatch,
  amendPlan,
  approvePlan,
  closePlan,
  createPlan,
  deletePlanBatch,
  filePlan,
  openPlanBatch,
  returnPlan,
  updatePlan,
  updatePlanBatch,
  type PlanBatchInput,
} from './plans.ts';
import { getPlan, listPlans, planYearOverview } from './plans-view.ts';
import { openDueBatches, startPlanTimer, type OpenDueResult } from './plans-schedule.ts';

const DICE = '14142135623730950488'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)
let w: TestWorld;
let planId: number;
let amendedId: number;
const batch = (over: Partial<PlanBatchInput> = {}): PlanBatchInput => ({
  name: '企业公示信息抽查',
  itemIds: [w.itemIds.scjg[0]!],
  sampling: { ratio: 0.1 },
  plannedQuantity: 6,
  windowStart: '2026-04-01',
  windowEnd: '2026-04-30',
  ...over,
});

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

describe('a department plan', () => {
  it('is written by its department only, read by leaders, hidden from other departments', async () => {
    planId = await createPlan(w.svc, w.actors.scjg, {
      kind: 'department',
      year: 2026,
      name: '2026 年度双随机抽查计划',
      batches: [batch(), batch({ name: '食品经营抽查', windowStart: '2026-03-01', windowEnd: '2026-03-31' })],
    });
    await expect(
      createPlan(w.svc, w.actors.scjg, { kind: 'department', year: 2026, name: 'again' }),
    ).rejects.toMatchObject({ code: 'PLAN_EXISTS', details: { planId } });
    await expect(getPlan(w.svc, w.actors.jyj, planId)).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
    await expect(addPlanBatch(w.svc, w.actors.jyj, planId, batch())).rejects.toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    await expect(updatePlan(w.svc, w.actors.leader, planId, { name: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(getPlan(w.svc, w.actors.inspector, planId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const seen = await getPlan(w.svc, w.actors.leader, planId);
    expect(seen.status).toBe('draft');
    expect(seen.batches.map((b) => [b.seq, b.name, b.leadDepartmentId, b.directed])).toEqual([
      [1, '企业公示信息抽查', w.dept.scjg, false],
      [2, '食品经营抽查', w.dept.scjg, false],
    ]);
    expect(await listPlans(w.svc, w.actors.jyj, { year: 2026 })).toEqual([]);
  });

  it('refuses batches outside the year, the lists, or with a bad window', async () => {
    await expect(
      addPlanBatch(w.svc, w.actors.scjg, planId, batch({ windowStart: '2025-12-01' })),
    ).rejects.toMatchObject({ code: 'PLAN_BATCH_OUTSIDE_YEAR' });
    await expect(
      addPlanBatch(w.svc, w.actors.scjg, planId, batch({ windowEnd: '2026-03-01' })),
    ).rejects.toMatchObject({ code: 'DATE_RANGE_INVALID' });
    // another department's item, while that department does not cooperate
    await expect(
      addPlanBatch(w.svc, w.actors.scjg, planId, batch({ itemIds: [w.itemIds.jyj[0]!] })),
    ).rejects.toMatchObject({ code: 'ITEM_NOT_IN_LIST', details: { itemIds: [w.itemIds.jyj[0]] } });
    await expect(
      addPlanBatch(w.svc, w.actors.scjg, planId, batch({ sampling: { ratio: 0 } })),
    ).rejects.toMatchObject({ code: 'DRAW_RATIO_INVALID' });
    const third = await addPlanBatch(
      w.svc,
      w.actors.scjg,
      planId,
      batch({ name: '待删除', scope: { entityTypes: ['个体工商户'] } }),
    );
    expect((await getPlan(w.svc, w.actors.scjg, planId)).batches.find((b) => b.id === third)?.directed).toBe(
      true,
    );
    await deletePlanBatch(w.svc, w.actors.scjg, third);
    expect((await getPlan(w.svc, w.actors.scjg, planId)).batches).toHaveLength(2);
  });

  it('is filed, returned with a reason the department sees, filed again and approved', async () => {
    await expect(
      openPlanBatch(w.svc, w.actors.scjg, (await getPlan(w.svc, w.actors.scjg, planId)).batches[0]!.id),
    ).rejects.toMatchObject({ code: 'PLAN_NOT_APPROVED', details: { status: 'draft' } });
    await expect(approvePlan(w.svc, w.actors.admin, planId)).rejects.toMatchObject({
      code: 'PLAN_STATE_INVALID',
      details: { status: 'draft' },
    });
    await filePlan(w.svc, w.actors.scjg, planId);
    await expect(updatePlan(w.svc, w.actors.scjg, planId, { name: 'x' })).rejects.toMatchObject({
      code: 'PLAN_READ_ONLY',
    });
    await expect(approvePlan(w.svc, w.actors.scjg, planId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(returnPlan(w.svc, w.actors.admin, planId, ' ')).rejects.toMatchObject({
      code: 'PLAN_RETURN_REASON_REQUIRED',
    });
    await returnPlan(w.svc, w.actors.admin, planId, '批次抽查户数偏少，请补充');
    const back = await getPlan(w.svc, w.actors.scjg, planId);
    expect([back.status, back.returnReason]).toEqual(['returned', '批次抽查户数偏少，请补充']);
    const first = back.batches[0]!;
    await updatePlanBatch(w.svc, w.actors.scjg, first.id, batch({ plannedQuantity: 8 }));
    await filePlan(w.svc, w.actors.scjg, planId);
    await approvePlan(w.svc, w.actors.admin, planId, '同意备案');
    const ok = await getPlan(w.svc, w.actors.scjg, planId);
    expect([ok.status, ok.returnReason, ok.batches[0]!.plannedQuantity]).toEqual(['approved', null, 8]);
  });

  it('opens a batch into a task by hand, once', async () => {
    const p = await getPlan(w.svc, w.actors.scjg, planId);
    const april = p.batches.find((b) => b.name === '企业公示信息抽查')!;
    await expect(openPlanBatch(w.svc, w.actors.jyj, april.id)).rejects.toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    const taskId = await openPlanBatch(w.svc, w.actors.scjg, april.id);
    const [t] = await w.svc.database.db.select().from(tasks).where(eq(tasks.id, taskId));
    expect([t?.planId, t?.batchId, t?.name, t?.windowStart, t?.status]).toEqual([
      planId,
      april.id,
      '企业公示信息抽查',
      '2026-04-01',
      'draft',
    ]);
    await expect(openPlanBatch(w.svc, w.actors.scjg, april.id)).rejects.toMatchObject({
      code: 'PLAN_BATCH_OPENED',
      details: { taskId },
    });
    await expect(updatePlanBatch(w.svc, w.actors.scjg, april.id, batch())).rejects.toMatchObject({
      code: 'PLAN_READ_ONLY',
    });
    expect((await getPlan(w.svc, w.actors.scjg, planId)).status).toBe('in_progress');
  });

  it('opens due batches on schedule: the window has opened, not ended, the plan is approved', async () => {
    // nothing else due on 2026-02-28; the March batch is due on 2026-03-02
    expect(await openDueBatches(w.svc, '2026-02-28')).toEqual({
      today: '2026-02-28',
      opened: [],
      missed: [],
      failed: [],
    });
    const r = await openDueBatches(w.svc, '2026-03-02');
    expect(r.opened.map((o) => o.name)).toEqual(['食品经营抽查']);
    expect(r.missed).toEqual([]);
    // run again: nothing left
    expect((await openDueBatches(w.svc, '2026-03-02')).opened).toEqual([]);
    const march = (await getPlan(w.svc, w.actors.scjg, planId)).batches.find(
      (b) => b.name === '食品经营抽查',
    )!;
    expect(march.taskId).toBe(r.opened[0]!.taskId);
    await expect(openDueBatches(w.svc, '2026-13-01')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('counts progress: drawn, inspected, published, and the completion as of a date', async () => {
    const p = await getPlan(w.svc, w.actors.scjg, planId);
    const april = p.batches.find((b) => b.name === '企业公示信息抽查')!;
    w.setNow('2026-04-02T02:00:00Z');
    const committed = await commitDraw(w.svc, w.actors.scjg, april.taskId!, { seedSource: { dice: true } });
    await revealDraw(w.svc, w.actors.scjg, committed.id, { dice: DICE });
    const task = await getTask(w.svc, w.actors.scjg, april.taskId!);
    const ts = task.draws[0]!.targets;
    expect(ts).toHaveLength(6);
    // four results entered, two of them published (on 2026-04-20, China time)
    for (const [i, t] of ts.slice(0, 4).entries())
      await w.svc.database.db.insert(results).values({
        targetId: t.id,
        taskId: task.id,
        departmentId: w.dept.scjg,
        codes: ['未发现问题'],
        inspectedOn: '2026-04-10',
        status: i < 2 ? 'published' : 'submitted',
        enteredAt: new Date('2026-04-10T02:00:00Z'),
        publishedAt: i < 2 ? new Date('2026-04-20T02:00:00Z') : null,
      });
    const now = await getPlan(w.svc, w.actors.leader, planId);
    expect(now.batches.find((b) => b.id === april.id)!.progress).toEqual({
      planned: 8,
      drawn: 6,
      inspected: 4,
      published: 2,
      done: false,
    });
    // two batches, none done; targets: 2 published of 8 + 6 planned
    expect(now.completion).toEqual({
      batches: 2,
      batchesDone: 0,
      batchRate: 0,
      planned: 14,
      published: 2,
      targetRate: 2 / 14,
    });
    const before = await getPlan(w.svc, w.actors.leader, planId, { asOf: '2026-04-19' });
    expect(before.batches.find((b) => b.id === april.id)!.progress).toMatchObject({
      drawn: 6,
      inspected: 4,
      published: 0,
    });
    const early = await getPlan(w.svc, w.actors.leader, planId, { asOf: '2026-03-31' });
    expect(early.batches.find((b) => b.id === april.id)!.progress).toMatchObject({ drawn: 0, inspected: 0 });
    // the task published: the batch is done
    await w.svc.database.db
      .update(tasks)
      .set({ status: 'published', publishedAt: new Date('2026-05-05T02:00:00Z') })
      .where(eq(tasks.id, april.taskId!));
    const overview = await planYearOverview(w.svc, w.actors.admin, 2026, '2026-06-30');
    expect(overview.completion).toMatchObject({ batches: 2, batchesDone: 1, batchRate: 0.5, planned: 14 });
    expect(overview.plans.map((x) => [x.departmentId, x.status])).toEqual([[w.dept.scjg, 'in_progress']]);
    expect(overview.departmentsWithoutPlan.map((d) => d.id).sort()).toEqual([w.dept.jyj, w.dept.wlj].sort());
    // city and province departments file no district plan, even when one is marked as the lead
    const [city] = await w.svc.database.db
      .insert(departments)
      .values({ code: 'CITY-SCJG', name: '市市场监管局', shortName: '市局', level: 'city', isLead: true })
      .returning({ id: departments.id });
    await w.svc.database.db
      .insert(departments)
      .values({ code: 'PROV-SCJG', name: '省市场监管局', shortName: '省局', level: 'province' });
    await w.svc.database.db.update(departments).set({ isLead: false }).where(eq(departments.id, w.dept.scjg));
    const withCity = await planYearOverview(w.svc, w.actors.admin, 2026, '2026-06-30');
    expect(withCity.departmentsWithoutPlan.map((d) => d.name)).toEqual(['区教育局', '区文化和旅游体育局']);
    await w.svc.database.db.update(departments).set({ isLead: true }).where(eq(departments.id, w.dept.scjg));
    await w.svc.database.db.update(departments).set({ isLead: false }).where(eq(departments.id, city!.id));
    await expect(closePlan(w.svc, w.actors.scjg, planId)).rejects.toMatchObject({
      code: 'PLAN_NOT_COMPLETE',
      details: { count: 1 },
    });
  });
});

describe('an amendment', () => {
  it('is a new version; once approved the old one is superseded and read-only, tasks follow', async () => {
    await expect(amendPlan(w.svc, w.actors.scjg, planId, '')).rejects.toMatchObject({
      code: 'PLAN_AMEND_REASON_REQUIRED',
    });
    amendedId = await amendPlan(w.svc, w.actors.scjg, planId, '增加下半年批次');
    await expect(amendPlan(w.svc, w.actors.scjg, planId, '再次修订')).rejects.toMatchObject({
      code: 'PLAN_AMENDMENT_EXISTS',
      details: { planId: amendedId },
    });
    const draft = await getPlan(w.svc, w.actors.scjg, amendedId);
    expect([draft.version, draft.status, draft.previousId, draft.batches.length]).toEqual([
      2,
      'draft',
      planId,
      2,
    ]);
    // the opened batches stay opened in the copy: read-only
    await expect(deletePlanBatch(w.svc, w.actors.scjg, draft.batches[0]!.id)).rejects.toMatchObject({
      code: 'PLAN_BATCH_OPENED',
    });
    await addPlanBatch(
      w.svc,
      w.actors.scjg,
      amendedId,
      batch({ name: '下半年广告抽查', windowStart: '2026-09-01', windowEnd: '2026-09-30' }),
    );
    // the list shows the version in force with its pending amendment
    const listed = await listPlans(w.svc, w.actors.scjg, { year: 2026 });
    expect(listed.map((l) => [l.id, l.amendment?.id])).toEqual([[planId, amendedId]]);
    await filePlan(w.svc, w.actors.scjg, amendedId);
    await approvePlan(w.svc, w.actors.admin, amendedId);
    const old = await getPlan(w.svc, w.actors.scjg, planId);
    expect(old.status).toBe('superseded');
    await expect(updatePlan(w.svc, w.actors.scjg, planId, { name: 'x' })).rejects.toMatchObject({
      code: 'PLAN_READ_ONLY',
    });
    await expect(approvePlan(w.svc, w.actors.admin, planId)).rejects.toMatchObject({
      code: 'PLAN_READ_ONLY',
    });
    const v2 = await getPlan(w.svc, w.actors.scjg, amendedId);
    expect(v2.status).toBe('in_progress');
    expect(v2.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'in_progress'],
    ]);
    const opened = v2.batches.filter((b) => b.taskId !== null);
    expect(opened).toHaveLength(2);
    for (const b of opened) {
      const [t] = await w.svc.database.db.select().from(tasks).where(eq(tasks.id, b.taskId!));
      expect([t?.planId, t?.batchId]).toEqual([amendedId, b.id]);
    }
    // progress follows the batch: the April batch still counts its 2 published targets
    expect(v2.completion).toMatchObject({ batches: 3, batchesDone: 1, planned: 20, published: 2 });
    expect((await listPlans(w.svc, w.actors.leader, { year: 2026 })).map((l) => l.id)).toEqual([amendedId]);
  });
});

describe('the joint plan', () => {
  it('is written and approved by the joint office; its lead department opens a batch', async () => {
    await expect(
      createPlan(w.svc, w.actors.scjg, { kind: 'joint', year: 2026, name: '部门联合抽查计划' }),
    ).rejects.toMatchObject({ code: 'PLAN_JOINT_OFFICE_ONLY' });
    const joint = await createPlan(w.svc, w.actors.admin, {
      kind: 'joint',
      year: 2026,
      name: '2026 年度部门联合抽查计划',
      batches: [
        batch({
          name: '校外培训机构联合检查',
          itemIds: [w.itemIds.jyj[0]!, w.itemIds.scjg[0]!],
          leadDepartmentId: w.dept.jyj,
          cooperatingDepartmentIds: [w.dept.scjg],
        }),
      ],
    });
    // every department reads the joint plan; none but the joint office writes it
    const seen = await getPlan(w.svc, w.actors.jyj, joint);
    expect(seen.batches[0]!.cooperatingDepartmentIds).toEqual([w.dept.scjg]);
    await expect(updatePlan(w.svc, w.actors.jyj, joint, { name: 'x' })).rejects.toMatchObject({
      code: 'PLAN_JOINT_OFFICE_ONLY',
    });
    await filePlan(w.svc, w.actors.admin, joint);
    await approvePlan(w.svc, w.actors.admin, joint);
    await expect(openPlanBatch(w.svc, w.actors.scjg, seen.batches[0]!.id)).rejects.toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    const taskId = await openPlanBatch(w.svc, w.actors.jyj, seen.batches[0]!.id);
    const t = await getTask(w.svc, w.actors.jyj, taskId);
    expect([t.isJoint, t.departmentId, t.partners.map((p) => [p.departmentId, p.state])]).toEqual([
      true,
      w.dept.jyj,
      [[w.dept.scjg, 'invited']],
    ]);
    const overview = await planYearOverview(w.svc, w.actors.leader, 2026);
    expect(overview.plans.map((p) => [p.kind, p.status, p.jointBatchCount])).toEqual([
      ['department', 'in_progress', 0],
      ['joint', 'in_progress', 1],
    ]);
  });

  it('audits every write in the chain', async () => {
    const ev = await w.svc.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(like(auditEvents.action, 'plan.%'));
    const count = (a: string) => ev.filter((e) => e.action === a).length;
    expect([
      count('plan.create'),
      count('plan.file'),
      count('plan.return'),
      count('plan.approve'),
      count('plan.amend'),
      count('plan.supersede'),
      count('plan.batch_open'),
      count('plan.batch_delete'),
    ]).toEqual([2, 4, 1, 3, 1, 1, 3, 1]);
    expect((await verifyAuditChainAll(w.svc)).ok).toBe(true);
  });
});

describe('the server timer', () => {
  it('opens the batches due on the date in China once, at its first run', async () => {
    // 2026-09-01 17:30 UTC is 2026-09-02 in China: the September batch of the amendment is due
    w.setNow('2026-09-01T17:30:00Z');
    const results: OpenDueResult[] = [];
    const first = new Promise<void>((resolve) => {
      const timer = startPlanTimer(w.svc, {
        firstRunMs: 0,
        onResult: (r) => {
          results.push(r);
          void timer.stop().then(resolve);
        },
        onError: (e) => {
          throw e;
        },
      });
    });
    await first;
    expect(results.map((r) => [r.today, r.opened.map((o) => o.name)])).toEqual([
      ['2026-09-02', ['下半年广告抽查']],
    ]);
    const v2 = await getPlan(w.svc, w.actors.leader, amendedId);
    expect(v2.batches.filter((b) => b.taskId === null)).toEqual([]);
  });
});
