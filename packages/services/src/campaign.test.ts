import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyBundle } from '@choucha/core';
import { auditEvents } from '@choucha/db';
import { openTestWorld, type TestWorld } from './testing.ts';
import {
  commitDraw,
  createTask,
  dashboard,
  drawBundle,
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

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

const DICE = '31415926535897932384626433';

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
  });

  it('refuses a short dice string, then draws and matches two inspectors per target', async () => {
    await expect(revealDraw(w.svc, w.actors.scjg, drawId, { dice: '12345' })).rejects.toMatchObject({
      code: 'DRAW_DICE_TOO_SHORT',
    });
    const draw = await revealDraw(w.svc, w.actors.scjg, drawId, { dice: DICE });
    expect(draw.status).toBe('matched');
    expect(draw.targets.length).toBeGreaterThan(0);
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
    const bundle = await drawBundle(w.svc, drawId, { publicView: true });
    expect(verifyBundle(bundle).ok).toBe(true);
    const forged = structuredClone(bundle);
    const first = forged.selection.find((s) => s.selected.length > 0)!.selected[0]!;
    first.ticket = first.ticket.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(verifyBundle(forged).ok).toBe(false);
  });

  it('needs a written reason for a redraw', async () => {
    await expect(
      commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } }),
    ).rejects.toMatchObject({
      code: 'DRAW_STATE',
    });
  });

  it('lets only the team enter results; the joint office publishes; the public sees only published results', async () => {
    const task = await getTask(w.svc, w.actors.scjg, taskId);
    const targets = task.draws[0]!.targets;
    const onTeam = targets.find((t) => t.team.some((m) => m.inspectorId === w.inspectorIds.scjg[0]));
    const offTeam = targets.find((t) => !t.team.some((m) => m.inspectorId === w.inspectorIds.scjg[0]));
    if (offTeam) {
      await expect(
        enterResult(w.svc, w.actors.inspector, offTeam.id, {
          codes: ['未发现问题'],
          followUps: [],
          inspectedOn: '2026-03-15',
        }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const first = targets[0]!;
    const r1 = await enterResult(w.svc, onTeam ? w.actors.inspector : w.actors.scjg, (onTeam ?? first).id, {
      codes: ['发现问题经责令已改正'],
      followUps: ['责令改正'],
      inspectedOn: '2026-03-15',
    });
    await expect(
      enterResult(w.svc, w.actors.scjg, first.id, {
        codes: ['未发现问题', '违反其他规定'],
        followUps: [],
        inspectedOn: '2026-03-15',
      }),
    ).rejects.toMatchObject({ code: 'RESULT_INVALID_CODE' });
    expect((await publicResults(w.svc, { page: 1, pageSize: 50 })).total).toBe(0);
    const queue = await listForReview(w.svc, w.actors.admin);
    expect(queue.map((q) => q.resultId)).toContain(r1.id);
    await expect(publishResult(w.svc, w.actors.scjg, r1.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await publishResult(w.svc, w.actors.admin, r1.id);
    const pub = await publicResults(w.svc, { page: 1, pageSize: 50 });
    expect(pub.total).toBe(1);
    expect(pub.items[0]).toMatchObject({ codes: ['发现问题经责令已改正'] });
    expect(JSON.stringify(pub)).not.toMatch(/riskClass|risk_class/);
    const dash = await dashboard(w.svc, w.actors.leader, 2026);
    expect(dash.tasks).toBe(1);
    expect(dash.published).toBe(1);
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
    expect(after[0]!.n - before[0]!.n).toBe(2 * open.length);
    expect((await getTask(w.svc, w.actors.scjg, taskId)).status).toBe('published');
    expect(await verifyAuditChainAll(w.svc)).toMatchObject({ ok: true });
  });

  it('keeps the audit chain intact, and finds an edited event', async () => {
    const ok = await verifyAuditChainAll(w.svc);
    expect(ok).toMatchObject({ ok: true, firstBad: null });
    expect(ok.checked).toBeGreaterThan(4);
    await w.database.query(`update audit_events set actor_name = 'mallory' where seq = 3`);
    const bad = await verifyAuditChainAll(w.svc);
    expect(bad).toMatchObject({ ok: false, firstBad: { seq: 3 } });
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
    ).rejects.toMatchObject({ code: 'DRAW_INPUT_INVALID' });
  });
});
