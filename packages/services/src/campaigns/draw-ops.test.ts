/**
 * The task form and draw operations (issue 9 §1 last bullet, §6): what 最多抽取户数 means, draft
 * edits and deletion, escalation (verified by the CLI and the Python verifier), the per-inspector
 * cap of one draw, and the public state of a task. Exact numbers on the 60-entity test world
 * (classes A 10, B 30, C 10, D 10).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import {
  matchInspectors,
  verifyBundleText,
  type CommitmentRecordV2,
  type FullBundleV2,
  type PublicBundleV2,
} from '@choucha/core';
import { auditEvents, inspectors, results, tasks } from '@choucha/db';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { commitDraw, escalateDraw, previewDraw, revealDraw } from '../draws.ts';
import { bundleFileOf } from './draw-test-support.ts';
import { createTask, getTask, type CreateTaskInput } from '../tasks.ts';
import { deleteTask, previewTaskSampling, updateTask } from './task-drafts.ts';
import { publicDraw, publicDraws } from '../public.ts';
import type { Actor } from '../context.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-draw-ops-'));
const DICE = '27182818284590452353'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)
let w: TestWorld;

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const ALL_CLASSES = { A: 1, B: 1, C: 1, D: 1 };
function input(over: Partial<CreateTaskInput> = {}): CreateTaskInput {
  return {
    name: '最多户数测试',
    itemIds: [w.itemIds.scjg[1]!],
    jointDepartmentIds: [],
    windowStart: '2026-04-01',
    windowEnd: '2026-04-30',
    sampling: { classes: ALL_CLASSES, max: 10, maxMode: 'total' },
    ...over,
  };
}
const sizesOf = (p: { strata: { riskClass: string; size: number | null }[] }) =>
  Object.fromEntries(p.strata.map((s) => [s.riskClass, s.size]));

async function drawAll(actor: Actor, taskId: number, maxLoad?: number) {
  const d = await commitDraw(w.svc, actor, taskId, { seedSource: { dice: true }, maxLoad });
  return revealDraw(w.svc, actor, d.id, { dice: DICE });
}

function verifyWithCli(text: string) {
  const file = path.join(tmp, `b-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, text);
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'apps/cli/bin/choucha.js'), 'verify', file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const py = spawnSync('python3', [path.join(ROOT, 'verifier/verify.py'), file], { encoding: 'utf8' });
  return { cli: cli.status, cliOut: cli.stdout, py: py.status, pyOut: py.stdout };
}

describe('what 最多抽取户数 means (maxMode)', () => {
  it('a user who typed 10 gets 10 in total; per class gives 40; the form previews it unsaved', async () => {
    const before = await w.database.db.select({ n: sql<number>`count(*)::int` }).from(tasks);
    const total = await previewTaskSampling(w.svc, w.actors.scjg, input());
    // 1 each, then 6 shared by 9:29:9:9 → A 2, B 4, C 2, D 2
    expect(sizesOf(total)).toEqual({ A: 2, B: 4, C: 2, D: 2 });
    expect(total).toMatchObject({ rosterSize: 60, targets: 10, maxMode: 'total', max: 10 });
    const per = await previewTaskSampling(
      w.svc,
      w.actors.scjg,
      input({ sampling: { classes: ALL_CLASSES, max: 10, maxMode: 'perClass' } }),
    );
    expect(sizesOf(per)).toEqual({ A: 10, B: 10, C: 10, D: 10 });
    expect(per.targets).toBe(40);
    // split by population (the same here: every ratio is 1)
    const split = await previewTaskSampling(
      w.svc,
      w.actors.scjg,
      input({ sampling: { classes: { A: 0.5, B: 0.1, C: 1, D: 1 }, max: 10, maxMode: 'split' } }),
    );
    // natural A 5, B 3, C 10, D 10; population shares A 2, B 4, C 2, D 2 → min → 2, 3, 2, 2
    expect(sizesOf(split)).toEqual({ A: 2, B: 3, C: 2, D: 2 });
    // nothing stored by the previews
    const after = await w.database.db.select({ n: sql<number>`count(*)::int` }).from(tasks);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('the commitment carries the per-stratum bounds and the draw gives exactly 10', async () => {
    const id = await createTask(w.svc, w.actors.scjg, input());
    const p = await previewDraw(w.svc, w.actors.scjg, id);
    expect(p.targets).toBe(10);
    const d = await drawAll(w.actors.scjg, id);
    expect(d.targets).toHaveLength(10);
    const record = JSON.parse(d.commitment) as CommitmentRecordV2;
    expect(record.strata.map((s) => s.size).sort()).toEqual([2, 2, 2, 4]);
    expect(record.strata.map((s) => s.max).sort()).toEqual([2, 2, 2, 4]);
    for (const view of ['public', 'full'] as const)
      expect(verifyBundleText((await bundleFileOf(w.svc, d.id, view)).text)).toMatchObject({
        verdict: 'verified',
        view,
        stage: 'matched',
        targets: 10,
      });
  });

  it('a maximum below the number of classes is refused, coded (不免抽)', async () => {
    const bad = input({ sampling: { classes: ALL_CLASSES, max: 3, maxMode: 'total' } });
    const p = await previewTaskSampling(w.svc, w.actors.scjg, bad);
    expect(p.problemCodes).toEqual(['SAMPLING_MAX_BELOW_CLASSES']);
    const id = await createTask(w.svc, w.actors.scjg, bad);
    await expect(commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: true } })).rejects.toMatchObject({
      code: 'SAMPLING_MAX_BELOW_CLASSES',
    });
    await deleteTask(w.svc, w.actors.scjg, id);
  });
});

describe('draft tasks: edit and delete before any commitment', () => {
  it('edits a draft (audited with before and after), deletes it, and refuses both once committed', async () => {
    const id = await createTask(w.svc, w.actors.scjg, input({ name: '草稿' }));
    await updateTask(w.svc, w.actors.scjg, id, {
      ...input({ name: '草稿（已改）', windowStart: '2026-05-01', windowEnd: '2026-05-31' }),
      itemIds: [w.itemIds.scjg[0]!],
      sampling: { ratio: 0.1, max: 5, maxMode: 'total', maxLoad: 3 },
    });
    const t = await getTask(w.svc, w.actors.scjg, id);
    expect(t).toMatchObject({ name: '草稿（已改）', windowStart: '2026-05-01', status: 'draft' });
    expect(t.items.map((i) => i.id)).toEqual([w.itemIds.scjg[0]!]);
    expect(t.sampling).toEqual({ ratio: 0.1, max: 5, maxMode: 'total', maxLoad: 3 });
    const [ev] = await w.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'task.update'), eq(auditEvents.subjectId, String(id))));
    expect((ev!.before as { name: string }).name).toBe('草稿');
    expect((ev!.after as { name: string; itemIds: number[] }).itemIds).toEqual([w.itemIds.scjg[0]!]);
    // another department may not edit it
    await expect(updateTask(w.svc, w.actors.jyj, id, input())).rejects.toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    await deleteTask(w.svc, w.actors.scjg, id);
    await expect(getTask(w.svc, w.actors.scjg, id)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    const del = await w.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'task.delete'), eq(auditEvents.subjectId, String(id))));
    expect(del).toHaveLength(1);

    const committed = await createTask(w.svc, w.actors.scjg, input({ name: '已承诺' }));
    await commitDraw(w.svc, w.actors.scjg, committed, { seedSource: { dice: true } });
    await expect(updateTask(w.svc, w.actors.scjg, committed, input())).rejects.toMatchObject({
      code: 'TASK_NOT_DRAFT',
    });
    await expect(deleteTask(w.svc, w.actors.scjg, committed)).rejects.toMatchObject({
      code: 'TASK_NOT_DRAFT',
    });
  });
});

describe('escalation (追加抽取)', () => {
  it('adds targets in two rounds without changing any existing team; CLI and Python verify', async () => {
    const id = await createTask(
      w.svc,
      w.actors.scjg,
      input({
        name: '追加抽取',
        itemIds: [w.itemIds.scjg[0]!],
        windowStart: '2026-06-01',
        windowEnd: '2026-06-30',
        sampling: { ratio: 0.1 },
      }),
    );
    const d = await drawAll(w.actors.scjg, id);
    expect(d.targets).toHaveLength(6); // 10 % of each class: 1 + 3 + 1 + 1
    const teamsBefore = Object.fromEntries(d.targets.map((t) => [t.key, t.team.map((m) => m.inspectorId)]));
    await expect(escalateDraw(w.svc, w.actors.scjg, d.id, { reason: ' ', count: 2 })).rejects.toMatchObject({
      code: 'DRAW_ESCALATION_REASON_REQUIRED',
    });
    await expect(
      escalateDraw(w.svc, w.actors.scjg, d.id, { reason: '线索', count: 55 }),
    ).rejects.toMatchObject({
      code: 'DRAW_ESCALATION_INVALID',
    });
    const e1 = await escalateDraw(w.svc, w.actors.scjg, d.id, { reason: '发现问题集中，扩大抽查', count: 3 });
    expect(e1.targets).toHaveLength(9);
    const label = e1.targets[0]!.stratum;
    const e2 = await escalateDraw(w.svc, w.actors.scjg, d.id, { reason: '第二轮', counts: { [label]: 2 } });
    expect(e2.targets).toHaveLength(11);
    expect(e2.escalationRounds?.map((r) => [r.reason, r.added])).toEqual([
      ['发现问题集中，扩大抽查', 3],
      ['第二轮', 2],
    ]);
    for (const t of e2.targets.filter((x) => x.key in teamsBefore))
      expect(t.team.map((m) => m.inspectorId)).toEqual(teamsBefore[t.key]);
    for (const t of e2.targets) expect(t.team).toHaveLength(2);
    const pub = await bundleFileOf<PublicBundleV2>(w.svc, d.id);
    // the public bundle shows only how many each round added, never its strata
    expect(pub.bundle.escalations).toEqual([3, 2]);
    expect(pub.bundle.teams).toHaveLength(11);
    expect(pub.bundle.selection!.map((s) => s.phase)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
    // a label is only in the commitment's strata (aggregates), never beside an entity or a round
    const { strata: _s, ...rest } = pub.bundle.commitment;
    expect(JSON.stringify({ ...pub.bundle, commitment: rest })).not.toContain(label);
    const full = await bundleFileOf<FullBundleV2>(w.svc, d.id, 'full');
    expect(full.bundle.private.escalations).toHaveLength(2);
    expect(full.bundle.private.escalations[1]).toEqual([{ label, extra: 2 }]);
    for (const f of [pub, full]) {
      expect(verifyBundleText(f.text)).toMatchObject({ verdict: 'verified', stage: 'matched', targets: 11 });
      const v = verifyWithCli(f.text);
      expect(v.cliOut).toContain('verified');
      expect(v.cli).toBe(0);
      expect(v.py).toBe(0);
    }
    const ev = await w.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'draw.escalate'));
    expect(ev).toHaveLength(2);
  });

  it('a draw that is only committed cannot be escalated', async () => {
    const id = await createTask(w.svc, w.actors.scjg, input({ name: '未抽取', sampling: { ratio: 0.1 } }));
    const d = await commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: true } });
    await expect(
      escalateDraw(w.svc, w.actors.scjg, d.id, { reason: '追加', count: 1 }),
    ).rejects.toMatchObject({
      code: 'DRAW_ESCALATION_STATE',
    });
  });
});

describe('per-inspector cap of one draw (maxLoad → rules.maxPerDraw)', () => {
  it('a fresh inspector takes most teams when prior load dominates, and 5 with a cap of 5', async () => {
    // every entity was drawn above at most twice (yearly cap 3); a new inspector has no load this year;
    // December: the April draw of the same item is out of the 6-month cool-down
    const [fresh] = await w.database.db
      .insert(inspectors)
      .values({
        departmentId: w.dept.scjg,
        name: '新监管员',
        certNo: 'SC-NEW',
        certValidTo: '2030-12-31',
        fields: ['食品'],
      })
      .returning({ id: inspectors.id });
    const id = await createTask(
      w.svc,
      w.actors.scjg,
      input({
        name: '负荷上限',
        windowStart: '2026-12-01',
        windowEnd: '2026-12-31',
        sampling: { ratio: 0.2, maxLoad: 5 },
      }),
    );
    const d = await drawAll(w.actors.scjg, id);
    expect(d.targets).toHaveLength(12);
    const onTeams = (teams: number[][]) => teams.filter((t) => t.includes(fresh!.id)).length;
    expect(onTeams(d.targets.map((t) => t.team.map((m) => m.inspectorId)))).toBe(5);
    const record = JSON.parse(d.commitment) as CommitmentRecordV2;
    expect(record.matching.rules.maxPerDraw).toBe(5);
    // the same inspectors without the cap (the v1 matcher on the private matching record): the fresh
    // inspector is on every team until his load reaches the others' (about 7 each from the earlier
    // draws, whose labels are random: not exact)
    const { bundle: b } = await bundleFileOf<FullBundleV2>(w.svc, d.id, 'full');
    const targets = b.selection!.map((e) => ({ key: e.key, ticket: e.ticket }));
    const priv = b.private.matching;
    const uncapped = matchInspectors(
      record.items,
      {
        inspection: record.matching.inspection,
        rules: { ...record.matching.rules, maxPerDraw: null },
        inspectors: priv.inspectors,
        recusals: priv.recusals,
        previous: priv.previous,
      },
      targets,
      b.seed!,
    );
    expect(uncapped.ok).toBe(true);
    const loads = priv.inspectors.map((i) => i.load);
    expect(Math.min(...loads)).toBe(0);
    expect(
      onTeams(
        uncapped.ok
          ? uncapped.value.teams.map((t) => t.teams.flatMap((x) => x.inspectorIds.map(Number)))
          : [],
      ),
    ).toBeGreaterThan(5);
    await expect(
      commitDraw(w.svc, w.actors.scjg, await createTask(w.svc, w.actors.scjg, input()), {
        seedSource: { dice: true },
        maxLoad: 0,
      }),
    ).rejects.toMatchObject({ code: 'DRAW_MAX_LOAD_INVALID' });
  });
});

describe('public state of a task', () => {
  it('committed → matched → results being entered → published → corrected', async () => {
    const id = await createTask(
      w.svc,
      w.actors.scjg,
      input({
        name: '公开状态',
        itemIds: [w.itemIds.scjg[0]!],
        windowStart: '2027-01-05',
        windowEnd: '2027-01-31',
        sampling: { ratio: 0.05 },
      }),
    );
    const c = await commitDraw(w.svc, w.actors.scjg, id, { seedSource: { dice: true } });
    expect((await publicDraw(w.svc, c.id)).taskState).toMatchObject({ state: 'committed', targets: 0 });
    const d = await revealDraw(w.svc, w.actors.scjg, c.id, { dice: DICE });
    expect(d.targets).toHaveLength(3); // 5 % of 60, one stratum
    expect((await publicDraw(w.svc, d.id)).taskState).toMatchObject({
      state: 'matched',
      targets: 3,
      published: 0,
    });
    const put = (targetId: number, status: 'submitted' | 'published') =>
      w.database.db.insert(results).values({
        targetId,
        taskId: id,
        departmentId: w.dept.scjg,
        codes: ['未发现问题'],
        inspectedOn: '2027-01-10',
        status,
        publishedAt: status === 'published' ? new Date('2027-01-12T02:00:00Z') : null,
      });
    await put(d.targets[0]!.id, 'submitted');
    expect((await publicDraw(w.svc, d.id)).taskState).toMatchObject({ state: 'entering', published: 0 });
    await w.database.db
      .update(results)
      .set({ status: 'published', publishedAt: new Date() })
      .where(eq(results.taskId, id));
    await put(d.targets[1]!.id, 'published');
    expect((await publicDraw(w.svc, d.id)).taskState).toMatchObject({ state: 'entering', published: 2 });
    await put(d.targets[2]!.id, 'published');
    expect((await publicDraw(w.svc, d.id)).taskState).toMatchObject({
      state: 'published',
      published: 3,
      corrected: 0,
    });
    const [r] = await w.database.db.select({ id: results.id }).from(results).where(eq(results.taskId, id));
    await w.database.db.execute(
      sql`insert into result_corrections (result_id, version, reason, corrected_at, before, after) values (${r!.id}, 2, '更正', now(), '{}'::jsonb, '{}'::jsonb)`,
    );
    expect((await publicDraw(w.svc, d.id)).taskState).toMatchObject({ state: 'corrected', corrected: 1 });
    // the public list shows the same state
    expect((await publicDraws(w.svc)).find((r) => r.id === d.id)?.taskState).toMatchObject({
      state: 'corrected',
      published: 3,
    });
  });
});
