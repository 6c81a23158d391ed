/**
 * The draw lifecycle on protocol v2 (docs/specs/draw-protocol-v2.md): every stage's public bundle
 * (committed, infeasible, matched, superseded) and the full bundle verify with verifyBundleText; the
 * public one carries no stratum beside an entity and nothing of an inspector but a pseudonym; the
 * attempt chain and the audit anchor of the commitment; the seed source and the dice ceremony; who
 * may download the full bundle. Exact numbers on the 60-entity test world (classes A 10, B 30,
 * C 10, D 10; 6 + 4 inspectors; teams of 2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  verifyBundleText,
  type CommitmentRecordV2,
  type FullBundleV2,
  type PublicBundleV2,
} from '@choucha/core';
import { auditEvents, inspectorStatusPeriods } from '@choucha/db';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { commitDraw, escalateDraw, getDraw, revealDraw } from '../draws.ts';
import { createTask, type CreateTaskInput } from '../tasks.ts';
import { fullDrawBundle, publicDraw, publicDraws } from '../public.ts';
import { bundleText } from '../bundle-store.ts';
import type { Actor } from '../context.ts';
import { bundleFileOf, commitDrawV1ForTest } from './draw-test-support.ts';

const DICE = '27182818284590452353';
let w: TestWorld;

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

function input(over: Partial<CreateTaskInput> = {}): CreateTaskInput {
  return {
    name: '协议二测试',
    itemIds: [w.itemIds.scjg[1]!],
    jointDepartmentIds: [],
    windowStart: '2026-04-01',
    windowEnd: '2026-04-30',
    sampling: { ratio: 0.1 },
    ...over,
  };
}

const ceremony = {
  place: '区市场监管局三楼会议室',
  at: '2026-03-01T01:30:00+08:00',
  rolledBy: '张三（执法科）',
  witnesses: ['李四（区纪委监委派驻纪检组）', '王五（公证员）'],
};

/** Each pool inspector's carried load as committed (v2: the private matching record; v1: the commitment). */
async function poolLoads(drawId: number): Promise<Record<string, number>> {
  const [row] = await w.database.query<{ commitment: string; private_matching: unknown }>(
    `select commitment, private_matching from draws where id = $1`,
    [drawId],
  );
  const pm = row!.private_matching as { inspectors: { id: string; load: number }[] } | null;
  const list =
    pm?.inspectors ??
    (JSON.parse(row!.commitment) as { matching: { inspectors: { id: string; load: number }[] } }).matching
      .inspectors;
  return Object.fromEntries(list.map((i) => [i.id, i.load]));
}

/** The public bundle's JSON carries nothing secret: no label beside an entity, no inspector but pseudonyms. */
function expectNothingSecret(b: PublicBundleV2, labels: readonly string[]) {
  const { strata, ...commitment } = b.commitment;
  expect(strata.map((s) => s.label).sort()).toEqual([...labels].sort());
  const text = JSON.stringify({ ...b, commitment });
  for (const l of labels) expect(text).not.toContain(l);
  for (const word of [
    '"private"',
    '"openings"',
    '"salt"',
    'certificate',
    'unavailable',
    'recusals',
    '"fields"',
  ])
    expect(text).not.toContain(word);
  const realIds = [...w.inspectorIds.scjg, ...w.inspectorIds.jyj].map(String);
  for (const p of b.commitment.matching.pool) {
    expect(p.pseudonym).toMatch(/^[0-9a-f]{16}$/);
    expect(realIds).not.toContain(p.pseudonym);
  }
  for (const t of b.teams ?? [])
    for (const dt of t.teams) for (const i of dt.inspectors) expect(i).toMatch(/^[0-9a-f]{16}$/);
}

describe('a v2 draw, committed then matched', () => {
  let taskId: number;
  let drawId: number;

  it('commits to exact dice, anchors the audit chain, and publishes a committed bundle', async () => {
    taskId = await createTask(
      w.svc,
      w.actors.scjg,
      input({ itemIds: [w.itemIds.scjg[0]!], sampling: { classes: { A: 0.1, B: 0.1, C: 0.5, D: 1 } } }),
    );
    const d = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    drawId = d.id;
    expect(d).toMatchObject({ algorithmVersion: 'choucha-draw-v2', stage: 'committed', attempt: 1 });
    const record = JSON.parse(d.commitment) as CommitmentRecordV2;
    expect(record).toMatchObject({
      algorithm: 'choucha-draw-v2',
      attempt: 1,
      predecessor: null,
      seedSource: { dice: { digits: 20 }, drand: null },
      roster: { size: 60 },
    });
    // the audit anchor is the chain's head just before the draw.commit event
    const [ev] = await w.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'draw.commit'), eq(auditEvents.subjectId, String(drawId))));
    expect(record.audit).toEqual({ seq: ev!.seq - 1, hash: ev!.prevHash });
    expect(ev!.after).toMatchObject({ auditHead: record.audit, predecessor: null });
    const pub = await bundleFileOf<PublicBundleV2>(w.svc, drawId);
    expect(pub.bundle).toMatchObject({ view: 'public', stage: 'committed', seed: null, selection: null });
    expect(verifyBundleText(pub.text)).toMatchObject({
      verdict: 'verified',
      view: 'public',
      stage: 'committed',
      attempt: 1,
      predecessor: null,
    });
    const labels = Object.keys(d.stratumClasses ?? {});
    expect(labels).toHaveLength(4);
    expectNothingSecret(pub.bundle, labels);
    const full = await bundleFileOf<FullBundleV2>(w.svc, drawId, 'full');
    expect(verifyBundleText(full.text)).toMatchObject({
      verdict: 'verified',
      view: 'full',
      stage: 'committed',
    });
  });

  it('refuses dice of another length, then reveals with the ceremony on record', async () => {
    await expect(
      revealDraw(w.svc, w.actors.scjg, drawId, { dice: `${DICE}1`, ceremony }),
    ).rejects.toMatchObject({ code: 'DRAW_DICE_LENGTH' });
    await expect(
      revealDraw(w.svc, w.actors.scjg, drawId, { dice: DICE.slice(1), ceremony }),
    ).rejects.toMatchObject({ code: 'DRAW_DICE_LENGTH' });
    const d = await revealDraw(w.svc, w.actors.scjg, drawId, { dice: DICE, ceremony });
    expect(d).toMatchObject({ status: 'matched', stage: 'matched' });
    // A 10 × 10 % → 1, B 30 × 10 % → 3, C 10 × 50 % → 5, D 10 → 10
    expect(d.targets).toHaveLength(19);
    expect(d.targets.every((t) => t.phase === 0 && t.team.length === 2)).toBe(true);
    expect(d.ceremony).toEqual({ ...ceremony, at: '2026-02-28T17:30:00.000Z' });
    const p = await publicDraw(w.svc, drawId);
    expect(p.ceremony).toEqual(d.ceremony);
    expect(p).toMatchObject({ stage: 'matched', attempt: 1, predecessor: null, supersededBy: null });
    expect(p.targets).toHaveLength(19);
    for (const t of p.targets)
      expect(Object.keys(t).sort()).toEqual(['entityName', 'key', 'phase', 'ticket']);
    // in the public selection's order: by ticket (one phase)
    const tickets = p.targets.map((t) => t.ticket);
    expect(tickets).toEqual([...tickets].sort());
    expect(JSON.stringify(p)).not.toMatch(/"openings"|private_?matching|"salt"|"inspectors"/i);
  });

  it('the public bundle shows no class and no inspector; the full one verifies everything', async () => {
    const d = await getDraw(w.svc, w.actors.scjg, drawId);
    const labels = Object.keys(d.stratumClasses ?? {});
    const pub = await bundleFileOf<PublicBundleV2>(w.svc, drawId);
    expect(verifyBundleText(pub.text)).toMatchObject({
      verdict: 'verified',
      view: 'public',
      stage: 'matched',
      targets: 19,
      teams: 19,
      supersededBy: null,
    });
    expectNothingSecret(pub.bundle, labels);
    // the stored teams are the bundle's, under pseudonyms
    expect(pub.bundle.teams!.map((t) => t.key).sort()).toEqual(d.targets.map((t) => t.key).sort());
    const full = await bundleFileOf<FullBundleV2>(w.svc, drawId, 'full');
    expect(verifyBundleText(full.text)).toMatchObject({
      verdict: 'verified',
      view: 'full',
      stage: 'matched',
      targets: 19,
    });
    expect(full.bundle.private.matching.inspectors.map((i) => i.id)).toEqual(
      w.inspectorIds.scjg.map(String).sort(),
    );
    // the openings name each entity's stratum: 60 lines, the stored targets' labels among them
    const lines = full.bundle.private.openings.trimEnd().split('\n');
    expect(lines).toHaveLength(60);
    const labelOf = new Map(
      lines.map((l) => l.split('\t') as [string, string, string]).map((x) => [x[0], x[1]]),
    );
    for (const t of d.targets) expect(labelOf.get(t.key)).toBe(t.stratum);
    // the staff view keeps the labels and, for a department admin, their classes
    expect(Object.values(d.stratumClasses ?? {}).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect((await getDraw(w.svc, w.actors.inspector, drawId)).stratumClasses).toBeNull();
  });

  it('the full bundle is for the supervisor, the joint office and the task’s department only', async () => {
    const supervisor: Actor = {
      kind: 'user',
      id: w.actors.leader.id,
      username: 'supervisor',
      displayName: '监督员',
      role: 'supervisor',
      departmentId: null,
    };
    for (const a of [supervisor, w.actors.admin, w.actors.scjg]) {
      const text = await bundleText(await fullDrawBundle(w.svc, a, drawId));
      expect(verifyBundleText(text)).toMatchObject({ verdict: 'verified', view: 'full' });
    }
    await expect(fullDrawBundle(w.svc, w.actors.jyj, drawId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const a of [w.actors.inspector, w.actors.leader])
      await expect(fullDrawBundle(w.svc, a, drawId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('a redraw', () => {
  it('chains to the first attempt, which stays verifiable as superseded; its teams carry no load', async () => {
    const taskId = await createTask(w.svc, w.actors.scjg, input({ name: '重抽负荷' }));
    const d1 = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    const drawn = await revealDraw(w.svc, w.actors.scjg, d1.id, { dice: DICE });
    expect(drawn.status).toBe('matched');
    expect(drawn.targets).toHaveLength(6);
    expect(drawn.targets.flatMap((t) => t.team)).toHaveLength(12);
    const before = await poolLoads(d1.id);
    const d2 = await commitDraw(w.svc, w.actors.scjg, taskId, {
      seedSource: { dice: true },
      redrawReason: '名录有误，重新抽取',
    });
    // the superseded draw's 12 team places never count: the loads are the first draw's
    expect(await poolLoads(d2.id)).toEqual(before);
    // the first task above drew 19 targets with teams of 2 from the same 6 inspectors
    expect(Object.values(before).reduce((a, b) => a + b, 0)).toBe(38);
    const record = JSON.parse(d2.commitment) as CommitmentRecordV2;
    expect(record).toMatchObject({ attempt: 2, predecessor: d1.commitmentHash });
    expect(d2.predecessor).toEqual({ drawId: d1.id, commitmentHash: d1.commitmentHash });
    const old = await bundleFileOf<PublicBundleV2>(w.svc, d1.id);
    expect(old.bundle).toMatchObject({ stage: 'matched', supersededBy: d2.commitmentHash });
    expect(verifyBundleText(old.text)).toMatchObject({
      verdict: 'verified',
      stage: 'matched',
      supersededBy: d2.commitmentHash,
    });
    expect(verifyBundleText((await bundleFileOf(w.svc, d1.id, 'full')).text)).toMatchObject({
      verdict: 'verified',
      view: 'full',
      supersededBy: d2.commitmentHash,
    });
    expect(verifyBundleText((await bundleFileOf(w.svc, d2.id)).text)).toMatchObject({
      verdict: 'verified',
      stage: 'committed',
      attempt: 2,
      predecessor: d1.commitmentHash,
    });
    expect(await publicDraw(w.svc, d1.id)).toMatchObject({
      status: 'superseded',
      stage: 'matched',
      supersededBy: { drawId: d2.id, commitmentHash: d2.commitmentHash },
    });
    const listed = (await publicDraws(w.svc)).find((r) => r.id === d2.id);
    expect(listed).toMatchObject({
      attempt: 2,
      stage: 'committed',
      predecessor: { drawId: d1.id, commitmentHash: d1.commitmentHash },
      supersededBy: null,
    });
    // a committed-only attempt superseded in turn: committed, with supersededBy
    const d3 = await commitDraw(w.svc, w.actors.scjg, taskId, {
      seedSource: { dice: true },
      redrawReason: '再次重抽（测试）',
    });
    expect(verifyBundleText((await bundleFileOf(w.svc, d2.id)).text)).toMatchObject({
      verdict: 'verified',
      stage: 'committed',
      supersededBy: d3.commitmentHash,
    });
    expect(JSON.parse(d3.commitment)).toMatchObject({ attempt: 3, predecessor: d2.commitmentHash });
  });
});

describe('an infeasible matching', () => {
  it('stays drawn with its reasons, and its public and full bundles verify as infeasible', async () => {
    // three of the four education inspectors are on leave in November: a pool of 1 for teams of 2
    for (const id of w.inspectorIds.jyj.slice(1))
      await w.database.db
        .insert(inspectorStatusPeriods)
        .values({ inspectorId: id, status: 'leave', fromDate: '2026-11-01', toDate: '2026-11-30' });
    const taskId = await createTask(
      w.svc,
      w.actors.jyj,
      input({
        name: '不可匹配',
        itemIds: [w.itemIds.jyj[0]!],
        windowStart: '2026-11-02',
        windowEnd: '2026-11-20',
      }),
    );
    const c = await commitDraw(w.svc, w.actors.jyj, taskId, { seedSource: { dice: { digits: 24 } } });
    expect(JSON.parse(c.commitment).matching.pool).toHaveLength(1);
    await expect(
      revealDraw(w.svc, w.actors.jyj, c.id, { dice: '2718 2818 2845 9045 2353 6028' }),
    ).rejects.toMatchObject({ code: 'MATCH_INFEASIBLE' });
    const d = await getDraw(w.svc, w.actors.jyj, c.id);
    expect(d).toMatchObject({ status: 'drawn', stage: 'infeasible' });
    expect(c.rosterSize).toBe(15);
    expect(d.targets).toHaveLength(2); // 10 % of the 15 entities the education item covers, rounded up
    expect(d.targets.every((t) => t.team.length === 0)).toBe(true);
    const pub = await bundleFileOf<PublicBundleV2>(w.svc, c.id);
    expect(pub.bundle).toMatchObject({ stage: 'infeasible', teams: null });
    expect(pub.bundle.infeasible).toEqual(
      pub.bundle.selection!.map((t) => ({ key: t.key, department: String(w.dept.jyj) })),
    );
    for (const f of [pub, await bundleFileOf(w.svc, c.id, 'full')])
      expect(verifyBundleText(f.text)).toMatchObject({ verdict: 'verified', stage: 'infeasible' });
    expect(await publicDraw(w.svc, c.id)).toMatchObject({ status: 'drawn', stage: 'infeasible' });
  });
});

describe('inputs', () => {
  it('a seed source is mandatory; dice digits are 20 to 100; a digit count is exact', async () => {
    const id = await createTask(w.svc, w.actors.scjg, input({ name: '种子来源' }));
    await expect(commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: false } })).rejects.toMatchObject(
      {
        code: 'DRAW_INPUT_INVALID',
        details: { field: 'seedSource' },
      },
    );
    for (const digits of [19, 101, 20.5])
      await expect(
        commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: { digits } } }),
      ).rejects.toMatchObject({ code: 'DRAW_INPUT_INVALID', details: { field: 'seedSource.dice.digits' } });
    const c = await commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: { digits: 30 } } });
    expect(JSON.parse(c.commitment).seedSource).toEqual({ dice: { digits: 30 }, drand: null });
    await expect(revealDraw(w.svc, w.actors.scjg, c.id, { dice: DICE })).rejects.toMatchObject({
      code: 'DRAW_DICE_LENGTH',
    });
    const d = await revealDraw(w.svc, w.actors.scjg, c.id, { dice: `${DICE}0123456789` });
    expect(d.ceremony).toBeNull();
    expect(d.targets).toHaveLength(6);
  });

  it('the ceremony record is checked field by field (DRAW_CEREMONY_INVALID)', async () => {
    const id = await createTask(w.svc, w.actors.scjg, input({ name: '掷骰记录' }));
    const c = await commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: true } });
    const bad: [Record<string, unknown>, string][] = [
      [{ place: '  ' }, 'ceremony.place'],
      [{ place: 'x'.repeat(201) }, 'ceremony.place'],
      [{ rolledBy: '' }, 'ceremony.rolledBy'],
      [{ witnesses: [] }, 'ceremony.witnesses'],
      [{ witnesses: Array(11).fill('某人') }, 'ceremony.witnesses'],
      [{ witnesses: ['李四', ' '] }, 'ceremony.witnesses[1]'],
      [{ at: '2026-03-01 09:30' }, 'ceremony.at'],
      [{ at: '2026-03-02T00:00:00Z' }, 'ceremony.at'], // in the future (the clock is 2026-03-01T02:00Z)
      [{ at: 'not a time' }, 'ceremony.at'],
      // hostile text: NUL, a lone surrogate, a control character in a witness
      [{ place: '南院门\u0000街道' }, 'ceremony.place'],
      [{ rolledBy: '张\ud800三' }, 'ceremony.rolledBy'],
      [{ witnesses: ['李四\u0007'] }, 'ceremony.witnesses[0]'],
    ];
    for (const [over, field] of bad)
      await expect(
        revealDraw(w.svc, w.actors.scjg, c.id, {
          dice: DICE,
          ceremony: { ...ceremony, ...over } as typeof ceremony,
        }),
      ).rejects.toMatchObject({ code: 'DRAW_CEREMONY_INVALID', details: { field } });
    // 200 code points (not UTF-16 units) is the limit: 200 characters outside the BMP pass
    const d = await revealDraw(w.svc, w.actors.scjg, c.id, {
      dice: DICE,
      ceremony: { ...ceremony, place: '𠀀'.repeat(200), witnesses: ['  李四  '] },
    });
    expect(d.ceremony).toMatchObject({ place: '𠀀'.repeat(200), witnesses: ['李四'] });
  });
});

describe('a draw stored before v2 (choucha-draw-v1)', () => {
  it('is revealed, escalated and served on the v1 path, unchanged; its public page shows no stratum', async () => {
    const taskId = await createTask(
      w.svc,
      w.actors.scjg,
      input({ name: '协议一旧抽取', windowStart: '2026-08-01', windowEnd: '2026-08-31' }),
    );
    const id = await commitDrawV1ForTest(w.svc, taskId);
    // 26 digits: v1 committed a minimum, not an exact count
    const d = await revealDraw(w.svc, w.actors.scjg, id, { dice: '31415926535897932384626433' });
    expect(d).toMatchObject({ algorithmVersion: 'choucha-draw-v1', status: 'matched', stage: 'matched' });
    // 10 % of a roster that the cool-down of the draws above of the same item shortened
    expect(d.targets).toHaveLength(Math.ceil(d.rosterSize / 10));
    expect(d.targets).toHaveLength(5);
    expect(d.targets.every((t) => t.phase === null && t.stratum === 'ALL')).toBe(true);
    const e = await escalateDraw(w.svc, w.actors.scjg, id, { reason: '旧抽取追加', count: 2 });
    expect(e.targets).toHaveLength(7);
    const pub = await bundleFileOf<{ format: string; escalationRounds: unknown[] }>(w.svc, id);
    expect(pub.bundle).toMatchObject({ format: 'choucha-draw-bundle-v1', escalationRounds: [{ ALL: 2 }] });
    expect(verifyBundleText(pub.text)).toMatchObject({ verdict: 'verified', stage: 'matched-v1' });
    // a v1 bundle has one view: the full one is the same file
    expect((await bundleFileOf(w.svc, id, 'full')).text).toBe(pub.text);
    const p = await publicDraw(w.svc, id);
    expect(p).toMatchObject({ stage: 'matched', predecessor: null, supersededBy: null, ceremony: null });
    for (const t of p.targets) expect(t).not.toHaveProperty('stratum');
    // a redraw of it is v2 and names it as its predecessor
    const r = await commitDraw(w.svc, w.actors.scjg, taskId, {
      seedSource: { dice: true },
      redrawReason: '升级后重新抽取',
    });
    expect(JSON.parse(r.commitment)).toMatchObject({ attempt: 2, predecessor: d.commitmentHash });
    // the v1 bundle stays exactly as it was (v1 has no supersededBy)
    expect((await bundleFileOf(w.svc, id)).text).toBe(pub.text);
  });
});
