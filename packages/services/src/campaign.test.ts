import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyBundleText } from '@choucha/core';
import { auditEvents } from '@choucha/db';
import { openTestWorld, type TestWorld } from './testing.ts';
import {
  commitDraw,
  createTask,
  dashboard,
  enterResult,
  enterResults,
  getTask,
  listForReview,
  publicDraw,
  publicResults,
  publishResult,
  publishResults,
  revealDraw,
  verifyAuditChainAll,
} from './index.ts';
import { bundleFileOf } from './campaigns/draw-test-support.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

const DICE = '31415926535897932384'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)

async function newTask(name = '2026年食品经营者双随机抽查') {
  return createTask(w.svc, w.actors.scjg, {
    name,
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { classes: { A: 0.05, B: 0.1, C: 0.5, D: 1 } },
  });
}

describe('the first campaign, end to end through the services', () => {
  let taskId: number;
  let drawId: number;

  it('creates a task citing an item from the list, and refuses items outside it', async () => {
    taskId = await newTask();
    await expect(
      createTask(w.svc, w.actors.scjg, {
        name: 'x',
        itemIds: [w.itemIds.jyj[0]!],
        jointDepartmentIds: [],
        windowStart: '2026-03-10',
        windowEnd: '2026-04-30',
        sampling: { ratio: 0.1 },
      }),
    ).rejects.toMatchObject({ code: 'ITEM_NOT_IN_LIST' });
    await expect(
      createTask(w.svc, w.actors.scjg, {
        name: 'x',
        itemIds: [w.itemIds.scjg[0]!],
        jointDepartmentIds: [],
        windowStart: '2026-03-10',
        windowEnd: '2026-04-30',
        sampling: { classes: { A: 0, B: 0.1 } },
      }),
    ).rejects.toMatchObject({ code: 'DRAW_RATIO_INVALID' });
  });

  it('hides the task from another department and refuses its changes', async () => {
    await expect(getTask(w.svc, w.actors.jyj, taskId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      commitDraw(w.svc, w.actors.jyj, taskId, { seedSource: { dice: true } }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    await expect(
      commitDraw(w.svc, w.actors.leader, taskId, { seedSource: { dice: true } }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('publishes a commitment that names no risk class, with its audit event', async () => {
    const draw = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    drawId = draw.id;
    expect(draw.status).toBe('committed');
    expect(draw.commitmentHash).toMatch(/^[0-9a-f]{64}$/);
    const record = JSON.parse(draw.commitment) as { strata: { label: string }[] };
    expect(record.strata.length).toBe(4);
    for (const s of record.strata) expect(s.label).toMatch(/^S[0-9a-f]{8}$/);
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'draw.commit'`);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ subjectId: String(drawId), actorName: 'scjg' });
    const pub = await publicDraw(w.svc, drawId);
    expect(JSON.stringify(pub)).not.toMatch(/"[ABCD]"/);
    expect(pub).toMatchObject({ stage: 'committed', attempt: 1, predecessor: null, supersededBy: null });
    // the public bundle exists from the commitment on, and verifies as committed
    const file = await bundleFileOf(w.svc, drawId);
    expect(verifyBundleText(file.text)).toMatchObject({ verdict: 'verified', stage: 'committed' });
  });

  it('refuses a short dice string, then draws and matches two inspectors per target', async () => {
    await expect(revealDraw(w.svc, w.actors.scjg, drawId, { dice: '12345' })).rejects.toMatchObject({
      code: 'DRAW_DICE_LENGTH',
    });
    const draw = await revealDraw(w.svc, w.actors.scjg, drawId, { dice: DICE });
    expect(draw.status).toBe('matched');
    // 60 entities, classes A/B/B/B/C/D: A 10 × 5 % → 1, B 30 × 10 % → 3, C 10 × 50 % → 5, D 10 × 100 % → 10
    expect(draw.targets.length).toBe(19);
    const strata = (JSON.parse(draw.commitment) as { strata: { population: number; size: number }[] }).strata
      .map((x) => [x.population, x.size])
      .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(strata).toEqual([
      [10, 1],
      [10, 5],
      [10, 10],
      [30, 3],
    ]);
    for (const t of draw.targets) {
      expect(t.team).toHaveLength(2);
      expect(new Set(t.team.map((m) => m.inspectorId)).size).toBe(2);
    }
    // the seed is fixed once entered
    await expect(revealDraw(w.svc, w.actors.scjg, drawId, { dice: DICE })).rejects.toMatchObject({
      code: 'DRAW_STATE',
    });
  });

  it('exports a bundle that verifies, and fails with one ticket changed', async () => {
    const { text, bundle } = await bundleFileOf<{ selection: { ticket: string }[] }>(w.svc, drawId);
    expect(verifyBundleText(text)).toMatchObject({ verdict: 'verified', stage: 'matched', targets: 19 });
    const forged = structuredClone(bundle);
    const first = forged.selection[0]!;
    // the last digit: the selection's order stays, the recomputed ticket differs
    first.ticket = first.ticket.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(verifyBundleText(JSON.stringify(forged))).toMatchObject({
      verdict: 'rejected',
      code: 'DRAW_BUNDLE_MISMATCH',
      path: '$.selection[0].ticket',
    });
  });

  it('needs a written reason for a redraw', async () => {
    await expect(
      commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } }),
    ).rejects.toMatchObject({
      code: 'DRAW_REDRAW_REASON_REQUIRED',
    });
  });

  it('lets only the team enter results; the joint office publishes; the public sees only published results', async () => {
    const task = await getTask(w.svc, w.actors.scjg, taskId);
    const targets = task.draws[0]!.targets;
    // 19 targets × 2 places over 6 inspectors, load-balanced: inspector1 is on some teams and not on others
    const mine = (t: (typeof targets)[number]) =>
      t.team.some((m) => m.inspectorId === w.inspectorIds.scjg[0]);
    const onTeam = targets.find(mine);
    const offTeam = targets.find((t) => !mine(t));
    expect(onTeam).toBeDefined();
    expect(offTeam).toBeDefined();
    // canEnter: the server's answer to "may this user enter the result", per target
    expect(targets.every((t) => t.canEnter)).toBe(true); // the lead department's admin
    const seen = (await getTask(w.svc, w.actors.inspector, taskId)).draws[0]!.targets;
    expect(seen.map((t) => [t.id, t.canEnter])).toEqual(targets.map((t) => [t.id, mine(t)]));
    const led = (await getTask(w.svc, w.actors.leader, taskId)).draws[0]!.targets;
    expect(led.filter((t) => t.canEnter)).toEqual([]);
    await expect(
      enterResult(w.svc, w.actors.inspector, offTeam!.id, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-03-15',
      }),
    ).rejects.toMatchObject({ code: 'RESULT_NOT_ON_TEAM' });
    const r1 = await enterResult(w.svc, w.actors.inspector, onTeam!.id, {
      codes: ['发现问题经责令已改正'],
      followUps: ['责令改正'],
      inspectedOn: '2026-03-15',
    });
    expect(r1).toMatchObject({ status: 'submitted', departmentId: w.dept.scjg });
    await expect(
      enterResult(w.svc, w.actors.scjg, offTeam!.id, {
        codes: ['未发现问题', '违反其他规定'],
        followUps: [],
        inspectedOn: '2026-03-15',
      }),
    ).rejects.toMatchObject({ code: 'RESULT_CODES_CONFLICT' });
    expect((await publicResults(w.svc, { page: 1, pageSize: 50 })).total).toBe(0);
    const queue = await listForReview(w.svc, w.actors.admin);
    expect(queue.items.map((q) => q.resultId)).toContain(r1.id);
    await expect(publishResult(w.svc, w.actors.scjg, r1.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await publishResult(w.svc, w.actors.admin, r1.id);
    const pub = await publicResults(w.svc, { page: 1, pageSize: 50 });
    expect(pub.total).toBe(1);
    expect(pub.items[0]).toMatchObject({ codes: ['发现问题经责令已改正'] });
    expect(JSON.stringify(pub)).not.toMatch(/riskClass|risk_class/);
    const dash = await dashboard(w.svc, w.actors.leader, 2026);
    const none = {
      tasks: 0,
      jointTasks: 0,
      targets: 0,
      jointTargets: 0,
      published: 0,
      inspectedEntities: 0,
      jointEntities: 0,
    };
    expect(dash).toEqual({
      year: 2026,
      years: [2026],
      today: '2026-03-01',
      tasks: 1,
      jointTasks: 0,
      targets: 19,
      jointTargets: 0,
      published: 1,
      pendingReview: 0,
      awaitingPublication: 0,
      problemsFound: 1,
      // one department's result on each entity: none inspected jointly
      inspectedEntities: 1,
      jointEntities: 0,
      jointVisits: 0,
      jointShare: 0,
      goals: { jointSharePercent: 8, jointObjects: 120 },
      // published on 1 March, within 20 working days of the inspection
      timeliness: { rate: 1, published: 1, onTime: 1, late: 0, corrections: 0 },
      overdue: { results: 0, tasks: 0 },
      // 18 targets without a result: the task's deadline, 30 April + 20 working days (劳动节)
      deadlines: [
        {
          kind: 'task',
          dueOn: '2026-06-01',
          state: 'ok',
          remaining: 63,
          taskId,
          taskName: '2026年食品经营者双随机抽查',
          departmentName: '区市场监管局',
          resultId: null,
          entityName: null,
          status: 'results',
          openTargets: 18,
        },
      ],
      byDepartment: [
        {
          departmentId: w.dept.scjg,
          departmentName: '区市场监管局',
          ...none,
          tasks: 1,
          targets: 19,
          published: 1,
          inspectedEntities: 1,
        },
        { departmentId: w.dept.jyj, departmentName: '区教育局', ...none },
        { departmentId: w.dept.wlj, departmentName: '区文化和旅游体育局', ...none },
      ],
      byMonth: [{ month: '2026-03', targets: 19, published: 1 }],
    });
    expect(await dashboard(w.svc, w.actors.leader, 2025)).toMatchObject({
      tasks: 0,
      targets: 0,
      byMonth: [],
    });
  });

  it('enters and publishes a batch in one transaction each, with one audit event per result', async () => {
    const task = await getTask(w.svc, w.actors.scjg, taskId);
    const open = task.draws[0]!.targets.filter((t) => t.results.length === 0);
    const before = await w.database.query<{ n: number }>(`select count(*)::int n from audit_events`);
    const entered = await enterResults(
      w.svc,
      w.actors.scjg,
      open.map((t) => ({
        targetId: t.id,
        input: { codes: ['未发现问题'], followUps: [], inspectedOn: '2026-03-16' },
      })),
    );
    await publishResults(
      w.svc,
      w.actors.admin,
      entered.map((r) => r.id),
    );
    const after = await w.database.query<{ n: number }>(`select count(*)::int n from audit_events`);
    expect(open).toHaveLength(18);
    expect(after[0]!.n - before[0]!.n).toBe(2 * open.length);
    expect((await getTask(w.svc, w.actors.scjg, taskId)).status).toBe('published');
    expect(await verifyAuditChainAll(w.svc)).toMatchObject({ ok: true });
    // 19 published, one of them with a finding; nothing waits for review
    expect(await dashboard(w.svc, w.actors.leader, 2026)).toMatchObject({
      targets: 19,
      published: 19,
      pendingReview: 0,
      problemsFound: 1,
      byMonth: [{ month: '2026-03', targets: 19, published: 19 }],
    });
  });

  it('keeps the audit chain intact, and finds an edited event', async () => {
    const ok = await verifyAuditChainAll(w.svc);
    expect(ok).toMatchObject({ ok: true, firstBad: null });
    const [events] = await w.database.query<{ n: number }>(`select count(*)::int n from audit_events`);
    expect(events!.n).toBeGreaterThan(40); // task, commit, reveal, 19 entries, 19 publications, …
    expect(ok.checked).toBe(events!.n);
    await w.database.query(`update audit_events set actor_name = 'mallory' where seq = 3`);
    const bad = await verifyAuditChainAll(w.svc);
    expect(bad).toMatchObject({ ok: false, firstBad: { seq: 3 } });
  });
});

describe('a redraw', () => {
  it('needs a written reason, supersedes the earlier draw for good, and is on the record', async () => {
    const taskId = await createTask(w.svc, w.actors.scjg, {
      name: '企业公示信息抽查（重抽）',
      itemIds: [w.itemIds.scjg[1]!],
      jointDepartmentIds: [],
      windowStart: '2026-06-01',
      windowEnd: '2026-06-30',
      sampling: { ratio: 0.1 },
    });
    const d1 = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    const drawn = await revealDraw(w.svc, w.actors.scjg, d1.id, { dice: DICE });
    expect(drawn.targets).toHaveLength(6); // 60 × 10 %
    for (const redrawReason of [undefined, '', '      ']) {
      await expect(
        commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true }, redrawReason }),
      ).rejects.toMatchObject({ code: 'DRAW_REDRAW_REASON_REQUIRED', details: { drawId: d1.id } });
    }
    const reason = '名录中6户已注销，按规定重新抽取';
    const d2 = await commitDraw(w.svc, w.actors.scjg, taskId, {
      seedSource: { dice: true },
      redrawReason: reason,
    });
    expect(d2).toMatchObject({ attempt: 2, status: 'committed', redrawReason: reason, seed: null });
    expect(d2.commitmentHash).not.toBe(d1.commitmentHash);
    // the attempt chain: the redraw's commitment names the first one
    expect(JSON.parse(d2.commitment)).toMatchObject({ attempt: 2, predecessor: d1.commitmentHash });
    expect(d2.predecessor).toEqual({ drawId: d1.id, commitmentHash: d1.commitmentHash });
    const task = await getTask(w.svc, w.actors.scjg, taskId);
    expect(task.status).toBe('committed');
    expect(task.draws.map((d) => [d.id, d.attempt, d.status])).toEqual([
      [d1.id, 1, 'superseded'],
      [d2.id, 2, 'committed'],
    ]);
    expect(task.targetCount).toBe(0); // the superseded draw's targets no longer count
    const [row] = await w.database.query<{ superseded_by: number }>(
      `select superseded_by from draws where id = $1`,
      [d1.id],
    );
    expect(row!.superseded_by).toBe(d2.id);
    // the superseded draw stays public and verifiable, marked as such; its targets take no results
    expect(await publicDraw(w.svc, d1.id)).toMatchObject({ id: d1.id, status: 'superseded', attempt: 1 });
    expect(verifyBundleText((await bundleFileOf(w.svc, d1.id)).text)).toMatchObject({
      verdict: 'verified',
      stage: 'matched',
      supersededBy: d2.commitmentHash,
    });
    await expect(
      enterResult(w.svc, w.actors.scjg, drawn.targets[0]!.id, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-06-05',
      }),
    ).rejects.toMatchObject({ code: 'RESULT_DRAW_SUPERSEDED' });
    // it cannot be revealed any more; the new commitment can
    await expect(revealDraw(w.svc, w.actors.scjg, d1.id, { dice: DICE })).rejects.toMatchObject({
      code: 'DRAW_STATE',
    });
    const redrawn = await revealDraw(w.svc, w.actors.scjg, d2.id, { dice: DICE });
    expect(redrawn.status).toBe('matched');
    expect(redrawn.targets).toHaveLength(6);
    expect(redrawn.seed).not.toBe(drawn.seed);
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'draw.recommit'`);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ subjectId: String(d2.id), actorName: 'scjg' });
    expect(ev[0]!.after).toMatchObject({ taskId, attempt: 2, redrawReason: reason });
    // the dashboard counts the live draw only: 19 of the first task + 6
    expect(await dashboard(w.svc, w.actors.leader, 2026)).toMatchObject({ tasks: 2, targets: 25 });
  });
});

describe('draw roster rules', () => {
  it('refuses an empty roster with a coded error', async () => {
    const id = await createTask(w.svc, w.actors.scjg, {
      name: '空范围',
      itemIds: [w.itemIds.scjg[1]!],
      jointDepartmentIds: [],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-30',
      scope: { streets: ['不存在的街道'] },
      sampling: { ratio: 0.1 },
    });
    await expect(commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: true } })).rejects.toMatchObject({
      code: 'DRAW_ROSTER_EMPTY',
    });
  });

  it('refuses a drand round whose randomness could already be known', async () => {
    const id = await newTask('drand');
    await expect(
      commitDraw(w.svc, w.actors.scjg, id, {
        seedSource: {
          dice: false,
          drand: {
            chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
            round: 1000,
          },
        },
      }),
    ).rejects.toMatchObject({ code: 'DRAW_BEACON_ROUND_TOO_SOON' });
  });
});
