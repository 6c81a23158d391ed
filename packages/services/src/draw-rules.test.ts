/**
 * The roster rules that depend on history (docs/architecture.md, "A draw"): the cool-down (an entity
 * inspected by the department for the same item within 6 months is left out) and the yearly cap
 * (at most 3 draws of one entity per calendar year, across all departments). Exact outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items } from '@choucha/db';
import { eq } from 'drizzle-orm';
import { openTestWorld, type TestWorld } from './testing.ts';
import { commitDraw, DRAW_RULES, listDrawExclusions, previewDraw, revealDraw } from './draws.ts';
import { createTask, type CreateTaskInput } from './tasks.ts';
import type { Actor } from './context.ts';

const DICE = '16180339887498948482'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)
let w: TestWorld;

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

function task(
  actor: Actor,
  input: Partial<CreateTaskInput> & Pick<CreateTaskInput, 'itemIds' | 'windowStart'>,
) {
  return createTask(w.svc, actor, {
    name: `规则测试 ${input.windowStart}`,
    jointDepartmentIds: [],
    windowEnd: input.windowStart.replace(/-\d\d$/, '-28'),
    sampling: { ratio: 1 },
    ...input,
  });
}

async function drawAll(actor: Actor, taskId: number) {
  const d = await commitDraw(w.svc, actor, taskId, { seedSource: { dice: true } });
  return revealDraw(w.svc, actor, d.id, { dice: DICE });
}

const reasons = (p: Awaited<ReturnType<typeof previewDraw>>) =>
  Object.fromEntries(p.exclusionsByReason.map((r) => [r.reason, r.count]));

describe('cool-down', () => {
  let drawnIds: number[];

  it('leaves out what the department drew for the same item within 6 months, naming the earlier task', async () => {
    expect(DRAW_RULES.coolDownMonths).toBe(6);
    // 10 % of the 30 entities on 张家村街道: 3 drawn in March
    const march = await task(w.actors.scjg, {
      name: '三月食品检查',
      itemIds: [w.itemIds.scjg[0]!],
      windowStart: '2026-03-10',
      scope: { streets: ['张家村街道'] },
      sampling: { ratio: 0.1 },
    });
    const drawn = await drawAll(w.actors.scjg, march);
    drawnIds = drawn.targets.map((t) => t.entityId).sort((a, b) => a - b);
    expect(drawnIds).toHaveLength(3);
    // a task with the same item in May: those 3 are left out of the 60
    const may = await task(w.actors.scjg, { itemIds: [w.itemIds.scjg[0]!], windowStart: '2026-05-01' });
    const p = await previewDraw(w.svc, w.actors.scjg, may);
    expect(p).toMatchObject({ rosterSize: 57, excluded: 3, targets: 57 });
    expect(reasons(p)).toEqual({ 'cool-down': 3 });
    const d = await commitDraw(w.svc, w.actors.scjg, may, { seedSource: { dice: true } });
    expect(d.rosterSize).toBe(57);
    const ex = await listDrawExclusions(w.svc, w.actors.scjg, d.id);
    expect(ex.map((e) => e.entityId).sort((a, b) => a - b)).toEqual(drawnIds);
    for (const e of ex) {
      expect(e.reason).toBe(
        'cool-down: inspected for the same item in "三月食品检查" (2026-03-10), within 6 months',
      );
    }
  });

  it('does not apply to another item, nor once the 6 months have passed', async () => {
    const otherItem = await task(w.actors.scjg, { itemIds: [w.itemIds.scjg[1]!], windowStart: '2026-05-01' });
    expect(await previewDraw(w.svc, w.actors.scjg, otherItem)).toMatchObject({ rosterSize: 60, excluded: 0 });
    // 6 months of 30.44 days before 2026-09-09 is 2026-03-10, the March task's start: still cooling
    const last = await task(w.actors.scjg, { itemIds: [w.itemIds.scjg[0]!], windowStart: '2026-09-09' });
    expect(reasons(await previewDraw(w.svc, w.actors.scjg, last))).toEqual({ 'cool-down': 3 });
    const after = await task(w.actors.scjg, { itemIds: [w.itemIds.scjg[0]!], windowStart: '2026-09-10' });
    expect(await previewDraw(w.svc, w.actors.scjg, after)).toMatchObject({ rosterSize: 60, excluded: 0 });
  });

  it("does not apply to another department's draws", async () => {
    // the education bureau's own directory: the 15 entities it co-supervises (every 4th)
    const jyj = await task(w.actors.jyj, { itemIds: [w.itemIds.jyj[0]!], windowStart: '2026-05-01' });
    expect(await previewDraw(w.svc, w.actors.jyj, jyj)).toMatchObject({ rosterSize: 15, excluded: 0 });
  });
});

describe('yearly cap', () => {
  it('leaves out an entity drawn 3 times this year by any departments, and only this year', async () => {
    expect(DRAW_RULES.yearlyCap).toBe(3);
    const w2 = await openTestWorld({ entities: 60 });
    try {
      const t = (actor: Actor, itemIds: number[], windowStart: string) =>
        createTask(w2.svc, actor, {
          name: `上限 ${windowStart}`,
          itemIds,
          jointDepartmentIds: [],
          windowStart,
          windowEnd: windowStart.replace(/-\d\d$/, '-28'),
          sampling: { ratio: 1 },
        });
      const all = async (actor: Actor, id: number) => {
        const d = await commitDraw(w2.svc, actor, id, { seedSource: { dice: true } });
        return revealDraw(w2.svc, actor, d.id, { dice: DICE });
      };
      // every entity drawn by the market bureau for two different items (no cool-down between them) …
      expect(
        (await all(w2.actors.scjg, await t(w2.actors.scjg, [w2.itemIds.scjg[0]!], '2026-02-01'))).targets,
      ).toHaveLength(60);
      expect(
        (await all(w2.actors.scjg, await t(w2.actors.scjg, [w2.itemIds.scjg[1]!], '2026-03-01'))).targets,
      ).toHaveLength(60);
      // … and the education bureau's 15 once more: those 15 have reached the cap
      expect(
        (await all(w2.actors.jyj, await t(w2.actors.jyj, [w2.itemIds.jyj[0]!], '2026-04-01'))).targets,
      ).toHaveLength(15);
      const [first] = await w2.database.db.select().from(items).where(eq(items.id, w2.itemIds.scjg[0]!));
      const [fresh] = await w2.database.db
        .insert(items)
        .values({
          editionId: first!.editionId,
          departmentId: w2.dept.scjg,
          seq: 3,
          category: '市场监管',
          name: '广告发布行为检查',
          methods: ['现场检查'],
          scope: {},
        })
        .returning({ id: items.id });
      const fourth = await t(w2.actors.scjg, [fresh!.id], '2026-06-01');
      const p = await previewDraw(w2.svc, w2.actors.scjg, fourth);
      expect(p).toMatchObject({ rosterSize: 45, excluded: 15, targets: 45 });
      expect(reasons(p)).toEqual({ 'yearly cap': 15 });
      const d = await commitDraw(w2.svc, w2.actors.scjg, fourth, { seedSource: { dice: true } });
      const ex = await listDrawExclusions(w2.svc, w2.actors.scjg, d.id);
      expect(ex).toHaveLength(15);
      for (const e of ex) {
        expect(e.reason).toBe('yearly cap: already drawn 3 times in 2026 (cap 3 across all departments)');
      }
      // the co-supervised entities are every 4th of the world (i % 4 === 3)
      expect(ex.map((e) => w2.entityIds.indexOf(e.entityId) % 4)).toEqual(Array(15).fill(3));
      // next year counts afresh
      const nextYear = await t(w2.actors.scjg, [w2.itemIds.scjg[0]!], '2027-01-05');
      expect(await previewDraw(w2.svc, w2.actors.scjg, nextYear)).toMatchObject({
        rosterSize: 60,
        excluded: 0,
      });
    } finally {
      await w2.cleanup();
    }
  });
});
