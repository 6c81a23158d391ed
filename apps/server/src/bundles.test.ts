/**
 * The public verification bundle is stored (v2: at the commitment, replaced at the reveal; v1: at the
 * reveal, or on the first download of an older draw), served gzipped with a strong ETag, revalidated with 304, and anonymous downloads are
 * rate-limited per IP while staff are not (issue 7 §5).
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { verifyBundleText } from '@choucha/core';
import { commitDraw, createTask, drawBundle, hasBundle, revealDraw } from '@choucha/services';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from './app.ts';
import { BUNDLE_RATE } from './routes/bundles.ts';

let w: TestWorld;
let app: FastifyInstance;
let adminCookie = '';
const DICE = '31415926535897932384'; // dice: true commits to exactly 20 digits (draw-protocol-v2 §6)

async function drawnDraw(name: string): Promise<number> {
  const taskId = await createTask(w.svc, w.actors.scjg, {
    name,
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { classes: { A: 0.05, B: 0.1, C: 0.5, D: 1 } },
  });
  const d = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
  await revealDraw(w.svc, w.actors.scjg, d.id, { dice: DICE });
  return d.id;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let ip = 0;
/** each test its own client address, so the per-IP limit of one does not spill into another */
const nextIp = () => `198.51.100.${++ip}`;

beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
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
  adminCookie = String(res.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

describe('the bundle of a drawn draw', () => {
  let drawId: number;
  let expected: Buffer;

  beforeAll(async () => {
    drawId = await drawnDraw('bundle: stored at the reveal');
    expected = Buffer.from(JSON.stringify(await drawBundle(w.svc, drawId, { publicView: true })));
  });

  it('is stored by the reveal itself', async () => {
    expect(await hasBundle(w.svc.database.db, drawId)).toBe(true);
  });

  it('is served gzipped with a strong ETag, the same bytes as built, and revalidates with 304', async () => {
    const remoteAddress = nextIp();
    const url = `/api/public/draws/${drawId}/bundle`;
    const gz = await app.inject({ url, remoteAddress, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(gz.headers['cache-control']).toBe('public, no-cache');
    expect(gz.headers['vary']).toContain('Accept-Encoding');
    const json = gunzipSync(gz.rawPayload);
    expect(json.equals(expected)).toBe(true);
    expect(gz.headers['etag']).toBe(`"${sha(expected)}-gzip"`);

    const plain = await app.inject({ url, remoteAddress });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(expected)).toBe(true);
    expect(Number(plain.headers['content-length'])).toBe(expected.length);
    expect(plain.headers['etag']).toBe(`"${sha(expected)}"`);

    for (const tag of [plain.headers['etag'], gz.headers['etag'], `W/${String(gz.headers['etag'])}`]) {
      const again = await app.inject({
        url,
        remoteAddress,
        headers: { 'if-none-match': String(tag), 'accept-encoding': 'gzip' },
      });
      expect(again.statusCode).toBe(304);
      expect(again.rawPayload.length).toBe(0);
    }
    const stale = await app.inject({ url, remoteAddress, headers: { 'if-none-match': '"0000"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('is the same stored file on the staff route, privately cached', async () => {
    const res = await app.inject({
      url: `/api/draws/${drawId}/bundle`,
      headers: { cookie: adminCookie, 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(gunzipSync(res.rawPayload).equals(expected)).toBe(true);
  });

  it('a draw revealed before the store existed is built once on first download, however many ask', async () => {
    const older = await drawnDraw('bundle: revealed before the store');
    await w.svc.database.query('delete from draw_bundles where draw_id = $1', [older]);
    expect(await hasBundle(w.svc.database.db, older)).toBe(false);
    const url = `/api/public/draws/${older}/bundle`;
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        app.inject({ url, remoteAddress: nextIp(), headers: { 'accept-encoding': 'gzip' } }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.headers['etag'])).size).toBe(1);
    const rows = await w.svc.database.query<{ n: number }>(
      'select count(*)::int as n from draw_bundles where draw_id = $1',
      [older],
    );
    expect(rows[0]?.n).toBe(1);
    const built = Buffer.from(JSON.stringify(await drawBundle(w.svc, older, { publicView: true })));
    expect(gunzipSync(answers[0]!.rawPayload).equals(built)).toBe(true);
  });

  it('a committed draw has its public bundle (stage committed), replaced at the reveal', async () => {
    const taskId = await createTask(w.svc, w.actors.scjg, {
      name: 'bundle: committed only',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-03-10',
      windowEnd: '2026-04-30',
      sampling: { classes: { A: 0.05, B: 0.1, C: 0.5, D: 1 } },
    });
    const d = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    const url = `/api/public/draws/${d.id}/bundle`;
    const res = await app.inject({ url, remoteAddress: nextIp() });
    expect(res.statusCode).toBe(200);
    expect(verifyBundleText(res.body)).toMatchObject({ verdict: 'verified', stage: 'committed' });
    await revealDraw(w.svc, w.actors.scjg, d.id, { dice: DICE });
    const after = await app.inject({
      url,
      remoteAddress: nextIp(),
      headers: { 'if-none-match': String(res.headers['etag']) },
    });
    expect(after.statusCode).toBe(200);
    expect(after.headers['etag']).not.toBe(res.headers['etag']);
    // 5, not 19: the yearly cap (3) leaves out the entities the three draws above drew
    expect(verifyBundleText(after.body)).toMatchObject({ verdict: 'verified', stage: 'matched', targets: 5 });
  });

  it('anonymous downloads are limited per IP; other addresses and logged-in staff are not', async () => {
    const url = `/api/public/draws/${drawId}/bundle`;
    const remoteAddress = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < BUNDLE_RATE.max + 1; i++) {
      codes.push(
        (await app.inject({ url, remoteAddress, headers: { 'accept-encoding': 'gzip' } })).statusCode,
      );
    }
    expect(codes.slice(0, BUNDLE_RATE.max).every((c) => c === 200)).toBe(true);
    const limited = await app.inject({ url, remoteAddress });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // another address has its own budget
    expect((await app.inject({ url, remoteAddress: nextIp() })).statusCode).toBe(200);
    // staff at the same address are never limited
    for (let i = 0; i < BUNDLE_RATE.max + 2; i++) {
      const res = await app.inject({ url, remoteAddress, headers: { cookie: adminCookie } });
      expect(res.statusCode).toBe(200);
    }
  });
});
