/**
 * Results that close the loop (issue 9 §4), through the services on both databases: per-item
 * results, follow-ups with their working-day deadlines, the department's review with a reason the
 * enterer answers, the joint office's publication, corrections that stay public, attachments, and
 * the timeliness indicator. Dates on the official calendar: 2026-03-16 + 20 working days =
 * 2026-04-14 (清明 2026-04-04..06 off), + 10 working days = 2026-03-30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditEvents } from '@choucha/db';
import { ANONYMOUS } from '../../context.ts';
import { openTestWorld, type TestWorld } from '../../testing.ts';
import {
  addAttachment,
  approveResults,
  commitDraw,
  completeFollowUp,
  correctResult,
  createTask,
  enterResult,
  getAttachment,
  getResult,
  getTask,
  listFollowUps,
  listForReview,
  listMyTargets,
  publicityTimeliness,
  publicResults,
  publishResults,
  rejectResult,
  revealDraw,
} from '../../index.ts';

let w: TestWorld;
let taskId: number;
let mine: number; // a target whose team holds inspector1
let other: number;
let first: number; // its result
const PDF = Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\n%%EOF\n', 'latin1');

beforeAll(async () => {
  w = await openTestWorld({ entities: 30 });
  taskId = await createTask(w.svc, w.actors.scjg, {
    name: '食品经营与企业公示联合事项抽查',
    itemIds: [w.itemIds.scjg[0]!, w.itemIds.scjg[1]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { ratio: 0.2 },
  });
  const d = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
  await revealDraw(w.svc, w.actors.scjg, d.id, { dice: '27182818284590452353' });
  const targets = (await getTask(w.svc, w.actors.scjg, taskId)).draws[0]!.targets;
  const on = (t: (typeof targets)[number]) => t.team.some((m) => m.inspectorId === w.inspectorIds.scjg[0]);
  mine = targets.find(on)!.id;
  other = targets.find((t) => t.id !== mine)!.id;
  w.setNow('2026-03-16T08:00:00Z');
});
afterAll(async () => {
  await w?.cleanup();
});

const both = (a: '合格' | '不合格', b: '合格' | '不合格') => [
  { itemId: w.itemIds.scjg[0]!, outcome: a },
  {
    itemId: w.itemIds.scjg[1]!,
    outcome: b,
    ...(b === '不合格' ? { codes: ['未按规定公示应当公示的信息'] } : {}),
  },
];

describe('per-item results and follow-ups', () => {
  it('refuses an incomplete, foreign or contradictory item list and missing follow-up details', async () => {
    const base = { codes: ['发现问题待后续处理'], followUps: [], inspectedOn: '2026-03-16' };
    await expect(
      enterResult(w.svc, w.actors.inspector, mine, { ...base, items: both('合格', '合格').slice(0, 1) }),
    ).rejects.toMatchObject({ code: 'RESULT_ITEMS_INCOMPLETE' });
    await expect(
      enterResult(w.svc, w.actors.inspector, mine, {
        ...base,
        items: [...both('合格', '合格'), { itemId: w.itemIds.jyj[0]!, outcome: '合格' }],
      }),
    ).rejects.toMatchObject({ code: 'RESULT_ITEM_NOT_CITED' });
    await expect(
      enterResult(w.svc, w.actors.inspector, mine, {
        ...base,
        codes: ['未发现问题'],
        items: both('合格', '不合格'),
      }),
    ).rejects.toMatchObject({ code: 'RESULT_ITEM_CODES_CONFLICT' });
    await expect(
      enterResult(w.svc, w.actors.inspector, mine, {
        ...base,
        followUps: ['责令改正'],
        items: both('合格', '不合格'),
      }),
    ).rejects.toMatchObject({ code: 'RESULT_FOLLOW_UP_DUE_REQUIRED' });
    await expect(
      enterResult(w.svc, w.actors.inspector, mine, {
        ...base,
        followUps: ['移送案件线索'],
        items: both('合格', '不合格'),
      }),
    ).rejects.toMatchObject({ code: 'RESULT_FOLLOW_UP_RECEIVER_REQUIRED' });
  });

  it('stores a result per item and tracks each follow-up with its deadline', async () => {
    const r = await enterResult(w.svc, w.actors.inspector, mine, {
      codes: ['发现问题待后续处理', '未按规定公示应当公示的信息'],
      followUps: ['责令改正', '列入经营异常名录', '移送案件线索'],
      followUpDetails: [
        { action: '责令改正', dueOn: '2026-03-31' },
        { action: '移送案件线索', receivingDepartment: '区城管局' },
      ],
      items: both('合格', '不合格'),
      inspectedOn: '2026-03-16',
    });
    first = r.id;
    expect(r).toMatchObject({ status: 'submitted', version: 1, response: null });
    const d = await getResult(w.svc, w.actors.inspector, first);
    expect(d.items.map((i) => [i.itemId, i.outcome, i.codes])).toEqual([
      [w.itemIds.scjg[0], '合格', []],
      [w.itemIds.scjg[1], '不合格', ['未按规定公示应当公示的信息']],
    ]);
    expect(d.deadline).toEqual({ dueOn: '2026-04-14', state: 'ok', remaining: 20 });
    expect(d.followUpActions.map((f) => [f.action, f.state, f.dueOn, f.receivingDepartment])).toEqual([
      ['责令改正', 'open', '2026-03-31', null],
      ['列入经营异常名录', 'open', '2026-03-30', null],
      ['移送案件线索', 'open', null, '区城管局'],
    ]);
    // 发现问题经责令已改正: the order to correct is complied with on the spot
    const r2 = await enterResult(w.svc, w.actors.scjg, other, {
      codes: ['发现问题经责令已改正'],
      followUps: ['责令改正'],
      items: both('合格', '不合格'),
      inspectedOn: '2026-03-16',
    });
    expect((await getResult(w.svc, w.actors.scjg, r2.id)).followUpActions).toMatchObject([
      { action: '责令改正', state: 'done', recheckOn: '2026-03-16', recheckResult: '已改正', deadline: null },
    ]);
  });

  it('lists the open follow-ups by deadline and completes them with a re-check', async () => {
    w.setNow('2026-03-26T02:00:00Z');
    const open = await listFollowUps(w.svc, w.actors.scjg);
    expect(open.items.map((f) => [f.action, f.deadline])).toEqual([
      ['列入经营异常名录', { state: 'due_soon', remaining: 2 }],
      ['责令改正', { state: 'due_soon', remaining: 3 }],
      ['移送案件线索', null],
    ]);
    expect((await listFollowUps(w.svc, w.actors.jyj)).items).toEqual([]);
    const order = open.items.find((f) => f.action === '责令改正')!;
    await expect(completeFollowUp(w.svc, w.actors.scjg, order.id, {})).rejects.toMatchObject({
      code: 'FOLLOW_UP_RECHECK_REQUIRED',
    });
    await expect(
      completeFollowUp(w.svc, w.actors.jyj, order.id, { recheckOn: '2026-03-26', recheckResult: '已改正' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
    expect(
      await completeFollowUp(w.svc, w.actors.inspector, order.id, {
        recheckOn: '2026-03-26',
        recheckResult: '已改正',
      }),
    ).toMatchObject({ state: 'done', recheckResult: '已改正' });
    await expect(
      completeFollowUp(w.svc, w.actors.inspector, order.id, {
        recheckOn: '2026-03-26',
        recheckResult: '已改正',
      }),
    ).rejects.toMatchObject({ code: 'FOLLOW_UP_DONE' });
    w.setNow('2026-03-31T02:00:00Z');
    expect(
      (await listFollowUps(w.svc, w.actors.admin, { deadline: 'overdue' })).items.map((f) => [
        f.action,
        f.deadline,
      ]),
    ).toEqual([['列入经营异常名录', { state: 'overdue', remaining: -1 }]]);
  });
});

describe('attachments: in the database, limited, never public', () => {
  it('accepts a PDF by its bytes and refuses other types and oversize files', async () => {
    const a = await addAttachment(w.svc, w.actors.inspector, first, {
      fileName: 'C:\\fake\\检查记录表.pdf',
      data: PDF,
    });
    expect(a).toMatchObject({ fileName: '检查记录表.pdf', mimeType: 'application/pdf', size: PDF.length });
    await expect(
      addAttachment(w.svc, w.actors.inspector, first, {
        fileName: 'photo.jpg',
        data: Buffer.from('MZ\u0090\u0000'),
      }),
    ).rejects.toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED' });
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    PDF.copy(big);
    await expect(
      addAttachment(w.svc, w.actors.inspector, first, { fileName: 'big.pdf', data: big }),
    ).rejects.toMatchObject({ code: 'ATTACHMENT_TOO_LARGE' });
    // the total per result (50 MB; here scaled down to 5 files of 1 000 bytes): four more fit, a fifth does not
    const limits = { file: 1000, total: 5000 };
    const kb = big.subarray(0, 1000);
    for (let i = 0; i < 4; i++)
      await addAttachment(w.svc, w.actors.scjg, first, { fileName: `p${i}.pdf`, data: kb }, limits);
    await expect(
      addAttachment(w.svc, w.actors.scjg, first, { fileName: 'p5.pdf', data: kb }, limits),
    ).rejects.toMatchObject({ code: 'ATTACHMENTS_TOTAL_TOO_LARGE' });
    const got = await getAttachment(w.svc, w.actors.leader, a.id);
    expect(got.data.equals(PDF)).toBe(true);
    await expect(getAttachment(w.svc, w.actors.jyj, a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getAttachment(w.svc, ANONYMOUS, a.id)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await expect(
      addAttachment(w.svc, w.actors.jyj, first, { fileName: 'x.pdf', data: PDF }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
    expect((await getResult(w.svc, w.actors.scjg, first)).attachments).toHaveLength(5);
  });
});

describe('review: the department approves or sends back, the joint office publishes', () => {
  it('sends a result back with a reason the enterer sees and must answer', async () => {
    await expect(rejectResult(w.svc, w.actors.jyj, first, '照片不清')).rejects.toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    await expect(rejectResult(w.svc, w.actors.inspector, first, '照片不清')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(rejectResult(w.svc, w.actors.scjg, first, '  ')).rejects.toMatchObject({
      code: 'RESULT_REJECT_NOTE_REQUIRED',
    });
    await rejectResult(w.svc, w.actors.scjg, first, '第二项不合格的依据未写明');
    const seen = (await listMyTargets(w.svc, w.actors.inspector)).find((t) => t.targetId === mine)!;
    expect(seen).toMatchObject({
      resultStatus: 'rejected',
      resultId: first,
      reviewNote: '第二项不合格的依据未写明',
    });
    const again = {
      codes: ['发现问题待后续处理', '未按规定公示应当公示的信息'],
      followUps: ['列入经营异常名录', '移送案件线索'],
      followUpDetails: [{ action: '移送案件线索', receivingDepartment: '区城管局' }],
      items: both('合格', '不合格'),
      inspectedOn: '2026-03-16',
    };
    await expect(enterResult(w.svc, w.actors.inspector, mine, again)).rejects.toMatchObject({
      code: 'RESULT_RESPONSE_REQUIRED',
    });
    const r = await enterResult(w.svc, w.actors.inspector, mine, {
      ...again,
      response: '已补充：未按规定公示2025年度报告',
    });
    expect(r).toMatchObject({
      status: 'submitted',
      reviewNote: '第二项不合格的依据未写明',
      response: '已补充：未按规定公示2025年度报告',
    });
    // the completed 责令改正 stays done; the other open ones are as entered again
    expect(
      (await getResult(w.svc, w.actors.scjg, first)).followUpActions.map((f) => [f.action, f.state]),
    ).toEqual([
      ['责令改正', 'done'],
      ['列入经营异常名录', 'open'],
      ['移送案件线索', 'open'],
    ]);
  });

  it('filters the queue by department, task and deadline, most urgent first', async () => {
    w.setNow('2026-04-10T02:00:00Z');
    const q = await listForReview(w.svc, w.actors.scjg, { taskId });
    expect(q.items.map((x) => [x.resultId, x.deadline])).toEqual([
      [first, { dueOn: '2026-04-14', state: 'due_soon', remaining: 2 }],
      [first + 1, { dueOn: '2026-04-14', state: 'due_soon', remaining: 2 }],
    ]);
    expect(q.items[0]).toMatchObject({ response: '已补充：未按规定公示2025年度报告', attachments: 5 });
    expect((await listForReview(w.svc, w.actors.scjg, { deadline: 'ok' })).items).toEqual([]);
    expect((await listForReview(w.svc, w.actors.jyj, {})).items).toEqual([]);
    expect((await listForReview(w.svc, w.actors.admin, { departmentId: w.dept.jyj })).items).toEqual([]);
    await expect(listForReview(w.svc, w.actors.leader)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('approves in bulk, publishes, counts timeliness; a late one counts as late', async () => {
    await expect(publishResults(w.svc, w.actors.scjg, [first])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const approved = await approveResults(w.svc, w.actors.scjg, [first]);
    expect(approved.map((r) => r.status)).toEqual(['approved']);
    await expect(approveResults(w.svc, w.actors.scjg, [first])).rejects.toMatchObject({
      code: 'RESULT_STATE',
    });
    await publishResults(w.svc, w.actors.admin, [first]);
    await expect(
      addAttachment(w.svc, w.actors.scjg, first, { fileName: 'late.pdf', data: PDF }),
    ).rejects.toMatchObject({ code: 'RESULT_PUBLISHED' });
    w.setNow('2026-04-20T02:00:00Z');
    expect(await publicityTimeliness(w.svc, w.actors.leader, 2026)).toMatchObject({
      published: 1,
      onTime: 1,
      late: 0,
      overdueOpen: 1,
      rate: 1,
    });
    const overdue = await listForReview(w.svc, w.actors.scjg, { deadline: 'overdue' });
    expect(overdue.items.map((x) => [x.resultId, x.deadline.state, x.deadline.remaining])).toEqual([
      [first + 1, 'overdue', -4],
    ]);
    await publishResults(w.svc, w.actors.admin, [first + 1]);
    expect(await publicityTimeliness(w.svc, w.actors.leader, 2026)).toMatchObject({
      published: 2,
      onTime: 1,
      late: 1,
      overdueOpen: 0,
      rate: 0.5,
      byDepartment: [{ departmentId: w.dept.scjg, published: 2, onTime: 1, late: 1 }],
    });
  });

  it('corrects a published result by a new public version with its reason', async () => {
    await expect(
      enterResult(w.svc, w.actors.scjg, mine, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-03-16',
      }),
    ).rejects.toMatchObject({ code: 'RESULT_PUBLISHED' });
    const fix = { reason: '录入错误：企业已按期公示', codes: ['发现问题经责令已改正'], followUps: [] };
    await expect(correctResult(w.svc, w.actors.scjg, first, fix)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(correctResult(w.svc, w.actors.admin, first, { ...fix, reason: ' ' })).rejects.toMatchObject({
      code: 'RESULT_CORRECTION_REASON_REQUIRED',
    });
    const c = await correctResult(w.svc, w.actors.admin, first, fix);
    expect(c).toMatchObject({ version: 2, reason: '录入错误：企业已按期公示' });
    const pub = await publicResults(w.svc, { page: 1, pageSize: 50 });
    const row = pub.items.find((x) => x.id === first)!;
    expect(row.codes).toEqual(['发现问题经责令已改正']);
    expect(row.corrections).toEqual([
      { version: 2, reason: '录入错误：企业已按期公示', correctedAt: c.correctedAt },
    ]);
    expect(JSON.stringify(pub)).not.toMatch(/检查记录表|attachment/);
    const d = await getResult(w.svc, w.actors.scjg, first);
    expect(d).toMatchObject({ status: 'published', version: 2 });
    expect(d.corrections[0]!.before).toMatchObject({
      codes: ['发现问题待后续处理', '未按规定公示应当公示的信息'],
    });
    const events = await w.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'result'), eq(auditEvents.subjectId, String(first))))
      .orderBy(asc(auditEvents.seq));
    expect(events.map((e) => e.action)).toEqual([
      'result.enter',
      'result.attachment.add',
      'result.attachment.add',
      'result.attachment.add',
      'result.attachment.add',
      'result.attachment.add',
      'result.reject',
      'result.update',
      'result.approve',
      'result.publish',
      'result.correct',
    ]);
  });
});
