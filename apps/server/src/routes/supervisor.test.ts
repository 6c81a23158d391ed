/**
 * The supervisor's routes (routes/supervisor.ts): the full bundle is sent as a private attachment
 * that no cache keeps (no ETag), gzip when accepted, and it verifies in full; the draw list; 401/403.
 */
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { verifyBundleText } from '@choucha/core';
import { auditEvents } from '@choucha/db';
import { commitDraw, createTask, createUser, revealDraw } from '@choucha/services';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../app.ts';

let w: TestWorld;
let app: FastifyInstance;
let drawId = 0;
let supervisorId = 0;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  w = await openTestWorld({ entities: 40 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  const sup = await createUser(w.svc, w.actors.admin, {
    username: 'supervisor',
    displayName: '监督员',
    role: 'supervisor',
    departmentId: null,
    password: TEST_PASSWORD,
    mustChangePassword: false,
  });
  supervisorId = sup.id;
  for (const u of ['supervisor', 'leader']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u, password: TEST_PASSWORD },
    });
    cookies[u] = String(res.headers['set-cookie']).split(';')[0]!;
  }
  const taskId = await createTask(w.svc, w.actors.scjg, {
    name: 'full bundle',
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { classes: { A: 0.05, B: 0.1, C: 0.5, D: 1 } },
  });
  const d = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
  await revealDraw(w.svc, w.actors.scjg, d.id, { dice: '31415926535897932384' });
  drawId = d.id;
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const get = (url: string, who?: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { ...(who ? { cookie: cookies[who]! } : {}), ...headers } });

describe('GET /api/draws/:id/bundle/full', () => {
  it('is a private attachment no cache keeps, and verifies in full', async () => {
    const res = await get(`/api/draws/${drawId}/bundle/full`, 'supervisor');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="draw-${drawId}-full.json"`);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['etag']).toBeUndefined();
    expect(res.headers['content-encoding']).toBeUndefined();
    const out = verifyBundleText(res.body);
    expect(out).toMatchObject({ verdict: 'verified', exit: 0, view: 'full', stage: 'matched' });
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  });

  it('is sent gzip to a client that accepts it, the same bytes inside', async () => {
    const plain = await get(`/api/draws/${drawId}/bundle/full`, 'supervisor');
    const res = await get(`/api/draws/${drawId}/bundle/full`, 'supervisor', { 'accept-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(gunzipSync(res.rawPayload).toString('utf8')).toBe(plain.body);
  });

  it('writes one audit event draw.bundle.full in the same request (who, which draw, its commitment hash)', async () => {
    const events = () =>
      w.svc.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'draw.bundle.full'));
    const before = await events();
    const res = await get(`/api/draws/${drawId}/bundle/full`, 'supervisor');
    expect(res.statusCode).toBe(200);
    const added = (await events()).filter((e) => !before.some((b) => b.seq === e.seq));
    expect(added.length).toBe(1);
    expect(added[0]).toMatchObject({
      actorId: supervisorId,
      actorName: 'supervisor',
      subjectType: 'draw',
      subjectId: String(drawId),
      departmentId: w.dept.scjg,
    });
    const out = verifyBundleText(res.body);
    expect(added[0]!.after).toMatchObject({ commitmentHash: out.commitmentHash, view: 'full' });
    expect(out.commitmentHash).toMatch(/^[0-9a-f]{64}$/);
    // refused requests write nothing
    await get(`/api/draws/${drawId}/bundle/full`, 'leader');
    await get(`/api/draws/${drawId}/bundle/full`);
    expect((await events()).length).toBe(before.length + 1);
  });

  it('answers 401 to the anonymous, 403 to a leader, 404 for a draw that does not exist', async () => {
    const anon = await get(`/api/draws/${drawId}/bundle/full`);
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    const leader = await get(`/api/draws/${drawId}/bundle/full`, 'leader');
    expect(leader.statusCode).toBe(403);
    expect(leader.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await get('/api/draws/999999/bundle/full', 'supervisor')).statusCode).toBe(404);
    // ids a route must not take to the database as they are: never a 5xx, always a coded 4xx
    for (const id of ['99999999999999999999', '-1', '1.5', 'abc', '%00', '1e3']) {
      const r = await get(`/api/draws/${id}/bundle/full`, 'supervisor');
      expect([400, 404], `${id}: ${r.body}`).toContain(r.statusCode);
      expect(r.json(), id).toHaveProperty('code');
    }
  });
});

describe('GET /api/supervisor/draws', () => {
  it('lists the draw with its commitment hash and stage', async () => {
    const res = await get('/api/supervisor/draws', 'supervisor');
    expect(res.statusCode).toBe(200);
    const items = (
      res.json() as { items: { id: number; stage: string; attempt: number; predecessor: null }[] }
    ).items;
    expect(items).toEqual([
      expect.objectContaining({ id: drawId, stage: 'matched', attempt: 1, predecessor: null }),
    ]);
  });
});
