/**
 * Joint inspections end to end through the services (issue 9 §3):
 * 2026 — a cooperating department brings its items when it accepts and later from the joint list;
 *        one draw, each department ≥ 2 inspectors on every team, each enters its own part;
 * 2027 — the detector proposes merging two departments' draft batches (and a plan batch); the joint
 *        office accepts (one joint task, drafts removed), declines (not proposed again), and a
 *        proposal whose batch was drawn meanwhile is stale;
 * 2028 — the same entity due to be visited by two departments within N days: a joint visit; the
 *        indicator counts an entity only when two departments entered a result in one visit; the
 *        burden metric counts visits and visits saved, exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  auditEvents,
  itemEditions,
  jointItems,
  mergeProposals,
  planBatches,
  plans,
  type Executor,
} from '@choucha/db';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { answerTaskInvitation, createTask, getTask } from '../tasks.ts';
import { commitDraw, revealDraw } from '../draws.ts';
import { approveResult, enterResult, enterResults, publishResults } from '../results.ts';
import { publicResults } from '../public.ts';
import { dashboard } from '../dashboard.ts';
import { verifyAuditChainAll } from '../audit.ts';
import { contributeTaskItems } from './joint-items.ts';
import {
  decideMergeProposal,
  detectMergeProposals,
  getJointRules,
  listJointVisits,
  listMergeProposals,
  updateJointRules,
} from './joint.ts';
import { jointBurden } from './joint-burden.ts';

const DICE = '31415926535897932384'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)
let w: TestWorld;
let jointRow: number;

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
  const [ed] = await w.database.db
    .insert(itemEditions)
    .values({ departmentId: null, name: '联合抽查事项清单', status: 'published', listKind: 'joint' })
    .returning({ id: itemEditions.id });
  const [row] = await w.database.db
    .insert(jointItems)
    .values({
      editionId: ed!.id,
      domain: '教育',
      name: '企业公示信息检查',
      leadDepartmentId: w.dept.jyj,
      cooperatingDepartmentIds: [w.dept.scjg],
      itemIds: [w.itemIds.scjg[1]!],
    })
    .returning({ id: jointItems.id });
  jointRow = row!.id;
});
afterAll(async () => {
  await w?.cleanup();
});

const ok = { codes: ['未发现问题'], followUps: [] };

describe('2026: partners contribute items; one draw, each department its own part', () => {
  let taskId: number;
  let onJoint: { scjg: number; jyj: number; others: number[]; key: string; entityName: string };
  it('the partner brings its items on accepting, and a joint list row later', async () => {
    taskId = await createTask(w.svc, w.actors.jyj, {
      name: '校外培训机构联合检查',
      itemIds: [w.itemIds.jyj[0]!],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-04-01',
      windowEnd: '2026-04-30',
      sampling: { ratio: 0.1 },
    });
    // an item of another department's list is refused, and nothing is bound
    await expect(
      answerTaskInvitation(w.svc, w.actors.scjg, taskId, w.dept.scjg, 'accepted', undefined, {
        itemIds: [w.itemIds.jyj[0]!],
      }),
    ).rejects.toMatchObject({ code: 'ITEM_NOT_IN_LIST' });
    expect((await getTask(w.svc, w.actors.jyj, taskId)).partners[0]!.state).toBe('invited');
    const r = await answerTaskInvitation(w.svc, w.actors.scjg, taskId, w.dept.scjg, 'accepted', '同意', {
      itemIds: [w.itemIds.scjg[0]!],
    });
    expect(r.task!.items.map((i) => i.id)).toEqual(
      [w.itemIds.scjg[0]!, w.itemIds.jyj[0]!].sort((a, b) => a - b),
    );
    const added = await contributeTaskItems(w.svc, w.actors.scjg, taskId, w.dept.scjg, {
      jointItemIds: [jointRow],
    });
    expect(added).toEqual({ added: [w.itemIds.scjg[1]!] });
    // the row names scjg and jyj; jyj's linked items: none on the row
    await expect(
      contributeTaskItems(w.svc, w.actors.jyj, taskId, w.dept.jyj, { jointItemIds: [jointRow] }),
    ).rejects.toMatchObject({ code: 'JOINT_ITEM_NOT_LINKED' });
    // a department that takes no part: the task is not even revealed
    await expect(
      contributeTaskItems(w.svc, w.actors.admin, taskId, w.dept.wlj, { itemIds: [] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      contributeTaskItems(w.svc, w.actors.jyj, taskId, w.dept.scjg, { itemIds: [w.itemIds.scjg[0]!] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
    const events = await w.database.db
      .select({ action: auditEvents.action, after: auditEvents.after })
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, String(taskId)));
    expect(events.map((e) => e.action)).toEqual([
      'task.create',
      'task.partner_accepted',
      'task.items_contributed',
    ]);
    expect(events[1]!.after).toMatchObject({ addedItemIds: [w.itemIds.scjg[0]!] });
  });

  it('one draw: every target has exactly 2 inspectors of each department; items closed after', async () => {
    const c = await commitDraw(w.svc, w.actors.jyj, taskId, { seedSource: { dice: true } });
    const record = JSON.parse(c.commitment) as { items: { department: string }[] };
    expect(record.items.map((i) => i.department).sort()).toEqual(
      [String(w.dept.scjg), String(w.dept.scjg), String(w.dept.jyj)].sort(),
    );
    const drawn = await revealDraw(w.svc, w.actors.jyj, c.id, { dice: DICE });
    expect(drawn.status).toBe('matched');
    expect(drawn.targets).toHaveLength(6);
    for (const t of drawn.targets) {
      expect(t.team.filter((m) => m.departmentId === w.dept.jyj)).toHaveLength(2);
      expect(t.team.filter((m) => m.departmentId === w.dept.scjg)).toHaveLength(2);
      expect(new Set(t.team.map((m) => m.inspectorId)).size).toBe(4);
    }
    await expect(
      contributeTaskItems(w.svc, w.actors.scjg, taskId, w.dept.scjg, { itemIds: [w.itemIds.scjg[0]!] }),
    ).rejects.toMatchObject({ code: 'JOINT_ITEMS_CLOSED' });
  });

  it('each department enters its own part: one result per department on each target', async () => {
    const task = await getTask(w.svc, w.actors.scjg, taskId);
    const targets = task.draws[0]!.targets;
    const his = targets.find((t) => t.team.some((m) => m.inspectorId === w.inspectorIds.scjg[0]));
    expect(his).toBeDefined();
    const r = await enterResult(w.svc, w.actors.inspector, his!.id, { ...ok, inspectedOn: '2026-04-03' });
    expect(r.departmentId).toBe(w.dept.scjg);
    // the education bureau's admin enters its own part: on that target and on two others
    const others = targets.filter((t) => t.id !== his!.id).slice(0, 2);
    const jyj = await enterResults(
      w.svc,
      w.actors.jyj,
      [his!, ...others].map((t) => ({ targetId: t.id, input: { ...ok, inspectedOn: '2026-04-05' } })),
    );
    expect(jyj.map((x) => x.departmentId)).toEqual([w.dept.jyj, w.dept.jyj, w.dept.jyj]);
    const after = await getTask(w.svc, w.actors.jyj, taskId);
    expect(
      after.draws[0]!.targets.map((t) => t.results.map((x) => x.departmentId).sort((a, b) => a - b)).sort(),
    ).toEqual(
      [[w.dept.scjg, w.dept.jyj].sort((a, b) => a - b), [w.dept.jyj], [w.dept.jyj], [], [], []].sort(),
    );
    const joint = after.draws[0]!.targets.find((t) => t.id === his!.id)!;
    onJoint = {
      scjg: r.id,
      jyj: jyj[0]!.id,
      others: [jyj[1]!.id, jyj[2]!.id],
      key: joint.key,
      entityName: joint.entityName,
    };
    // a target counts jointly only with both departments' results on it: 1 of the 3 inspected
    expect(await dashboard(w.svc, w.actors.leader, 2026)).toMatchObject({
      jointTasks: 1,
      jointTargets: 6,
      inspectedEntities: 3,
      jointEntities: 1,
      jointVisits: 1,
      jointShare: 1 / 3,
    });
  });
  it('each department reviews its own part; the target is published once with both results', async () => {
    // the market bureau reviews its result, never the education bureau's
    await expect(approveResult(w.svc, w.actors.scjg, onJoint.jyj)).rejects.toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    expect((await approveResult(w.svc, w.actors.scjg, onJoint.scjg)).status).toBe('approved');
    expect((await approveResult(w.svc, w.actors.jyj, onJoint.jyj)).status).toBe('approved');
    expect((await publicResults(w.svc, { page: 1, pageSize: 50, q: onJoint.key })).total).toBe(0);
    await publishResults(w.svc, w.actors.admin, [onJoint.scjg, onJoint.jyj]);
    // one row for the target, with each department's part: the lead (教育局) first, its own items
    const pub = await publicResults(w.svc, { page: 1, pageSize: 50, q: onJoint.key });
    expect(pub.total).toBe(1);
    expect(pub.items).toHaveLength(1);
    const row = pub.items[0]!;
    expect(row).toMatchObject({
      id: Math.min(onJoint.scjg, onJoint.jyj),
      code: onJoint.key,
      entityName: onJoint.entityName,
      departmentName: '区教育局、区市场监管局',
      codes: ['未发现问题'],
      inspectedOn: '2026-04-03',
      corrections: [],
    });
    expect(row.items.slice().sort()).toEqual(
      ['企业公示信息检查', '校外培训机构检查', '食品经营者经营条件检查'].sort(),
    );
    expect(
      row.byDepartment.map((d) => [d.departmentName, d.items.slice().sort(), d.codes, d.inspectedOn]),
    ).toEqual([
      ['区教育局', ['校外培训机构检查'], ['未发现问题'], '2026-04-05'],
      ['区市场监管局', ['企业公示信息检查', '食品经营者经营条件检查'].sort(), ['未发现问题'], '2026-04-03'],
    ]);
    expect(JSON.stringify(pub)).not.toMatch(/riskClass|risk_class|监管员|教育执法|inspector/);
    // the other two targets carry the education bureau's part only, once published
    await publishResults(w.svc, w.actors.admin, onJoint.others);
    const all = await publicResults(w.svc, { page: 1, pageSize: 50 });
    expect(
      all.items
        .filter((x) => x.drawId === row.drawId)
        .map((x) => x.departmentName)
        .sort(),
    ).toEqual(['区教育局', '区教育局', '区教育局、区市场监管局']);
    expect(all.total).toBe(3);
  });
});

describe('2027: batches of different departments whose scopes and windows overlap', () => {
  let s1: number;
  let j1: number;
  it('proposes the pair, the joint office accepts: one joint task, the drafts removed', async () => {
    s1 = await createTask(w.svc, w.actors.scjg, {
      name: '食品经营者抽查',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2027-06-01',
      windowEnd: '2027-06-30',
      scope: { streets: ['柏树林街道'] },
      sampling: { ratio: 0.1 },
    });
    j1 = await createTask(w.svc, w.actors.jyj, {
      name: '校外培训机构抽查',
      itemIds: [w.itemIds.jyj[0]!],
      jointDepartmentIds: [],
      windowStart: '2027-06-15',
      windowEnd: '2027-07-15',
      sampling: { ratio: 0.2 },
    });
    await expect(detectMergeProposals(w.svc, w.actors.jyj, 2027)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2027)).toEqual({
      year: 2027,
      proposed: 1,
      added: 1,
      stale: 0,
      reopened: 0,
    });
    const list = await listMergeProposals(w.svc, w.actors.jyj, { year: 2027 });
    expect(list).toHaveLength(1);
    const p = list[0]!;
    expect(p).toMatchObject({
      kind: 'batch',
      status: 'open',
      windowStart: '2027-06-15',
      windowEnd: '2027-06-30',
      departmentIds: [w.dept.scjg, w.dept.jyj],
    });
    expect(p.members.map((m) => [m.ref, m.eligible])).toEqual([
      [`task:${s1}`, true],
      [`task:${j1}`, true],
    ]);
    await expect(
      decideMergeProposal(w.svc, w.actors.jyj, p.id, { decision: 'accept' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      decideMergeProposal(w.svc, w.actors.admin, p.id, { decision: 'accept', leadDepartmentId: w.dept.wlj }),
    ).rejects.toMatchObject({ code: 'JOINT_LEAD_INVALID' });
    const done = await decideMergeProposal(w.svc, w.actors.admin, p.id, {
      decision: 'accept',
      leadDepartmentId: w.dept.jyj,
      note: '进一门、查多项',
    });
    expect(done).toMatchObject({
      status: 'accepted',
      leadDepartmentId: w.dept.jyj,
      decisionNote: '进一门、查多项',
    });
    const t = await getTask(w.svc, w.actors.admin, done.resultTaskId!);
    expect(t).toMatchObject({
      name: '校外培训机构抽查（联合）',
      departmentId: w.dept.jyj,
      isJoint: true,
      windowStart: '2027-06-15',
      windowEnd: '2027-06-30',
      status: 'draft',
      scope: null,
      sampling: { ratio: 0.2 },
    });
    expect(t.items.map((i) => i.id)).toEqual([w.itemIds.scjg[0]!, w.itemIds.jyj[0]!].sort((a, b) => a - b));
    // the cooperating department accepts before it is bound
    expect(t.partners.map((x) => [x.departmentId, x.state])).toEqual([[w.dept.scjg, 'invited']]);
    await expect(getTask(w.svc, w.actors.admin, s1)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    await expect(getTask(w.svc, w.actors.admin, j1)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    await expect(
      decideMergeProposal(w.svc, w.actors.admin, p.id, { decision: 'decline' }),
    ).rejects.toMatchObject({ code: 'JOINT_PROPOSAL_DECIDED' });
    const actions = (await w.database.db.select({ action: auditEvents.action }).from(auditEvents)).map(
      (e) => e.action,
    );
    expect(actions.filter((a) => a === 'task.merged')).toHaveLength(2);
    expect(actions.filter((a) => a === 'joint.proposal_accepted')).toHaveLength(1);
    // the merged task is one department's draft: nothing left to propose
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2027)).toMatchObject({ proposed: 0, added: 0 });
  });

  it('a declined proposal is not proposed again; one whose batch was drawn turns stale', async () => {
    const mk = (actor: typeof w.actors.scjg, item: number, start: string, end: string) =>
      createTask(w.svc, actor, {
        name: `抽查${start}`,
        itemIds: [item],
        jointDepartmentIds: [],
        windowStart: start,
        windowEnd: end,
        sampling: { ratio: 0.1 },
      });
    await mk(w.actors.scjg, w.itemIds.scjg[1]!, '2027-09-01', '2027-09-30');
    await mk(w.actors.jyj, w.itemIds.jyj[0]!, '2027-09-10', '2027-09-20');
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2027)).toMatchObject({ proposed: 1, added: 1 });
    const [open] = await listMergeProposals(w.svc, w.actors.admin, { year: 2027, status: 'open' });
    const declined = await decideMergeProposal(w.svc, w.actors.admin, open!.id, {
      decision: 'decline',
      note: '检查内容差异大',
    });
    expect(declined).toMatchObject({ status: 'declined', decisionNote: '检查内容差异大' });
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2027)).toMatchObject({ proposed: 1, added: 0 });
    // another pair: the market bureau commits its draw before the joint office decides
    const s3 = await mk(w.actors.scjg, w.itemIds.scjg[1]!, '2027-11-01', '2027-11-30');
    await mk(w.actors.jyj, w.itemIds.jyj[0]!, '2027-11-20', '2027-12-10');
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2027)).toMatchObject({ proposed: 2, added: 1 });
    const [p3] = await listMergeProposals(w.svc, w.actors.admin, { year: 2027, status: 'open' });
    await commitDraw(w.svc, w.actors.scjg, s3, { seedSource: { dice: true } });
    await expect(
      decideMergeProposal(w.svc, w.actors.admin, p3!.id, { decision: 'accept' }),
    ).rejects.toMatchObject({ code: 'JOINT_PROPOSAL_STALE' });
    const [row] = await w.database.db.select().from(mergeProposals).where(eq(mergeProposals.id, p3!.id));
    expect(row!.status).toBe('stale');
  });

  it('a plan batch merges with a draft task: the batch is linked to the joint task', async () => {
    const db = w.database.db as Executor;
    const [plan] = await db
      .insert(plans)
      .values({
        kind: 'department',
        departmentId: w.dept.jyj,
        year: 2027,
        name: '2027年度抽查计划',
        status: 'approved',
      })
      .returning({ id: plans.id });
    const [batch] = await db
      .insert(planBatches)
      .values({
        planId: plan!.id,
        name: '第三批次',
        itemIds: [w.itemIds.jyj[0]!],
        sampling: { ratio: 0.2 },
        plannedQuantity: 3,
        windowStart: '2027-03-01',
        windowEnd: '2027-03-31',
        leadDepartmentId: w.dept.jyj,
      })
      .returning({ id: planBatches.id });
    const s = await createTask(w.svc, w.actors.scjg, {
      name: '三月食品抽查',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2027-03-10',
      windowEnd: '2027-04-10',
      sampling: { ratio: 0.1 },
    });
    await detectMergeProposals(w.svc, w.actors.admin, 2027);
    const open = (await listMergeProposals(w.svc, w.actors.admin, { year: 2027, status: 'open' })).filter(
      (p) => p.members.some((m) => m.ref === `batch:${batch!.id}`),
    );
    expect(open.map((p) => p.members.map((m) => m.ref))).toEqual([[`batch:${batch!.id}`, `task:${s}`]]);
    expect(open[0]!.members[0]).toMatchObject({
      kind: 'batch',
      planName: '2027年度抽查计划',
      eligible: true,
    });
    const done = await decideMergeProposal(w.svc, w.actors.admin, open[0]!.id, { decision: 'accept' });
    const [b] = await db.select().from(planBatches).where(eq(planBatches.id, batch!.id));
    expect(b!.taskId).toBe(done.resultTaskId);
    const t = await getTask(w.svc, w.actors.admin, done.resultTaskId!);
    expect(t).toMatchObject({ departmentId: w.dept.jyj, windowStart: '2027-03-10', windowEnd: '2027-03-31' });
    expect(t.partners.map((x) => x.departmentId)).toEqual([w.dept.scjg]);
  });
});

describe('2028: the same entity, a close time — a joint visit', () => {
  let scjgTargets: { id: number; entityId: number }[];
  let jyjTargets: { id: number; entityId: number }[];
  it('N from the settings decides which visits are close', async () => {
    const drawAll = async (actor: typeof w.actors.scjg, item: number, start: string, end: string) => {
      const id = await createTask(w.svc, actor, {
        name: `全覆盖${start}`,
        itemIds: [item],
        jointDepartmentIds: [],
        windowStart: start,
        windowEnd: end,
        scope: { streets: ['柏树林街道'] },
        sampling: { ratio: 1 },
      });
      const c = await commitDraw(w.svc, actor, id, { seedSource: { dice: true } });
      return (await revealDraw(w.svc, actor, c.id, { dice: DICE })).targets.map((t) => ({
        id: t.id,
        entityId: t.entityId,
      }));
    };
    scjgTargets = await drawAll(w.actors.scjg, w.itemIds.scjg[0]!, '2028-03-01', '2028-03-31');
    jyjTargets = await drawAll(w.actors.jyj, w.itemIds.jyj[0]!, '2028-04-20', '2028-04-30');
    expect([scjgTargets.length, jyjTargets.length]).toEqual([30, 15]);
    expect(await getJointRules(w.svc, w.actors.jyj)).toEqual({ nearDays: 30, defaults: { nearDays: 30 } });
    await expect(updateJointRules(w.svc, w.actors.admin, { nearDays: 400 })).rejects.toMatchObject({
      code: 'JOINT_RULES_INVALID',
    });
    await updateJointRules(w.svc, w.actors.admin, { nearDays: 19 });
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2028)).toMatchObject({ proposed: 0 });
    await updateJointRules(w.svc, w.actors.admin, { nearDays: 20 });
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2028)).toMatchObject({
      proposed: 15,
      added: 15,
    });
  });

  it('accepted, the two targets are one visit; the indicator and the burden count it exactly', async () => {
    const ps = await listMergeProposals(w.svc, w.actors.admin, { year: 2028, status: 'open' });
    expect(ps).toHaveLength(15);
    expect(ps.every((p) => p.kind === 'entity' && p.gapDays === 20)).toBe(true);
    const p = ps[0]!;
    const done = await decideMergeProposal(w.svc, w.actors.admin, p.id, { decision: 'accept' });
    expect(done.resultVisitId).not.toBeNull();
    const visits = await listJointVisits(w.svc, w.actors.jyj, 2028);
    expect(visits).toHaveLength(1);
    expect(visits[0]!.entityId).toBe(p.entityId);
    expect(visits[0]!.targets.map((t) => t.departmentId).sort()).toEqual([w.dept.scjg, w.dept.jyj].sort());
    // both departments enter on the joint visit's entity; on another entity both enter separately
    const other = jyjTargets.find((t) => t.entityId !== p.entityId)!;
    const pick = (ts: typeof scjgTargets, e: number) => ts.find((t) => t.entityId === e)!.id;
    await enterResults(w.svc, w.actors.scjg, [
      { targetId: pick(scjgTargets, p.entityId!), input: { ...ok, inspectedOn: '2028-04-22' } },
      { targetId: pick(scjgTargets, other.entityId), input: { ...ok, inspectedOn: '2028-03-05' } },
    ]);
    await enterResults(w.svc, w.actors.jyj, [
      { targetId: pick(jyjTargets, p.entityId!), input: { ...ok, inspectedOn: '2028-04-22' } },
      { targetId: other.id, input: { ...ok, inspectedOn: '2028-04-25' } },
    ]);
    const d = await dashboard(w.svc, w.actors.leader, 2028);
    expect(d).toMatchObject({
      tasks: 2,
      jointTasks: 0,
      targets: 45,
      jointTargets: 0,
      inspectedEntities: 2,
      jointEntities: 1,
      jointVisits: 1,
      jointShare: 0.5,
    });
    expect(d.byDepartment.map((x) => [x.departmentId, x.inspectedEntities, x.jointEntities])).toEqual([
      [w.dept.scjg, 2, 1],
      [w.dept.jyj, 2, 1],
      [w.dept.wlj, 0, 0],
    ]);
    // visited: their proposals no longer hold
    expect(await detectMergeProposals(w.svc, w.actors.admin, 2028)).toMatchObject({ proposed: 13, stale: 1 });
    const b = await jointBurden(w.svc, w.actors.leader, 2028, { limit: 3 });
    expect(b).toMatchObject({
      year: 2028,
      entities: 30,
      visits: 44,
      departmentVisits: 45,
      saved: 1,
      maxVisits: 2,
      distribution: [
        { visits: 1, entities: 16 },
        { visits: 2, entities: 14 },
      ],
    });
    expect(b.visitsPerEntity).toBeCloseTo(44 / 30, 3);
    expect(b.perEntity).toHaveLength(3);
    expect(b.perEntity[0]).toMatchObject({ visits: 2, departmentVisits: 2, saved: 0 });
    expect(await jointBurden(w.svc, w.actors.leader, 2028, { entityId: p.entityId! })).toMatchObject({
      entities: 1,
      visits: 1,
      departmentVisits: 2,
      saved: 1,
    });
    // 2026: the joint task's 6 targets, two departments on each
    expect(await jointBurden(w.svc, w.actors.leader, 2026)).toMatchObject({
      entities: 6,
      visits: 6,
      departmentVisits: 12,
      saved: 6,
    });
    expect(await verifyAuditChainAll(w.svc)).toMatchObject({ ok: true });
  });
});
