import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundleText } from '@choucha/core';
import { auditEvents } from '@choucha/db';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from './testing.ts';
import { commitDraw, revealDraw } from './draws.ts';
import { createTask } from './tasks.ts';
import { createUser } from './admin/users.ts';
import { predecessorOf, stageOf, supervisorDraws } from './supervision.ts';
import { fullDrawBundle } from './public.ts';
import { bundleText } from './bundle-store.ts';
import type { Actor } from './context.ts';

let w: TestWorld;
let supervisor: Actor & { kind: 'user' };
const ids = { first: 0, second: 0, firstHash: '', secondHash: '' };

beforeAll(async () => {
  w = await openTestWorld({ entities: 40 });
  const u = await createUser(w.svc, w.actors.admin, {
    username: 'supervisor',
    displayName: '监督员',
    role: 'supervisor',
    departmentId: null,
    password: TEST_PASSWORD,
  });
  supervisor = { kind: 'user', ...u, role: 'supervisor' };
  const task = await createTask(w.svc, w.actors.scjg, {
    name: 'supervision',
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { ratio: 0.1 },
  });
  const first = await commitDraw(w.svc, w.actors.scjg, task, { seedSource: { dice: true } });
  await revealDraw(w.svc, w.actors.scjg, first.id, { dice: '11111222223333344444' });
  const second = await commitDraw(w.svc, w.actors.scjg, task, {
    seedSource: { dice: true },
    redrawReason: '现场掷骰记录不完整，重新抽取',
  });
  Object.assign(ids, {
    first: first.id,
    second: second.id,
    firstHash: first.commitmentHash,
    secondHash: second.commitmentHash,
  });
});
afterAll(async () => {
  await w?.cleanup();
});

describe('the supervisor page (supervisorDraws)', () => {
  it('lists every draw with its place in the chain of attempts', async () => {
    const rows = await supervisorDraws(w.svc, supervisor);
    expect(rows.map((r) => r.id)).toEqual([ids.second, ids.first]);
    const [second, first] = rows;
    expect(first).toMatchObject({
      attempt: 1,
      stage: 'matched',
      status: 'superseded',
      supersededBy: ids.second,
      predecessor: null,
      commitmentHash: ids.firstHash,
      taskName: 'supervision',
      departmentId: w.dept.scjg,
    });
    expect(second).toMatchObject({
      attempt: 2,
      stage: 'committed',
      status: 'committed',
      supersededBy: null,
      predecessor: ids.firstHash,
      commitmentHash: ids.secondHash,
    });
  });

  it('a department admin sees his department’s draws; other roles are refused', async () => {
    expect((await supervisorDraws(w.svc, w.actors.scjg)).map((r) => r.id)).toEqual([ids.second, ids.first]);
    expect(await supervisorDraws(w.svc, w.actors.jyj)).toEqual([]);
    expect((await supervisorDraws(w.svc, w.actors.admin)).length).toBe(2);
    await expect(supervisorDraws(w.svc, w.actors.leader)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(supervisorDraws(w.svc, w.actors.inspector)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(supervisorDraws(w.svc, { kind: 'anonymous' })).rejects.toMatchObject({
      code: 'AUTH_REQUIRED',
    });
  });

  it('only the joint office grants the role: a department admin may not', async () => {
    await expect(
      createUser(w.svc, w.actors.scjg, {
        username: 'supervisor2',
        displayName: '监督员',
        role: 'supervisor',
        departmentId: w.dept.scjg,
        password: TEST_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: 'USER_ROLE_FORBIDDEN' });
  });

  it('reads the stage and the predecessor', () => {
    expect(stageOf({ seed: null, matchProblems: null, matchedAt: null })).toBe('committed');
    expect(stageOf({ seed: 'ab', matchProblems: [{ key: 'k' }], matchedAt: null })).toBe('infeasible');
    expect(stageOf({ seed: 'ab', matchProblems: null, matchedAt: new Date() })).toBe('matched');
    expect(stageOf({ seed: 'ab', matchProblems: null, matchedAt: null })).toBe('drawn');
    expect(predecessorOf(JSON.stringify({ predecessor: 'f'.repeat(64) }))).toBe('f'.repeat(64));
    expect(predecessorOf(JSON.stringify({ predecessor: null }))).toBeNull();
    expect(predecessorOf('{not json')).toBeNull();
  });
});

describe('a full bundle download is on the record (draw.bundle.full)', () => {
  const events = () =>
    w.svc.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'draw.bundle.full'));

  it('writes exactly one event: who, which draw, its commitment hash and the file', async () => {
    const before = await events();
    const bundle = await fullDrawBundle(w.svc, supervisor, ids.first);
    const text = await bundleText(bundle);
    expect(verifyBundleText(text)).toMatchObject({
      verdict: 'verified',
      view: 'full',
      commitmentHash: ids.firstHash,
    });
    const after = await events();
    expect(after.length).toBe(before.length + 1);
    const ev = after.find((e) => !before.some((b) => b.seq === e.seq))!;
    expect(ev).toMatchObject({
      actorId: supervisor.id,
      actorName: 'supervisor',
      subjectType: 'draw',
      subjectId: String(ids.first),
      departmentId: w.dept.scjg,
    });
    expect(ev.after).toEqual({
      taskId: expect.any(Number),
      attempt: 1,
      commitmentHash: ids.firstHash,
      view: 'full',
      sha256: bundle.sha256,
      size: bundle.size,
    });
    // the latest event of the chain: written in the same call, after the bundle was built
    const [last] = await w.svc.database.db
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(last!.seq).toBe(ev.seq);
  });

  it('a department admin’s download is recorded under his name; a refused one writes nothing', async () => {
    const before = await events();
    await fullDrawBundle(w.svc, w.actors.scjg, ids.second);
    await expect(fullDrawBundle(w.svc, w.actors.jyj, ids.second)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(fullDrawBundle(w.svc, w.actors.leader, ids.second)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(fullDrawBundle(w.svc, supervisor, 999999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const added = (await events()).filter((e) => !before.some((b) => b.seq === e.seq));
    expect(added.length).toBe(1);
    expect(added[0]).toMatchObject({
      actorId: w.actors.scjg.id,
      subjectId: String(ids.second),
    });
    expect(added[0]!.after).toMatchObject({ attempt: 2, commitmentHash: ids.secondHash });
  });
});
