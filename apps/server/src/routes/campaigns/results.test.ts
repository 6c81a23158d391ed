/**
 * Results through the HTTP API: attachments as multipart uploads (type by the bytes, size limit,
 * downloaded by staff with its own type and nosniff, never under /api/public), the review queue's
 * query (filters and deadline), a rejection reason the enterer reads, bulk approval, publication,
 * a correction the public sees, and the timeliness indicator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { commitDraw, createTask, enterResult, revealDraw } from '@choucha/services';
import { openTestWorld, TEST_PASSWORD, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../../app.ts';

let w: TestWorld;
let app: FastifyInstance;
const cookies: Record<string, string> = {};
let taskId = 0;
let resultId = 0;
const PDF = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n');

function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-results-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A second target of the draw, for the hostile uploads (the first one's result gets published). */
let spareTargetId = 0;

beforeAll(async () => {
  w = await openTestWorld({ entities: 20 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  taskId = await createTask(w.svc, w.actors.scjg, {
    name: '企业公示信息抽查',
    itemIds: [w.itemIds.scjg[1]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { ratio: 0.1 },
  });
  const d = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
  const drawn = await revealDraw(w.svc, w.actors.scjg, d.id, { dice: '14142135623730950488' });
  spareTargetId = drawn.targets[1]!.id;
  w.setNow('2026-03-20T02:00:00Z');
  resultId = (
    await enterResult(w.svc, w.actors.scjg, drawn.targets[0]!.id, {
      codes: ['未按规定公示应当公示的信息'],
      followUps: ['责令改正'],
      followUpDetails: [{ action: '责令改正', dueOn: '2026-04-10' }],
      items: [{ itemId: w.itemIds.scjg[1]!, outcome: '不合格' }],
      inspectedOn: '2026-03-20',
    })
  ).id;
  await signIn();
});
/** Sessions expire: sign in again after moving the clock. */
async function signIn() {
  for (const u of ['admin', 'scjg', 'jyj']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u, password: TEST_PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    cookies[u] = String(res.headers['set-cookie']).split(';')[0]!;
  }
}

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

async function call(who: string, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await app.inject({
    method,
    url,
    headers: { cookie: cookies[who]! },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { code?: string } };
}

describe('attachments over HTTP', () => {
  it('stores a PDF, refuses an executable named .pdf and a file over the limit', async () => {
    const up = (name: string, data: Buffer) =>
      app.inject({
        method: 'POST',
        url: `/api/results/${resultId}/attachments`,
        headers: { cookie: cookies.scjg!, ...multipart(name, data).headers },
        payload: multipart(name, data).payload,
      });
    const ok = await up('检查记录表.pdf', PDF);
    expect(ok.statusCode, ok.body).toBe(200);
    const meta = ok.json() as { id: number; mimeType: string; size: number };
    expect(meta).toMatchObject({ mimeType: 'application/pdf', size: PDF.length });
    const exe = await up('记录.pdf', Buffer.from('MZ\u0090\u0000\u0003'));
    expect(exe.statusCode).toBe(415);
    expect(exe.json()).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED' });
    // the server's upload limit here is 1 MB: a 2 MB PDF is refused with the attachment's code
    const big = Buffer.concat([PDF, Buffer.alloc(2 << 20, 0x20)]);
    const tooBig = await up('大.pdf', big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE' });
    const get = await app.inject({
      method: 'GET',
      url: `/api/attachments/${meta.id}`,
      headers: { cookie: cookies.admin! },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('application/pdf');
    expect(get.headers['x-content-type-options']).toBe('nosniff');
    expect(get.headers['content-disposition']).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('检查记录表.pdf')}`,
    );
    expect(get.rawPayload.equals(PDF)).toBe(true);
    expect((await app.inject({ method: 'GET', url: `/api/attachments/${meta.id}` })).statusCode).toBe(401);
    expect((await call('jyj', 'GET', `/api/attachments/${meta.id}`)).status).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/public/attachments/${meta.id}` })).statusCode).toBe(
      404,
    );
  });
});

describe('review, publication and correction over HTTP', () => {
  it('filters the queue by deadline and shows the rejection reason to the enterer', async () => {
    w.setNow('2026-04-13T02:00:00Z');
    await signIn();
    // due 2026-04-20 (+20 working days, 清明 04-06 off): 5 left
    const q = await call('scjg', 'GET', `/api/review?taskId=${taskId}&deadline=due_soon`);
    expect(q.body).toMatchObject({
      total: 1,
      today: '2026-04-13',
      items: [
        { resultId, attachments: 1, deadline: { dueOn: '2026-04-20', state: 'due_soon', remaining: 5 } },
      ],
    });
    expect((await call('scjg', 'GET', `/api/review?taskId=${taskId}&deadline=overdue`)).body).toMatchObject({
      total: 0,
    });
    expect((await call('scjg', 'GET', '/api/review?deadline=late')).status).toBe(400);
    const rej = await call('scjg', 'POST', `/api/results/${resultId}/reject`, { note: '请补充照片' });
    expect(rej.body).toMatchObject({ status: 'rejected', reviewNote: '请补充照片' });
    const detail = await call('scjg', 'GET', `/api/results/${resultId}`);
    expect(detail.body).toMatchObject({
      status: 'rejected',
      reviewNote: '请补充照片',
      items: [{ outcome: '不合格' }],
      followUpActions: [{ action: '责令改正', dueOn: '2026-04-10', state: 'open' }],
    });
  });

  it('approves in bulk, publishes, and a correction stays public', async () => {
    const target = (await call('scjg', 'GET', `/api/results/${resultId}`)).body.targetId as number;
    const again = await call('scjg', 'POST', `/api/targets/${target}/result`, {
      codes: ['未按规定公示应当公示的信息'],
      followUps: ['责令改正'],
      followUpDetails: [{ action: '责令改正', dueOn: '2026-04-10' }],
      items: [{ itemId: w.itemIds.scjg[1]!, outcome: '不合格' }],
      inspectedOn: '2026-03-20',
      response: '照片已补充',
    });
    expect(again.body).toMatchObject({ status: 'submitted', response: '照片已补充' });
    expect((await call('jyj', 'POST', '/api/results/approve', { ids: [resultId] })).body).toMatchObject({
      code: 'FORBIDDEN_DEPARTMENT',
    });
    expect((await call('scjg', 'POST', '/api/results/approve', { ids: [resultId] })).status).toBe(200);
    expect((await call('admin', 'POST', '/api/results/publish', { ids: [resultId] })).status).toBe(200);
    const fix = await call('admin', 'POST', `/api/results/${resultId}/corrections`, {
      reason: '企业已于检查前公示，原结果录入错误',
      codes: ['未发现问题'],
      followUps: [],
      items: [{ itemId: w.itemIds.scjg[1]!, outcome: '合格' }],
    });
    expect(fix.body).toMatchObject({ version: 2 });
    const pub = await app.inject({ method: 'GET', url: '/api/public/results' });
    const row = (
      pub.json() as { items: { id: number; codes: string[]; corrections: unknown[] }[] }
    ).items.find((x) => x.id === resultId);
    expect(row).toMatchObject({
      codes: ['未发现问题'],
      corrections: [{ version: 2, reason: '企业已于检查前公示，原结果录入错误' }],
    });
    expect(pub.body).not.toMatch(/attachment|检查记录表|请补充照片|照片已补充/);
    const t = await call('admin', 'GET', '/api/indicators/timeliness?year=2026');
    expect(t.body).toMatchObject({ published: 1, onTime: 1, late: 0, rate: 1, corrections: 1 });
  });
});

describe('hostile uploads', () => {
  let hostileResultId = 0;
  beforeAll(async () => {
    hostileResultId = (
      await enterResult(w.svc, w.actors.scjg, spareTargetId, {
        codes: ['未发现问题'],
        followUps: [],
        inspectedOn: '2026-03-20',
      })
    ).id;
  });
  const upload = (who: string, url: string, head: Buffer, data: Buffer) => {
    const boundary = '----choucha-hostile-boundary';
    return app.inject({
      method: 'POST',
      url,
      headers: { cookie: cookies[who]!, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
        head,
        Buffer.from('"\r\nContent-Type: application/pdf\r\n\r\n'),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
  };
  it('a file name with NUL is refused; bytes that are not UTF-8 are dropped, 5,000 characters cut to 200', async () => {
    const url = `/api/results/${hostileResultId}/attachments`;
    // a NUL is refused, naming the field (the input guard, as for every text)
    const nul = await upload('scjg', url, Buffer.from('记录\u0000表.pdf'), PDF);
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ code: 'INPUT_TEXT_INVALID', details: { field: 'file.name' } });
    const names: string[] = [];
    for (const head of [
      Buffer.concat([Buffer.from('记录'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('.pdf')]),
      Buffer.from(`${'长'.repeat(5000)}.pdf`),
    ]) {
      const r = await upload('scjg', url, head, PDF);
      expect(r.statusCode, r.body).toBe(200);
      names.push((r.json() as { fileName: string }).fileName);
    }
    expect(names).toEqual(['记录.pdf', '长'.repeat(200)]);
  });
  it('another department cannot attach to the result, and huge ids are a coded 4xx', async () => {
    const other = await upload(
      'jyj',
      `/api/results/${hostileResultId}/attachments`,
      Buffer.from('a.pdf'),
      PDF,
    );
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
    for (const id of ['9007199254740993', '2147483648', '-1', '1e400']) {
      const r = await upload('scjg', `/api/results/${id}/attachments`, Buffer.from('a.pdf'), PDF);
      expect(r.statusCode, `${id}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${id}: ${r.body}`).toBeLessThan(500);
      expect((await call('admin', 'GET', `/api/attachments/${id}`)).status).toBeLessThan(500);
    }
  });
});
