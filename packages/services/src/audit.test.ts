import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AUDIT_GENESIS, auditHashInput, type AuditEventBody } from '@choucha/core';
import {
  ANONYMOUS,
  SYSTEM,
  commitDraw,
  createTask,
  ensureCheckpoint,
  inTransaction,
  login,
  publicCheckpoints,
  sha256Hex,
  startCheckpointTimer,
  verifyAuditChainAll,
} from './index.ts';
import { openTestWorld, type TestWorld } from './testing.ts';

/** Any code point, and often NUL and lone (high or low) surrogates. */
const unit = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ufffd'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const hostile = fc.string({ unit, maxLength: 40 });

describe('the audit chain hashes what the database stores', () => {
  let w: TestWorld;
  beforeAll(async () => {
    w = await openTestWorld({ entities: 0 });
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  it('stays intact after an anonymous login with a lone surrogate as user name', async () => {
    await expect(login(w.svc, { username: '\ud800', password: 'x', ip: '127.0.0.1' })).rejects.toMatchObject({
      code: 'AUTH_INVALID_CREDENTIALS',
    });
    const [row] = await w.database.query<{ subject_id: string }>(
      `select subject_id from audit_events where action = 'auth.login_failed' order by seq desc limit 1`,
    );
    expect(row?.subject_id).toBe('\ufffd');
    expect(await verifyAuditChainAll(w.svc)).toMatchObject({ ok: true, problems: [] });
  });

  it('stays intact after a login attempt with NUL in the user name, whatever the login answers', async () => {
    // (the HTTP edge refuses NUL; the chain must not depend on that)
    await login(w.svc, { username: 'a\u0000b', password: 'x', ip: '127.0.0.1' }).catch(() => undefined);
    expect(await verifyAuditChainAll(w.svc)).toMatchObject({ ok: true, problems: [] });
  });

  it('stores NUL, lone surrogates and odd numbers in text and jsonb and still verifies', async () => {
    await inTransaction(w.svc, ANONYMOUS, async (_tx, audit) =>
      audit({
        action: 'auth.login_failed',
        subjectType: 'user',
        subjectId: 'a\u0000b',
        after: {
          ip: '127.0.0.1',
          name: 'x\u0000\udc00y',
          'k\u0000': [1e21, 5e-324, -0, 0.1, 1.5e300, 123456789012345680000, 2 ** 53 + 1, 1e-7],
          at: new Date(Date.UTC(2026, 2, 1, 2, 3, 4, 567)),
          nested: { b: 1, a: [{ z: null, y: true }], '\ud83d\ude00': '\ud83d' },
        },
      }),
    );
    await inTransaction(w.svc, { kind: 'system', name: 'sys\u0000\ud800' }, async (_tx, audit) =>
      audit({
        action: 'test.odd',
        subjectType: 'x\ud800',
        before: 'a\u0000',
        after: [Number.NaN, undefined],
      }),
    );
    const rows = await w.database.query<{ subject_id: string | null; after: unknown; actor_name: string }>(
      `select subject_id, after, actor_name from audit_events order by seq desc limit 2`,
    );
    expect(rows[1]).toMatchObject({
      subject_id: 'a\ufffdb',
      after: {
        name: 'x\ufffd\ufffdy',
        'k\ufffd': [1e21, 5e-324, 0, 0.1, 1.5e300, 123456789012345680000, 2 ** 53, 1e-7],
      },
    });
    expect(rows[0]).toMatchObject({ actor_name: 'sys\ufffd\ufffd', after: [null, null] });
    expect(await verifyAuditChainAll(w.svc)).toMatchObject({ ok: true, problems: [] });
  });

  it('property: any strings and any JSON, recorded then verified, always verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: hostile,
          action: hostile,
          subjectType: hostile,
          subjectId: fc.option(fc.oneof(hostile, fc.integer()), { nil: null }),
          before: fc.oneof(fc.constant(undefined), fc.jsonValue({ stringUnit: unit, maxDepth: 3 })),
          after: fc.jsonValue({ stringUnit: unit, maxDepth: 4 }),
        }),
        async (e) => {
          await inTransaction(w.svc, { kind: 'system', name: e.name }, async (_tx, audit) =>
            audit({
              action: e.action,
              subjectType: e.subjectType,
              subjectId: e.subjectId,
              before: e.before,
              after: e.after,
            }),
          );
          const r = await verifyAuditChainAll(w.svc, { checkpoints: false });
          expect(r.problems).toEqual([]);
          expect(r.ok).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** Rewrite events from `fromSeq` on with `edit`, recomputing every hash: the chain alone still verifies. */
async function rewriteFrom(w: TestWorld, fromSeq: number, edit: (b: AuditEventBody) => AuditEventBody) {
  const rows = await w.database.query<{
    seq: number | string;
    at: string;
    actor_id: number | null;
    actor_name: string;
    action: string;
    subject_type: string;
    subject_id: string | null;
    department_id: number | null;
    before: unknown;
    after: unknown;
    prev_hash: string;
  }>(`select * from audit_events where seq >= $1 order by seq`, [fromSeq]);
  let prev = rows[0]?.prev_hash ?? AUDIT_GENESIS;
  for (const r of rows) {
    const body = edit({
      seq: Number(r.seq),
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      departmentId: r.department_id,
      before: r.before,
      after: r.after,
    });
    const hash = sha256Hex(auditHashInput(prev, body));
    await w.database.query(
      `update audit_events set actor_name = $2, action = $3, prev_hash = $4, hash = $5 where seq = $1`,
      [body.seq, body.actorName, body.action, prev, hash],
    );
    prev = hash;
  }
}

describe('every problem is listed; anchors find a deleted tail and a rewritten log', () => {
  let w: TestWorld;
  /** Put the log back as it was before a test tampered with it. */
  const restore = async () => {
    await w.database.query(`delete from audit_events`);
    await w.database.query(`insert into audit_events select * from audit_backup`);
  };
  let drawId: number;
  beforeAll(async () => {
    w = await openTestWorld({ entities: 30 });
    for (let i = 0; i < 5; i++)
      await inTransaction(w.svc, SYSTEM, async (_tx, audit) =>
        audit({ action: 'test.event', subjectType: 'test', subjectId: i }),
      );
    const task = await createTask(w.svc, w.actors.scjg, {
      name: '锚点测试',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-03-10',
      windowEnd: '2026-04-30',
      sampling: { ratio: 0.2 },
    });
    drawId = (await commitDraw(w.svc, w.actors.scjg, task, { seedSource: { dice: true } })).id;
    for (let i = 0; i < 4; i++)
      await inTransaction(w.svc, SYSTEM, async (_tx, audit) =>
        audit({ action: 'test.later', subjectType: 'test', subjectId: i }),
      );
    await w.database.query(`create table audit_backup as select * from audit_events`);
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  it('a draw commitment writes the chain head as a checkpoint in the same transaction', async () => {
    const [ev] = await w.database.query<{ seq: number | string; hash: string }>(
      `select seq, hash from audit_events where action = 'draw.commit'`,
    );
    const cps = await publicCheckpoints(w.svc, { page: 1, pageSize: 10 });
    expect(cps.total).toBe(1);
    expect(cps.items[0]).toMatchObject({
      seq: Number(ev!.seq),
      hash: ev!.hash,
      reason: 'draw_commitment',
      reference: String(drawId),
    });
    const r = await verifyAuditChainAll(w.svc);
    expect(r).toMatchObject({ ok: true, checkpoints: { checked: 1, failed: [] } });
    expect(r.head?.seq).toBe(Number(ev!.seq) + 4);
  });

  it('lists every broken event with its reason, not only the first', async () => {
    try {
      await w.database.query(`update audit_events set actor_name = 'mallory' where seq in (2, 4)`);
      await w.database.query(`delete from audit_events where seq = 6`);
      const r = await verifyAuditChainAll(w.svc);
      expect(r.ok).toBe(false);
      expect(r.problems.map((p) => `${p.code}@${p.seq}`)).toEqual([
        'AUDIT_EVENT_EDITED@2',
        'AUDIT_EVENT_EDITED@4',
        'AUDIT_EVENT_MISSING@6',
      ]);
      expect(r.problems[0]).toMatchObject({
        zh: '第 2 条记录被修改：其哈希与内容不符',
        en: 'Event 2 was edited: its hash does not match its content',
      });
      expect(r.firstBad).toMatchObject({ seq: 2, code: 'AUDIT_EVENT_EDITED' });
    } finally {
      await restore();
    }
  });

  it('finds a deleted tail by the stored checkpoint (the chain alone cannot)', async () => {
    const [cp] = (await publicCheckpoints(w.svc, { page: 1, pageSize: 1 })).items;
    try {
      await w.database.query(`delete from audit_events where seq >= $1`, [cp!.seq - 1]);
      expect(await verifyAuditChainAll(w.svc, { checkpoints: false })).toMatchObject({ ok: true });
      const r = await verifyAuditChainAll(w.svc);
      expect(r.ok).toBe(false);
      expect(r.problems.map((p) => `${p.code}@${p.seq}`)).toEqual([`AUDIT_ANCHOR_TRUNCATED@${cp!.seq}`]);
      expect(r.checkpoints.failed).toMatchObject([
        { seq: cp!.seq, status: 'truncated', reason: 'draw_commitment' },
      ]);
    } finally {
      await restore();
    }
  });

  it('finds a log rewritten with recomputed hashes by --anchor and by the stored checkpoint', async () => {
    const [cp] = (await publicCheckpoints(w.svc, { page: 1, pageSize: 1 })).items;
    const anchor = { seq: cp!.seq, hash: cp!.hash };
    const tip = await verifyAuditChainAll(w.svc);
    const later = { seq: tip.head!.seq, hash: tip.head!.hash };
    expect(
      (await verifyAuditChainAll(w.svc, { anchors: [anchor, later], checkpoints: false })).anchors.map(
        (a) => a.status,
      ),
    ).toEqual(['ok', 'ok']);
    try {
      await rewriteFrom(w, 3, (b) => (b.seq === 3 ? { ...b, actorName: 'mallory' } : b));
      const alone = await verifyAuditChainAll(w.svc, { checkpoints: false });
      expect(alone).toMatchObject({ ok: true, problems: [] });
      const given = await verifyAuditChainAll(w.svc, { anchors: [anchor, later], checkpoints: false });
      expect(given.ok).toBe(false);
      expect(given.anchors.map((a) => a.status)).toEqual(['mismatch', 'mismatch']);
      expect(given.problems.map((p) => `${p.code}@${p.seq}`)).toEqual([
        `AUDIT_ANCHOR_MISMATCH@${anchor.seq}`,
        `AUDIT_ANCHOR_MISMATCH@${later.seq}`,
      ]);
      const stored = await verifyAuditChainAll(w.svc);
      expect(stored.ok).toBe(false);
      expect(stored.checkpoints.failed).toMatchObject([{ seq: anchor.seq, status: 'mismatch' }]);
    } finally {
      await restore();
    }
    expect((await verifyAuditChainAll(w.svc, { anchors: [anchor, later] })).ok).toBe(true);
  });

  it('an anchor of an event the log never had is a truncated tail', async () => {
    const r = await verifyAuditChainAll(w.svc, { anchors: [{ seq: 10_000, hash: 'a'.repeat(64) }] });
    expect(r.ok).toBe(false);
    expect(r.anchors).toMatchObject([{ seq: 10_000, status: 'truncated', source: 'given' }]);
  });

  it("writes a start checkpoint unless one is younger than a day, and daily ones by an unref'd timer", async () => {
    w.setNow('2026-03-01T03:00:00Z');
    expect(await ensureCheckpoint(w.svc, { reason: 'start' })).toBeNull(); // the draw's is an hour old
    w.setNow('2026-03-02T03:00:00Z');
    const start = await ensureCheckpoint(w.svc, { reason: 'start' });
    expect(start).toMatchObject({ reason: 'start', createdAt: '2026-03-02T03:00:00.000Z' });
    expect(await ensureCheckpoint(w.svc, { reason: 'start' })).toBeNull();
    const timer = startCheckpointTimer(w.svc, { everyMs: 20 });
    try {
      expect(timer.keepsProcessAlive()).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
      expect((await publicCheckpoints(w.svc, { page: 1, pageSize: 50 })).total).toBe(2); // not yet a day
      w.setNow('2026-03-03T03:00:01Z');
      const deadline = Date.now() + 10_000;
      while ((await publicCheckpoints(w.svc, { page: 1, pageSize: 50 })).total < 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      await timer.stop();
    }
    const all = await publicCheckpoints(w.svc, { page: 1, pageSize: 50 });
    expect(all.items.map((c) => c.reason)).toEqual(['daily', 'start', 'draw_commitment']);
    expect(all.items[0]).toMatchObject({ createdAt: '2026-03-03T03:00:01.000Z' });
    // after stop(), nothing more is written
    w.setNow('2026-03-09T03:00:00Z');
    await new Promise((r) => setTimeout(r, 100));
    expect((await publicCheckpoints(w.svc, { page: 1, pageSize: 50 })).total).toBe(3);
    // paged, newest first
    expect((await publicCheckpoints(w.svc, { page: 2, pageSize: 2 })).items.map((c) => c.reason)).toEqual([
      'draw_commitment',
    ]);
    expect((await verifyAuditChainAll(w.svc)).checkpoints).toEqual({ checked: 3, failed: [] });
  });
});
