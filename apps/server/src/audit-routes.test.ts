/** The audit routes over HTTP: verify lists every problem (code + zh/en), anchors, published checkpoints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { commitDraw, createTask } from '@choucha/services';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import type { AuditCheckpointList, AuditVerify } from '@choucha/api';
import { buildApp } from './app.ts';

let w: TestWorld;
let app: FastifyInstance;
let admin: string;
let drawId: number;

beforeAll(async () => {
  w = await openTestWorld({ entities: 20 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: TEST_PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  admin = String(res.headers['set-cookie']).split(';')[0] ?? '';
  const task = await createTask(w.svc, w.actors.scjg, {
    name: '锚点',
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { ratio: 0.2 },
  });
  drawId = (await commitDraw(w.svc, w.actors.scjg, task, { seedSource: { dice: true } })).id;
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const verify = async (qs = '') => {
  const res = await app.inject({ method: 'GET', url: `/api/audit/verify${qs}`, headers: { cookie: admin } });
  return { status: res.statusCode, body: res.json<AuditVerify>() };
};

describe('audit over HTTP', () => {
  it('publishes the checkpoint of a draw commitment to anyone, paged', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/public/audit/checkpoints?page=1&pageSize=5' });
    expect(res.statusCode).toBe(200);
    const body = res.json<AuditCheckpointList>();
    const [ev] = await w.database.query<{ seq: number | string; hash: string }>(
      `select seq, hash from audit_events where action = 'draw.commit'`,
    );
    expect(body).toMatchObject({
      total: 1,
      items: [{ seq: Number(ev!.seq), hash: ev!.hash, reason: 'draw_commitment', reference: String(drawId) }],
    });
    expect(Object.keys(body.items[0]!).sort()).toEqual(['createdAt', 'hash', 'reason', 'reference', 'seq']);
    const bad = await app.inject({ method: 'GET', url: '/api/public/audit/checkpoints?pageSize=100000' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('verifies with repeated anchors, and refuses a malformed one with a coded 400', async () => {
    const [cp] = (
      await app.inject({ method: 'GET', url: '/api/public/audit/checkpoints' })
    ).json<AuditCheckpointList>().items;
    const good = `${cp!.seq}:${cp!.hash}`;
    const ok = await verify(`?anchor=${good}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      ok: true,
      problems: [],
      anchors: [{ seq: cp!.seq, status: 'ok', source: 'given' }],
      checkpoints: { checked: 1, failed: [] },
    });
    const wrong = await verify(
      `?anchor=${good}&anchor=${cp!.seq}:${'e'.repeat(64)}&anchor=99999:${'e'.repeat(64)}`,
    );
    expect(wrong.body.ok).toBe(false);
    expect(wrong.body.anchors.map((a) => a.status)).toEqual(['ok', 'mismatch', 'truncated']);
    expect(wrong.body.problems.map((p) => p.code)).toEqual([
      'AUDIT_ANCHOR_MISMATCH',
      'AUDIT_ANCHOR_TRUNCATED',
    ]);
    for (const q of ['?anchor=0:' + 'e'.repeat(64), '?anchor=12:xyz', '?anchor=12']) {
      const r = await verify(q);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('lists every broken event with a code and both texts', async () => {
    await w.database.query(`update audit_events set actor_name = 'mallory' where seq in (1, 2)`);
    const r = await verify();
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.problemCount).toBe(2);
    expect(r.body.problems).toEqual([
      {
        code: 'AUDIT_EVENT_EDITED',
        seq: 1,
        lastSeq: null,
        zh: '第 1 条记录被修改：其哈希与内容不符',
        en: 'Event 1 was edited: its hash does not match its content',
      },
      {
        code: 'AUDIT_EVENT_EDITED',
        seq: 2,
        lastSeq: null,
        zh: '第 2 条记录被修改：其哈希与内容不符',
        en: 'Event 2 was edited: its hash does not match its content',
      },
    ]);
    // the stored checkpoint is after the broken events: not proven any more
    expect(r.body.checkpoints.failed.map((a) => a.status)).toEqual(['unproven']);
  });
});
