/**
 * Department scoping through the API (issue 7 §2): the education bureau's department admin (jyj)
 * against the market bureau's (scjg, the lead bureau) data — uploads committed, the 重错码 queue,
 * and a joint task's invitation answered over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq, inArray } from 'drizzle-orm';
import { entities, inspectorStatusPeriods, inspectors } from '@choucha/db';
import { openTestWorld, TEST_PASSWORD, testUscc, type TestWorld } from '@choucha/services/testing';
import { buildApp } from '../app.ts';

let w: TestWorld;
let app: FastifyInstance;
const cookies: Record<string, string> = {};

function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-scope-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  w = await openTestWorld({ entities: 20 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 22, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  for (const u of ['admin', 'scjg', 'jyj']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    cookies[u] = String(res.headers['set-cookie']).split(';')[0]!;
  }
});
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const as = (u: string) => ({ cookie: cookies[u]! });

async function upload(who: string, query: string, lines: string[]) {
  const m = multipart('scope.csv', Buffer.from(`${lines.join('\n')}\n`));
  const res = await app.inject({
    method: 'POST',
    url: `/api/imports?${query}`,
    payload: m.payload,
    headers: { ...m.headers, ...as(who) },
  });
  return res;
}

describe('uploads by another department, committed', () => {
  it('inspectors: the rows naming SCJG are rejected; the commit leaves SCJG’s inspectors as they were', async () => {
    const up = await upload('jyj', 'kind=inspectors', [
      '姓名,执法证号,所属部门,状态',
      '监管员1,SC0,区市场监管局,停用',
      '冒名人员,FAKE1,区市场监管局,在岗',
      '教育执法9,JY9,区教育局,在岗',
    ]);
    expect(up.statusCode).toBe(200);
    const dry = up.json();
    expect(dry.rows.map((r: { verdict: string }) => r.verdict)).toEqual(['rejected', 'rejected', 'accepted']);
    const commit = await app.inject({
      method: 'POST',
      url: `/api/imports/${dry.id}/commit`,
      headers: as('jyj'),
    });
    expect(commit.statusCode).toBe(200);
    expect(commit.json().counts).toMatchObject({ created: 1, updated: 0 });
    const [one] = await w.database.db
      .select()
      .from(inspectors)
      .where(eq(inspectors.id, w.inspectorIds.scjg[0]!));
    expect(one?.active).toBe(true);
    const periods = await w.database.db
      .select()
      .from(inspectorStatusPeriods)
      .where(inArray(inspectorStatusPeriods.inspectorId, w.inspectorIds.scjg));
    expect(periods).toEqual([]);
    expect(await w.database.db.select().from(inspectors).where(eq(inspectors.name, '冒名人员'))).toEqual([]);
    // SCJG's report of that import is JYJ's own business: SCJG (a department) gets 404, the joint office reads it
    const rep = await app.inject({
      method: 'GET',
      url: `/api/imports/${dry.id}/report.xlsx`,
      headers: as('scjg'),
    });
    expect(rep.statusCode).toBe(404);
    expect(rep.json().code).toBe('IMPORT_NOT_FOUND');
    const adm = await app.inject({ method: 'GET', url: `/api/imports/${dry.id}`, headers: as('admin') });
    expect(adm.statusCode).toBe(200);
  });

  it('entities: another department’s entity is not set to 注销; ?departmentId= of SCJG → 403', async () => {
    const up = await upload('jyj', 'kind=entities', [
      '企业名称,统一社会信用代码,登记状态',
      `碑林区测试餐饮企业0号,${testUscc(0)},注销`,
    ]);
    const dry = up.json();
    expect(dry.rows[0].verdict).toBe('warning');
    expect(dry.rows[0].reasons.map((r: { code: string }) => r.code)).toContain('ENTITY_FACTS_READ_ONLY');
    const commit = await app.inject({
      method: 'POST',
      url: `/api/imports/${dry.id}/commit`,
      headers: as('jyj'),
    });
    expect(commit.statusCode).toBe(200);
    const [e] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(0)));
    expect(e?.status).toBe('存续');
    const forged = await upload('jyj', `kind=entities&departmentId=${w.dept.scjg}`, [
      '企业名称,统一社会信用代码',
      `新企业,${testUscc(500)}`,
    ]);
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('FORBIDDEN_DEPARTMENT');
  });
});

describe('the 重错码 queue over HTTP', () => {
  it('JYJ sees only issues of entities it supervises and corrects none', async () => {
    const [e1] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(1)));
    await w.database.db.insert(entities).values({
      uscc: e1!.uscc,
      codeStatus: 'valid',
      name: '重复主体',
      status: '存续',
      supervisingDeptIds: [w.dept.scjg],
    });
    const det = await app.inject({ method: 'POST', url: '/api/code-issues/detect', headers: as('admin') });
    expect(det.json().added).toBeGreaterThan(0);
    const all = await app.inject({ method: 'GET', url: '/api/code-issues', headers: as('admin') });
    const issue = all.json().items.find((i: { code: string }) => i.code === testUscc(1));
    expect(issue).toBeDefined();
    const mine = await app.inject({ method: 'GET', url: '/api/code-issues', headers: as('jyj') });
    expect(mine.json().items.map((i: { id: number }) => i.id)).not.toContain(issue.id);
    const fix = await app.inject({
      method: 'POST',
      url: `/api/code-issues/${issue.id}/correct`,
      headers: as('jyj'),
      payload: { entityId: e1!.id, code: testUscc(600), note: '改码' },
    });
    expect(fix.statusCode).toBe(403);
    expect(fix.json().code).toBe('FORBIDDEN_MASTER_DATA');
    const [still] = await w.database.db.select().from(entities).where(eq(entities.id, e1!.id));
    expect(still?.uscc).toBe(testUscc(1));
  });
});

describe('a joint task’s invitation over HTTP', () => {
  const createJoint = async (name: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: as('jyj'),
      payload: {
        name,
        itemIds: [w.itemIds.jyj[0]],
        jointDepartmentIds: [w.dept.scjg],
        windowStart: '2026-05-01',
        windowEnd: '2026-05-31',
        sampling: { ratio: 0.2 },
      },
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { id: number; partners: { state: string }[] };
  };
  const commit = (id: number) =>
    app.inject({
      method: 'POST',
      url: `/api/tasks/${id}/draws`,
      headers: as('jyj'),
      payload: { seedSource: { dice: true } },
    });

  it('invited → commit refused (409 JOINT_PARTNER_PENDING) → the partner accepts → the draw commits', async () => {
    const t = await createJoint('联合抽查 HTTP');
    expect(t.partners).toMatchObject([{ state: 'invited' }]);
    const refused = await commit(t.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('JOINT_PARTNER_PENDING');
    const ok = await app.inject({
      method: 'POST',
      url: `/api/tasks/${t.id}/partners/${w.dept.scjg}/accept`,
      headers: as('scjg'),
      payload: { note: '同意' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      partner: { departmentId: w.dept.scjg, state: 'accepted', answeredBy: w.actors.scjg.id, note: '同意' },
      task: { jointDepartmentIds: [w.dept.scjg] },
    });
    const again = await app.inject({
      method: 'POST',
      url: `/api/tasks/${t.id}/partners/${w.dept.scjg}/decline`,
      headers: as('scjg'),
    });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().code).toBe('JOINT_INVITATION_ANSWERED');
    expect((await commit(t.id)).statusCode).toBe(200);
  });

  it('the partner declines: it gets its answer only and no longer sees the task; the draw commits', async () => {
    const t = await createJoint('联合抽查 HTTP 拒绝');
    const no = await app.inject({
      method: 'POST',
      url: `/api/tasks/${t.id}/partners/${w.dept.scjg}/decline`,
      headers: as('scjg'),
      payload: {},
    });
    expect(no.statusCode).toBe(200);
    expect(no.json()).toMatchObject({ partner: { state: 'declined' }, task: null });
    const hidden = await app.inject({ method: 'GET', url: `/api/tasks/${t.id}`, headers: as('scjg') });
    expect(hidden.statusCode).toBe(404);
    expect((await commit(t.id)).statusCode).toBe(200);
  });
});
