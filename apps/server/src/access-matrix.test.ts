/**
 * Every role against every endpoint. The table below is the specification; the test fails if a
 * route exists that the table does not mention, so a new endpoint cannot slip in unchecked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  commitDraw,
  createPlan,
  createUser,
  createTask,
  declareRecusal,
  dryRunImport,
  dryRunRecusalImport,
  addAttachment,
  enterResult,
  excludeEntity,
  getPlan,
  revealDraw,
} from '@choucha/services';
import { openTestWorld, TEST_PASSWORD, testUscc, type TestWorld } from '@choucha/services/testing';
import { buildApp } from './app.ts';

type Who = 'anon' | 'admin' | 'scjg' | 'jyj' | 'inspector' | 'leader' | 'supervisor';
const WHO: Who[] = ['anon', 'admin', 'scjg', 'jyj', 'inspector', 'leader', 'supervisor'];
/** Expected outcome: 'ok' (2xx), or the status. */
type Expect = 'ok' | 401 | 403 | 404;

let w: TestWorld;
let app: FastifyInstance;
const cookies: Partial<Record<Who, string>> = {};
const routes = new Set<string>();
let ids: {
  task: number;
  draw: number;
  target: number;
  result: number;
  user: number;
  edition: number;
  /** SCJG's dry-run import */
  scjgImport: number;
  /** led by SCJG, JYJ invited */
  invitingJyj: number;
  /** led by JYJ, WLJ (no users) invited */
  invitingWlj: number;
  /** inspector1's declaration awaiting SCJG's admin */
  recusal: number;
  /** SCJG's dry run of a recusal list */
  recusalImport: number;
};

beforeAll(async () => {
  w = await openTestWorld({ entities: 40 });
  app = await buildApp({
    services: w.svc,
    config: { cookieSecure: false, uploadLimitBytes: 1 << 20, webDist: '/nonexistent', logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  // the supervisor (监督员, read-only): an account the joint office creates
  await createUser(w.svc, w.actors.admin, {
    username: 'supervisor',
    displayName: '区纪委监委派驻纪检监察组',
    role: 'supervisor',
    departmentId: null,
    password: TEST_PASSWORD,
    mustChangePassword: false,
  });
  // Every route is in the OpenAPI document (each has a schema); list them from there.
  const doc = (
    app as unknown as { swagger: () => { paths: Record<string, Record<string, unknown>> } }
  ).swagger();
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const m of Object.keys(methods)) routes.add(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  for (const who of WHO) {
    if (who === 'anon') continue;
    const username = who === 'inspector' ? 'inspector1' : who;
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    cookies[who] = String(res.headers['set-cookie']).split(';')[0] ?? '';
  }
  const task = await createTask(w.svc, w.actors.scjg, {
    name: 'matrix',
    itemIds: [w.itemIds.scjg[0]!],
    jointDepartmentIds: [],
    windowStart: '2026-03-10',
    windowEnd: '2026-04-30',
    sampling: { ratio: 0.1 },
  });
  const draw = await commitDraw(w.svc, w.actors.scjg, task, { seedSource: { dice: true } });
  const drawn = await revealDraw(w.svc, w.actors.scjg, draw.id, { dice: '11111222223333344444' });
  const target = drawn.targets[0]!;
  const result = await enterResult(w.svc, w.actors.scjg, target.id, {
    codes: ['未发现问题'],
    followUps: [],
    inspectedOn: '2026-03-20',
  });
  const [edition] = await w.database.query<{ id: number }>(
    'select id from item_editions order by id limit 1',
  );
  const scjgImport = await dryRunImport(w.svc, w.actors.scjg, {
    kind: 'inspectors',
    fileName: 'scjg.csv',
    data: Buffer.from('姓名,执法证号,所属部门\n监管员1,SC0,区市场监管局\n'),
  });
  const joint = (lead: 'scjg' | 'jyj', partner: number) =>
    createTask(w.svc, w.actors[lead], {
      name: `joint ${lead}`,
      itemIds: [w.itemIds[lead][0]!],
      jointDepartmentIds: [partner],
      windowStart: '2026-06-01',
      windowEnd: '2026-06-30',
      sampling: { ratio: 0.1 },
    });
  // another department's internal exclusion reason (JYJ's), and the joint office's
  await excludeEntity(w.svc, w.actors.jyj, w.entityIds[5]!, {
    reason: 'JYJ-INTERNAL-REASON',
    fromDate: '2026-03-01',
  });
  await excludeEntity(w.svc, w.actors.admin, w.entityIds[6]!, {
    reason: 'JOINT-OFFICE-REASON',
    fromDate: '2026-03-01',
  });
  ids = {
    task,
    draw: draw.id,
    target: target.id,
    result: result.id,
    user: w.actors.jyj.id,
    edition: edition!.id,
    scjgImport: scjgImport.id,
    invitingJyj: await joint('scjg', w.dept.jyj),
    invitingWlj: await joint('jyj', w.dept.wlj),
    recusal: (
      await declareRecusal(w.svc, w.actors.inspector, { entityId: w.entityIds[9]!, relation: '近亲属' })
    ).id,
    recusalImport: (
      await dryRunRecusalImport(w.svc, w.actors.scjg, {
        fileName: 'recusals.csv',
        data: Buffer.from(`执法证号,统一社会信用代码,关系\nSC1,${testUscc(8)},近亲属\n`),
      })
    ).id,
  };
});

// annual plans (routes/campaigns/plans.ts): SCJG's draft plan with one batch
const plan = { id: 0, batch: 0 };
beforeAll(async () => {
  plan.id = await createPlan(w.svc, w.actors.scjg, {
    kind: 'department',
    year: 2026,
    name: 'matrix plan',
    batches: [
      {
        name: 'matrix batch',
        itemIds: [w.itemIds.scjg[0]!],
        sampling: { ratio: 0.1 },
        plannedQuantity: 5,
        windowStart: '2026-04-01',
        windowEnd: '2026-04-30',
      },
    ],
  });
  plan.batch = (await getPlan(w.svc, w.actors.scjg, plan.id)).batches[0]!.id;
});
// results (routes/campaigns/results.ts): a result of a target on inspector1's team, with an
// attachment and an open follow-up (列入经营异常名录)
const res = { result: 0, attachment: 0, followUp: 0 };
const MATRIX_PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
beforeAll(async () => {
  const [mine] = await w.database.query<{ target_id: number }>(
    'select target_id from target_inspectors where inspector_id = $1 order by target_id limit 1',
    [w.inspectorIds.scjg[0]],
  );
  const r = await enterResult(w.svc, w.actors.scjg, mine!.target_id, {
    codes: ['通过登记的住所（经营场所）无法联系'],
    followUps: ['列入经营异常名录'],
    inspectedOn: '2026-03-20',
  });
  res.result = r.id;
  res.attachment = (
    await addAttachment(w.svc, w.actors.scjg, r.id, { fileName: 'a.pdf', data: MATRIX_PDF })
  ).id;
  const [f] = await w.database.query<{ id: number }>('select id from follow_ups where result_id = $1', [
    r.id,
  ]);
  res.followUp = f!.id;
});
const planBatchBody = () => ({
  name: 'matrix batch',
  itemIds: [w.itemIds.scjg[0]!],
  sampling: { ratio: 0.1 },
  plannedQuantity: 5,
  windowStart: '2026-04-01',
  windowEnd: '2026-04-30',
});

/** A multipart upload of one file in the field "file". */
function multipart(fileName: string, data: Buffer) {
  const boundary = '----choucha-matrix-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const csvFile = (lines: string[]) => ({ fileName: 'matrix.csv', data: Buffer.from(`${lines.join('\n')}\n`) });
interface ImportAnswer {
  rows: { verdict: string; reasons: { code: string }[] }[];
}
const rowCodes = (body: unknown) =>
  (body as ImportAnswer).rows.map((r) => `${r.verdict}:${r.reasons.map((x) => x.code).join('+')}`);
afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const all = (e: Expect): Record<Who, Expect> => ({
  anon: e,
  admin: e,
  scjg: e,
  jyj: e,
  inspector: e,
  leader: e,
  supervisor: e,
});
const staff = { ...all('ok'), anon: 401 } as Record<Who, Expect>;
// the supervisor reads tasks, draws, results, the directory and the audit log: not the dashboard,
// the calendar, the district rules, plans or "my targets"
const staffButSupervisor = { ...staff, supervisor: 403 } as Record<Who, Expect>;
const jointOnly = { ...all(403), anon: 401, admin: 'ok' } as Record<Who, Expect>;
// a result of SCJG: reviewed by SCJG's admin and the joint office; written also by its inspector
const resultReviewers = { ...all(403), anon: 401, admin: 'ok', scjg: 'ok' } as Record<Who, Expect>;
const resultWriters = { ...resultReviewers, inspector: 'ok' } as Record<Who, Expect>;
const auditRead = { ...all(403), anon: 401, admin: 'ok', leader: 'ok', supervisor: 'ok' } as Record<
  Who,
  Expect
>;
const importers = { ...all(403), anon: 401, admin: 'ok', scjg: 'ok', jyj: 'ok' } as Record<Who, Expect>;
// The task belongs to SCJG: another department gets 404 on reads (not even revealed), 403 on writes.
const scjgTaskRead = { ...staff, jyj: 404 } as Record<Who, Expect>;
// plans: leaders read, inspectors do not; SCJG's plan is written by SCJG and the joint office
const planReaders = { ...staff, inspector: 403, supervisor: 403 } as Record<Who, Expect>;
const planWriters = { ...importers, jyj: 403 } as Record<Who, Expect>;

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  route: string;
  url: () => string;
  body?: () => unknown;
  /** a multipart file upload instead of a JSON body */
  upload?: () => { fileName: string; data: Buffer };
  expect: Record<Who, Expect>;
  /** the error code a denied role gets, where it matters (FORBIDDEN_DEPARTMENT vs FORBIDDEN …) */
  code?: Partial<Record<Who, string>>;
  /** further checks of a 2xx answer: what the payload's department did to the rows */
  check?: (who: Who, body: unknown) => void;
  /** Non-idempotent endpoints are checked for the denied roles only. */
  deniedOnly?: boolean;
}

const MATRIX: Row[] = [
  { method: 'GET', route: '/api/health', url: () => '/api/health', expect: all('ok') },
  { method: 'GET', route: '/api/auth/me', url: () => '/api/auth/me', expect: staff },
  // the working-day calendar (routes/admin/calendar.ts): staff read, the joint office loads a year
  { method: 'GET', route: '/api/calendar', url: () => '/api/calendar', expect: staffButSupervisor },
  {
    method: 'GET',
    route: '/api/calendar/add-working-days',
    url: () => '/api/calendar/add-working-days?date=2023-09-28&n=1',
    expect: staffButSupervisor,
    check: (_who, body) => expect((body as { result: string }).result).toBe('2023-10-07'),
  },
  {
    method: 'POST',
    route: '/api/admin/calendar/preview',
    url: () => '/api/admin/calendar/preview',
    upload: () => csvFile(['日期,类型', '2027-01-01,休']),
    expect: jointOnly,
    check: (_who, body) => expect((body as { year: number }).year).toBe(2027),
  },
  {
    method: 'POST',
    route: '/api/admin/calendar/years',
    url: () => '/api/admin/calendar/years',
    body: () => ({
      calendarYear: { year: 2027, holidays: ['2027-01-01'], workdays: [] },
      sourceName: 'matrix.csv',
      basedOn: 'stale',
    }),
    expect: jointOnly,
    deniedOnly: true,
  },
  {
    method: 'DELETE',
    route: '/api/admin/calendar/years/:year',
    url: () => '/api/admin/calendar/years/2099',
    expect: { ...jointOnly, admin: 404 },
  },
  // (end of the calendar rows)
  // a department admin manages his own department's accounts (services/admin/users.ts)
  { method: 'GET', route: '/api/users', url: () => '/api/users', expect: importers },
  {
    method: 'POST',
    route: '/api/users',
    url: () => '/api/users',
    body: () => ({
      username: `u${Math.random().toString(36).slice(2, 8)}`,
      displayName: 'x',
      role: 'leader',
      departmentId: null,
      password: 'long-enough-pw',
    }),
    expect: jointOnly,
  },
  {
    method: 'POST',
    route: '/api/users/:id/reset-password',
    url: () => `/api/users/${ids.user}/reset-password`,
    body: () => ({ password: 'another-long-pw' }),
    // another department's account is not revealed; one's own password is changed, not reset
    expect: { ...jointOnly, scjg: 404, jyj: 403 },
    code: { scjg: 'NOT_FOUND', jyj: 'USER_SELF_CHANGE' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/users/:id/profile',
    url: () => `/api/users/${ids.user}/profile`,
    body: () => ({ displayName: '区教育局管理员' }),
    expect: { ...jointOnly, scjg: 404, jyj: 'ok' },
  },
  {
    method: 'POST',
    route: '/api/users/:id/disabled',
    url: () => `/api/users/${ids.user}/disabled`,
    body: () => ({ disabled: false }),
    expect: { ...jointOnly, scjg: 404, jyj: 'ok' },
  },
  {
    method: 'POST',
    route: '/api/users/:id/inspector',
    url: () => `/api/users/${w.actors.inspector.id}/inspector`,
    body: () => ({ inspectorId: w.inspectorIds.scjg[0] }),
    expect: { ...jointOnly, scjg: 'ok', jyj: 404 },
  },
  {
    method: 'GET',
    route: '/api/users/inspector-candidates',
    url: () => '/api/users/inspector-candidates',
    expect: importers,
  },
  {
    method: 'POST',
    route: '/api/users/bulk-inspectors',
    url: () => '/api/users/bulk-inspectors',
    body: () => ({ inspectorIds: [w.inspectorIds.jyj[3]] }),
    expect: { ...importers, scjg: 403 },
    code: { scjg: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/me/inspector', url: () => '/api/me/inspector', expect: staff },
  {
    method: 'GET',
    route: '/api/me/targets',
    url: () => '/api/me/targets',
    expect: { ...staff, leader: 403, supervisor: 403 },
  },
  { method: 'GET', route: '/api/me/recusals', url: () => '/api/me/recusals', expect: staff },
  {
    method: 'POST',
    route: '/api/me/recusals',
    url: () => '/api/me/recusals',
    body: () => ({ entityId: w.entityIds[10], relation: '同学' }),
    // only an account linked to an inspector record declares for himself
    expect: { ...all(403), anon: 401, inspector: 'ok' },
    code: { admin: 'USER_NOT_INSPECTOR', scjg: 'USER_NOT_INSPECTOR' },
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/recusals', url: () => '/api/recusals', expect: importers },
  {
    method: 'POST',
    route: '/api/recusals',
    url: () => '/api/recusals',
    body: () => ({ inspectorId: w.inspectorIds.scjg[1], entityId: w.entityIds[11], relation: '投资关系' }),
    expect: { ...importers, jyj: 403 },
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/recusals/:id/decision',
    url: () => `/api/recusals/${ids.recusal}/decision`,
    body: () => ({ decision: 'confirm' }),
    expect: { ...importers, jyj: 404 },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/recusals/imports',
    url: () => '/api/recusals/imports',
    upload: () => csvFile(['执法证号,统一社会信用代码,关系', `SC2,${testUscc(7)},近亲属`]),
    expect: importers,
  },
  {
    method: 'GET',
    route: '/api/recusals/imports/:id',
    url: () => `/api/recusals/imports/${ids.recusalImport}`,
    expect: { ...importers, jyj: 404 },
    code: { jyj: 'IMPORT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/api/recusals/imports/:id/commit',
    url: () => `/api/recusals/imports/${ids.recusalImport}/commit`,
    expect: { ...importers, jyj: 404 },
    code: { jyj: 'IMPORT_NOT_FOUND' },
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/departments', url: () => '/api/departments', expect: staff },
  // organisation and department directory (issue 8 §1): everyone reads, the joint office writes
  { method: 'GET', route: '/api/organisation', url: () => '/api/organisation', expect: staff },
  {
    method: 'POST',
    route: '/api/organisation',
    url: () => '/api/organisation',
    body: () => ({
      province: { name: '陕西省', code: '610000' },
      city: { name: '西安市', code: '610100' },
      district: { name: '碑林区', code: '610103' },
      leadBureauName: '碑林区市场监督管理局',
    }),
    expect: jointOnly,
  },
  { method: 'GET', route: '/api/setup', url: () => '/api/setup', expect: staff },
  {
    method: 'POST',
    route: '/api/setup/complete',
    url: () => '/api/setup/complete',
    expect: jointOnly,
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/admin/departments', url: () => '/api/admin/departments', expect: staff },
  {
    method: 'GET',
    route: '/api/admin/departments/:id',
    url: () => `/api/admin/departments/${w.dept.scjg}`,
    // a department's staff see their own department and those below it
    expect: scjgTaskRead,
    code: { jyj: 'DEPARTMENT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/api/admin/departments',
    url: () => '/api/admin/departments',
    body: () => ({ name: `矩阵测试局${Math.random().toString(36).slice(2, 8)}`, level: 'district' }),
    expect: jointOnly,
  },
  {
    method: 'POST',
    route: '/api/admin/departments/:id',
    url: () => `/api/admin/departments/${w.dept.wlj}`,
    body: () => ({ contactName: '联络员' }),
    expect: jointOnly,
  },
  {
    method: 'POST',
    route: '/api/admin/departments/:id/deactivate',
    url: () => `/api/admin/departments/${w.dept.wlj}/deactivate`,
    expect: jointOnly,
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/admin/departments/:id/reactivate',
    url: () => `/api/admin/departments/${w.dept.wlj}/reactivate`,
    expect: jointOnly,
  },
  {
    method: 'POST',
    route: '/api/admin/departments/:id/delete',
    url: () => `/api/admin/departments/${w.dept.scjg}/delete`,
    expect: jointOnly,
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/admin/departments/import',
    url: () => '/api/admin/departments/import',
    upload: () => csvFile(['部门名称,简称', '碑林区矩阵导入局,矩阵局']),
    expect: jointOnly,
    check: (_who, body) => {
      expect((body as { counts: { create: number } }).counts.create).toBe(1);
    },
  },
  { method: 'GET', route: '/api/entities', url: () => '/api/entities?q=碑林', expect: staff },
  { method: 'GET', route: '/api/entities/:id', url: () => `/api/entities/${w.entityIds[0]}`, expect: staff },
  { method: 'GET', route: '/api/inspectors', url: () => '/api/inspectors', expect: staff },
  { method: 'GET', route: '/api/items', url: () => '/api/items', expect: staff },
  {
    method: 'GET',
    route: '/api/inspectors/:id',
    url: () => `/api/inspectors/${w.inspectorIds.scjg[0]}`,
    // an inspector's record (absences, recusals) is for their own department and the joint office
    expect: scjgTaskRead,
  },
  {
    method: 'GET',
    route: '/api/items/editions/:id',
    url: () => `/api/items/editions/${ids.edition}`,
    expect: staff,
  },
  // an item's scope (检查对象范围) is written by its department's admin and the joint office (ROSTER)
  {
    method: 'PUT',
    route: '/api/items/:id/scope',
    url: () => `/api/items/${w.itemIds.scjg[0]}/scope`,
    body: () => ({ scope: {} }),
    expect: { ...all(403), anon: 401, admin: 'ok', scjg: 'ok' },
    code: { jyj: 'FORBIDDEN_DEPARTMENT', inspector: 'FORBIDDEN', leader: 'FORBIDDEN' },
  },
  { method: 'GET', route: '/api/public/items', url: () => '/api/public/items', expect: all('ok') },
  {
    method: 'GET',
    route: '/api/imports',
    url: () => '/api/imports',
    expect: importers,
    check: (who, body) => {
      const listed = (body as { items: { id: number }[] }).items.map((i) => i.id);
      expect(listed.includes(ids.scjgImport)).toBe(who !== 'jyj');
    },
  },
  {
    method: 'GET',
    route: '/api/imports/:id/report.xlsx',
    url: () => `/api/imports/${ids.scjgImport}/report.xlsx`,
    // another department's import is not even revealed
    expect: { ...importers, jyj: 404 },
    code: { jyj: 'IMPORT_NOT_FOUND' },
  },
  {
    method: 'GET',
    route: '/api/imports/:id',
    url: () => `/api/imports/${ids.scjgImport}`,
    expect: { ...importers, jyj: 404 },
    code: { jyj: 'IMPORT_NOT_FOUND' },
  },
  {
    method: 'POST',
    route: '/api/imports/:id/commit',
    url: () => `/api/imports/${ids.scjgImport}/commit`,
    expect: { ...importers, jyj: 404 },
    code: { jyj: 'IMPORT_NOT_FOUND', inspector: 'FORBIDDEN' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/imports/:id/dry-run',
    url: () => `/api/imports/${ids.scjgImport}/dry-run`,
    body: () => ({ departmentMap: { 省教育厅: 'skip' } }),
    expect: { ...importers, jyj: 404 },
    code: { jyj: 'IMPORT_NOT_FOUND', inspector: 'FORBIDDEN' },
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/code-issues', url: () => '/api/code-issues', expect: importers },
  {
    method: 'GET',
    route: '/api/code-issues/export.xlsx',
    url: () => '/api/code-issues/export.xlsx',
    expect: importers,
  },
  {
    method: 'POST',
    route: '/api/code-issues/detect',
    url: () => '/api/code-issues/detect',
    expect: { ...importers, jyj: 403 },
    code: { jyj: 'FORBIDDEN_MASTER_DATA' },
    deniedOnly: true,
  },
  ...(['correct', 'merge', 'pilot', 'dismiss'] as const).map((a): Row => ({
    method: 'POST',
    route: `/api/code-issues/:id/${a}`,
    url: () => `/api/code-issues/999999/${a}`,
    body: () => ({ note: 'matrix', code: '91610103MA6U0A1B2X', keepId: 1 }),
    // the 重错码 queue corrects registration facts: the joint office and the lead bureau (SCJG) only
    expect: { ...importers, jyj: 403 },
    code: { jyj: 'FORBIDDEN_MASTER_DATA' },
    deniedOnly: true,
  })),
  { method: 'GET', route: '/api/tasks', url: () => '/api/tasks', expect: staff },
  { method: 'GET', route: '/api/tasks/:id', url: () => `/api/tasks/${ids.task}`, expect: scjgTaskRead },
  {
    method: 'GET',
    route: '/api/tasks/:id',
    url: () => `/api/tasks/${ids.invitingJyj}`,
    // the invited department reads the task (to answer); its inspectors too
    expect: staff,
    check: (_who, body) => {
      expect(body).toMatchObject({
        jointDepartmentIds: [],
        partners: [{ departmentId: w.dept.jyj, state: 'invited' }],
      });
    },
  },
  // a cooperating department answers for itself (or the joint admin): the department in the URL
  ...(['accept', 'decline'] as const).flatMap((a): Row[] => [
    {
      method: 'POST',
      route: `/api/tasks/:id/partners/:departmentId/${a}`,
      url: () => `/api/tasks/${ids.invitingJyj}/partners/${w.dept.jyj}/${a}`,
      body: () => ({ note: 'matrix' }),
      expect: { ...importers, scjg: 403 },
      code: { scjg: 'FORBIDDEN_DEPARTMENT', inspector: 'FORBIDDEN', leader: 'FORBIDDEN' },
      deniedOnly: true,
    },
    {
      method: 'POST',
      route: `/api/tasks/:id/partners/:departmentId/${a}`,
      url: () => `/api/tasks/${ids.invitingWlj}/partners/${w.dept.wlj}/${a}`,
      body: () => ({}),
      // SCJG takes no part in the task: not even revealed; JYJ leads it but answers only for itself
      expect: { ...importers, scjg: 404, jyj: 403 },
      code: { scjg: 'TASK_NOT_FOUND', jyj: 'FORBIDDEN_DEPARTMENT' },
      deniedOnly: true,
    },
  ]),
  { method: 'GET', route: '/api/draws/:id', url: () => `/api/draws/${ids.draw}`, expect: scjgTaskRead },
  {
    method: 'GET',
    route: '/api/draws/:id/exclusions',
    url: () => `/api/draws/${ids.draw}/exclusions`,
    expect: scjgTaskRead,
  },
  {
    method: 'GET',
    route: '/api/tasks/:id/draw-preview',
    url: () => `/api/tasks/${ids.task}/draw-preview`,
    expect: { ...importers, jyj: 404 },
  },
  {
    method: 'GET',
    route: '/api/exclusions',
    url: () => '/api/exclusions',
    expect: staff,
    // a department's exclusion reasons are internal to it; the joint office's apply to everyone
    check: (who, body) => {
      const reasons = (body as { items: { reason: string }[] }).items.map((x) => x.reason);
      expect(reasons).toContain('JOINT-OFFICE-REASON');
      expect(reasons.includes('JYJ-INTERNAL-REASON')).toBe(
        ['admin', 'jyj', 'leader', 'supervisor'].includes(who),
      );
    },
  },
  {
    method: 'POST',
    route: '/api/entities/:id/exclusions',
    url: () => `/api/entities/${w.entityIds[1]}/exclusions`,
    body: () => ({ reason: '立案调查中', fromDate: '2026-03-01' }),
    expect: importers,
  },
  {
    method: 'GET',
    route: '/api/draws/:id/bundle',
    url: () => `/api/draws/${ids.draw}/bundle`,
    expect: scjgTaskRead,
  },
  {
    method: 'POST',
    route: '/api/tasks',
    url: () => '/api/tasks',
    body: () => ({
      name: 't',
      itemIds: [w.itemIds.scjg[1]],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.1 },
    }),
    // jyj may create tasks, but not with SCJG's items (清单之外无检查): 400 is checked separately.
    expect: { ...importers, jyj: 'ok' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/tasks/:id/draws',
    url: () => `/api/tasks/${ids.task}/draws`,
    body: () => ({ seedSource: { dice: true }, redrawReason: 'matrix test redraw' }),
    expect: { ...importers, jyj: 403 },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/draws/:id/reveal',
    url: () => `/api/draws/${ids.draw}/reveal`,
    body: () => ({ dice: '99999888887777766666' }),
    expect: { ...importers, jyj: 403 },
    deniedOnly: true,
  },
  // the task form and draw operations (routes/campaigns/draw-ops.ts)
  {
    method: 'POST',
    route: '/api/tasks/sampling-preview',
    url: () => '/api/tasks/sampling-preview',
    body: () => ({
      name: 't',
      itemIds: [w.itemIds.scjg[1]],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.1, max: 5, maxMode: 'total' },
    }),
    expect: { ...importers, jyj: 'ok' },
    deniedOnly: true,
  },
  {
    method: 'PUT',
    route: '/api/tasks/:id',
    url: () => `/api/tasks/${ids.task}`,
    body: () => ({
      name: 't',
      itemIds: [w.itemIds.scjg[1]],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.1 },
    }),
    expect: { ...importers, jyj: 403 },
    deniedOnly: true,
  },
  {
    method: 'DELETE',
    route: '/api/tasks/:id',
    url: () => `/api/tasks/${ids.task}`,
    expect: { ...importers, jyj: 403 },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/draws/:id/escalate',
    url: () => `/api/draws/${ids.draw}/escalate`,
    body: () => ({ reason: 'matrix', count: 1 }),
    expect: { ...importers, jyj: 403 },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/targets/:id/result',
    url: () => `/api/targets/${ids.target}/result`,
    body: () => ({ codes: ['未发现问题'], inspectedOn: '2026-03-21' }),
    expect: { ...all(403), anon: 401, admin: 'ok', scjg: 'ok', inspector: 'ok' },
    deniedOnly: true,
  },
  // the review queue: each department admin sees his own department's results, the joint office all
  { method: 'GET', route: '/api/review', url: () => '/api/review', expect: importers },
  {
    method: 'POST',
    route: '/api/results/publish',
    url: () => '/api/results/publish',
    body: () => ({ ids: [ids.result] }),
    expect: jointOnly,
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/results/:id/publish',
    url: () => `/api/results/${ids.result}/publish`,
    body: () => ({}),
    expect: jointOnly,
    deniedOnly: true,
  },
  // the department (SCJG's admin) approves or sends back its results; another department cannot
  {
    method: 'POST',
    route: '/api/results/:id/reject',
    url: () => `/api/results/${ids.result}/reject`,
    body: () => ({ note: 'no' }),
    expect: resultReviewers,
    code: { jyj: 'FORBIDDEN_DEPARTMENT', inspector: 'FORBIDDEN', leader: 'FORBIDDEN' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/results/:id/approve',
    url: () => `/api/results/${ids.result}/approve`,
    body: () => ({}),
    expect: resultReviewers,
    code: { jyj: 'FORBIDDEN_DEPARTMENT', inspector: 'FORBIDDEN', leader: 'FORBIDDEN' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/results/approve',
    url: () => '/api/results/approve',
    body: () => ({ ids: [ids.result] }),
    expect: resultReviewers,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/results/:id/corrections',
    url: () => `/api/results/${ids.result}/corrections`,
    body: () => ({ reason: '录入错误', codes: ['未发现问题'], followUps: [] }),
    expect: jointOnly,
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/results/:id', url: () => `/api/results/${res.result}`, expect: scjgTaskRead },
  // attachments: never public; written by whoever may enter the result, read by the task's staff
  {
    method: 'POST',
    route: '/api/results/:id/attachments',
    url: () => `/api/results/${res.result}/attachments`,
    upload: () => ({ fileName: '检查记录表.pdf', data: MATRIX_PDF }),
    expect: resultWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT', leader: 'FORBIDDEN' },
  },
  {
    method: 'GET',
    route: '/api/attachments/:id',
    url: () => `/api/attachments/${res.attachment}`,
    expect: scjgTaskRead,
  },
  {
    method: 'DELETE',
    route: '/api/attachments/:id',
    url: () => `/api/attachments/${res.attachment}`,
    expect: resultWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT', leader: 'FORBIDDEN' },
    deniedOnly: true,
  },
  { method: 'GET', route: '/api/follow-ups', url: () => '/api/follow-ups', expect: staff },
  {
    method: 'POST',
    route: '/api/follow-ups/:id/complete',
    url: () => `/api/follow-ups/${res.followUp}/complete`,
    body: () => ({ note: '已列入' }),
    expect: resultWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT', leader: 'FORBIDDEN' },
    deniedOnly: true,
  },
  {
    method: 'GET',
    route: '/api/indicators/timeliness',
    url: () => '/api/indicators/timeliness?year=2026',
    expect: staffButSupervisor,
  },
  // ---- writes that carry a department inside the payload (query, body, the rows of a file)
  {
    method: 'POST',
    route: '/api/imports',
    url: () => `/api/imports?kind=inspectors&departmentId=${w.dept.scjg}`,
    upload: () => csvFile(['姓名,执法证号', '冒名人员,FAKE1']),
    expect: { ...importers, jyj: 403 },
    code: { jyj: 'FORBIDDEN_DEPARTMENT', inspector: 'FORBIDDEN', leader: 'FORBIDDEN' },
  },
  {
    method: 'POST',
    route: '/api/imports',
    url: () => '/api/imports?kind=inspectors',
    upload: () =>
      csvFile(['姓名,执法证号,所属部门,状态', '监管员1,SC0,区市场监管局,离岗', '监管员2,SC1,区教育局,在岗']),
    expect: importers,
    check: (who, body) => {
      const codes = rowCodes(body);
      if (who === 'jyj')
        expect(codes).toEqual([
          'rejected:STATUS_UNRECOGNISED+DEPARTMENT_FORBIDDEN',
          'rejected:INSPECTOR_OTHER_DEPARTMENT',
        ]);
      else if (who === 'scjg')
        expect(codes).toEqual(['accepted:STATUS_UNRECOGNISED', 'rejected:DEPARTMENT_FORBIDDEN']);
      else expect(codes).toEqual(['accepted:STATUS_UNRECOGNISED', 'accepted:']);
    },
  },
  {
    method: 'POST',
    route: '/api/imports',
    url: () => '/api/imports?kind=items',
    upload: () => csvFile(['编制单位,序号,抽查类别,抽查事项', '区市场监管局,1,市场监管,伪造的检查事项']),
    expect: importers,
    check: (who, body) => {
      expect(rowCodes(body)).toEqual([who === 'jyj' ? 'rejected:DEPARTMENT_FORBIDDEN' : 'accepted:']);
    },
  },
  {
    method: 'POST',
    route: '/api/imports',
    url: () => '/api/imports?kind=entities',
    upload: () =>
      csvFile(['企业名称,统一社会信用代码,登记状态', `碑林区测试餐饮企业0号,${testUscc(0)},注销`]),
    expect: importers,
    check: (who, body) => {
      // registration facts: the joint office and the lead bureau (SCJG); JYJ only adds its supervision
      expect(rowCodes(body)).toEqual([who === 'jyj' ? 'warning:ENTITY_FACTS_READ_ONLY' : 'accepted:']);
    },
  },
  {
    method: 'POST',
    route: '/api/imports',
    url: () => '/api/imports?kind=joint_items',
    upload: () =>
      csvFile(['抽查领域,抽查事项,发起部门,配合部门', '教育,校园周边联合检查,区教育局,区市场监管局']),
    expect: { ...importers, jyj: 403 },
    code: { jyj: 'FORBIDDEN_MASTER_DATA' },
  },
  {
    method: 'POST',
    route: '/api/tasks',
    url: () => '/api/tasks',
    body: () => ({
      name: 'payload department',
      departmentId: w.dept.scjg,
      itemIds: [w.itemIds.scjg[1]],
      windowStart: '2026-07-01',
      windowEnd: '2026-07-31',
      sampling: { ratio: 0.1 },
    }),
    expect: { ...importers, jyj: 403 },
    code: { jyj: 'FORBIDDEN_DEPARTMENT', inspector: 'FORBIDDEN', leader: 'FORBIDDEN' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/tasks',
    url: () => '/api/tasks',
    body: () => ({
      name: 'naming a cooperating department',
      departmentId: w.dept.jyj,
      itemIds: [w.itemIds.jyj[0]],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-07-01',
      windowEnd: '2026-07-31',
      sampling: { ratio: 0.1 },
    }),
    expect: { ...importers, scjg: 403 },
    code: { scjg: 'FORBIDDEN_DEPARTMENT' },
    // naming a department invites it: it is not bound (its directory not in the roster) until it accepts
    check: (_who, body) => {
      expect(body).toMatchObject({
        jointDepartmentIds: [],
        partners: [{ departmentId: w.dept.scjg, state: 'invited' }],
      });
    },
  },
  {
    method: 'GET',
    route: '/api/dashboard',
    url: () => '/api/dashboard?year=2026',
    expect: staffButSupervisor,
  },
  // the district rules: staff read them, the joint office changes them (the value here is the default)
  {
    method: 'GET',
    route: '/api/settings/rules',
    url: () => '/api/settings/rules',
    expect: staffButSupervisor,
  },
  {
    method: 'PUT',
    route: '/api/settings/rules',
    url: () => '/api/settings/rules',
    body: () => ({ rules: { jointObjectsTarget: 120 } }),
    expect: jointOnly,
  },
  {
    method: 'GET',
    route: '/api/settings/rules/history',
    url: () => '/api/settings/rules/history',
    expect: staffButSupervisor,
  },
  // the supervisor's page (routes/supervisor.ts, draw.verify): every draw; a department admin his own
  {
    method: 'GET',
    route: '/api/supervisor/draws',
    url: () => '/api/supervisor/draws',
    expect: { ...all(403), anon: 401, admin: 'ok', scjg: 'ok', jyj: 'ok', supervisor: 'ok' },
    check: (who, body) => {
      const drawIds = (body as { items: { id: number }[] }).items.map((d) => d.id);
      // SCJG's draw: the supervisor, the joint office and SCJG see it; JYJ (no draws) sees none
      expect(drawIds.includes(ids.draw)).toBe(who !== 'jyj');
      expect(drawIds.length === 0).toBe(who === 'jyj');
    },
  },
  // the full bundle (each entity's stratum, the real inspector pool): never another department's
  {
    method: 'GET',
    route: '/api/draws/:id/bundle/full',
    url: () => `/api/draws/${ids.draw}/bundle/full`,
    expect: { ...all(403), anon: 401, admin: 'ok', scjg: 'ok', jyj: 404, supervisor: 'ok' },
    check: (_who, body) => {
      const b = (typeof body === 'string' ? JSON.parse(body) : body) as { view: string; format: string };
      expect(b.format).toBe('choucha-draw-bundle-v2');
      expect(b.view).toBe('full');
    },
  },
  { method: 'GET', route: '/api/audit', url: () => '/api/audit', expect: auditRead },
  { method: 'GET', route: '/api/audit/verify', url: () => '/api/audit/verify', expect: auditRead },
  { method: 'GET', route: '/api/meta/result-codes', url: () => '/api/meta/result-codes', expect: all('ok') },
  { method: 'GET', route: '/api/public/results', url: () => '/api/public/results', expect: all('ok') },
  { method: 'GET', route: '/api/public/draws', url: () => '/api/public/draws', expect: all('ok') },
  {
    method: 'GET',
    route: '/api/public/audit/checkpoints',
    url: () => '/api/public/audit/checkpoints',
    expect: all('ok'),
  },
  {
    method: 'GET',
    route: '/api/public/draws/:id',
    url: () => `/api/public/draws/${ids.draw}`,
    expect: all('ok'),
  },
  {
    method: 'GET',
    route: '/api/public/draws/:id/bundle',
    url: () => `/api/public/draws/${ids.draw}/bundle`,
    expect: all('ok'),
  },
  // annual plans: SCJG's plan is written by SCJG (and the joint office), hidden from JYJ, read by leaders
  { method: 'GET', route: '/api/plans', url: () => '/api/plans?year=2026', expect: planReaders },
  { method: 'GET', route: '/api/plans/year/:year', url: () => '/api/plans/year/2026', expect: planReaders },
  {
    method: 'POST',
    route: '/api/plans',
    url: () => '/api/plans',
    body: () => ({ kind: 'department', departmentId: w.dept.scjg, year: 2027, name: 'x' }),
    expect: planWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
  {
    method: 'GET',
    route: '/api/plans/:id',
    url: () => `/api/plans/${plan.id}`,
    expect: { ...planReaders, jyj: 404 },
    code: { jyj: 'PLAN_NOT_FOUND' },
  },
  {
    method: 'PUT',
    route: '/api/plans/:id',
    url: () => `/api/plans/${plan.id}`,
    body: () => ({ name: 'matrix plan' }),
    expect: planWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
  },
  ...(['file', 'amend', 'close'] as const).map((a): Row => ({
    method: 'POST',
    route: `/api/plans/:id/${a}`,
    url: () => `/api/plans/${plan.id}/${a}`,
    body: () => (a === 'amend' ? { reason: 'matrix' } : {}),
    expect: planWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  })),
  ...(['approve', 'return'] as const).map((a): Row => ({
    method: 'POST',
    route: `/api/plans/:id/${a}`,
    url: () => `/api/plans/${plan.id}/${a}`,
    body: () => (a === 'return' ? { reason: 'matrix' } : {}),
    expect: jointOnly,
    deniedOnly: true,
  })),
  {
    method: 'POST',
    route: '/api/plans/:id/batches',
    url: () => `/api/plans/${plan.id}/batches`,
    body: planBatchBody,
    expect: planWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
  {
    method: 'PUT',
    route: '/api/plan-batches/:id',
    url: () => `/api/plan-batches/${plan.batch}`,
    body: planBatchBody,
    expect: planWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
  },
  {
    method: 'DELETE',
    route: '/api/plan-batches/:id',
    url: () => `/api/plan-batches/${plan.batch}`,
    expect: planWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/plan-batches/:id/open',
    url: () => `/api/plan-batches/${plan.batch}/open`,
    expect: planWriters,
    code: { jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/plans/open-due',
    url: () => '/api/plans/open-due',
    body: () => ({ today: '2026-01-01' }),
    expect: jointOnly,
  },
  // 相同对象、相近时间 (routes/campaigns/joint.ts): staff read, the joint office detects and decides
  {
    method: 'GET',
    route: '/api/joint/proposals',
    url: () => '/api/joint/proposals?year=2026',
    expect: staff,
  },
  {
    method: 'POST',
    route: '/api/joint/proposals/detect',
    url: () => '/api/joint/proposals/detect',
    body: () => ({ year: 2026 }),
    expect: jointOnly,
  },
  ...(['accept', 'decline'] as const).map((a): Row => ({
    method: 'POST',
    route: `/api/joint/proposals/:id/${a}`,
    url: () => `/api/joint/proposals/999999/${a}`,
    body: () => ({}),
    expect: { ...jointOnly, admin: 404 },
    code: { admin: 'JOINT_PROPOSAL_NOT_FOUND', scjg: 'FORBIDDEN', leader: 'FORBIDDEN' },
  })),
  { method: 'GET', route: '/api/joint/visits', url: () => '/api/joint/visits?year=2026', expect: staff },
  {
    method: 'GET',
    route: '/api/joint/burden',
    url: () => '/api/joint/burden?year=2026',
    expect: staffButSupervisor,
  },
  { method: 'GET', route: '/api/joint/rules', url: () => '/api/joint/rules', expect: staff },
  {
    method: 'PUT',
    route: '/api/joint/rules',
    url: () => '/api/joint/rules',
    body: () => ({ nearDays: 30 }),
    expect: jointOnly,
  },
  // a department brings its items to a joint task: the department in the URL, as for its answer
  {
    method: 'POST',
    route: '/api/tasks/:id/partners/:departmentId/items',
    url: () => `/api/tasks/${ids.invitingJyj}/partners/${w.dept.jyj}/items`,
    body: () => ({ itemIds: [w.itemIds.jyj[0]] }),
    expect: { ...importers, scjg: 403 },
    code: { scjg: 'FORBIDDEN_DEPARTMENT', inspector: 'FORBIDDEN', leader: 'FORBIDDEN' },
    deniedOnly: true,
  },
  {
    method: 'POST',
    route: '/api/tasks/:id/partners/:departmentId/items',
    url: () => `/api/tasks/${ids.invitingWlj}/partners/${w.dept.wlj}/items`,
    body: () => ({ itemIds: [] }),
    expect: { ...importers, scjg: 404, jyj: 403 },
    code: { scjg: 'TASK_NOT_FOUND', jyj: 'FORBIDDEN_DEPARTMENT' },
    deniedOnly: true,
  },
];
// Endpoints whose access is not role-based (login, logout, own password) are tested elsewhere.
const NOT_IN_MATRIX = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password']);

describe('access matrix', () => {
  it('gives the supervisor no write of any kind: every write route answers 403', () => {
    const writes = MATRIX.filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(60);
    expect(writes.filter((r) => r.expect.supervisor !== 403).map((r) => `${r.method} ${r.route}`)).toEqual(
      [],
    );
    // and every write route of the server is in the table (so the runs below check it for him)
    const tabled = new Set(writes.map((r) => `${r.method} ${r.route}`));
    const untabled = [...routes].filter(
      (r) => !r.startsWith('GET ') && !r.startsWith('HEAD ') && !tabled.has(r) && !NOT_IN_MATRIX.has(r),
    );
    expect(untabled).toEqual([]);
  });

  it('covers every API route', () => {
    expect(routes.size).toBeGreaterThan(40);
    const covered = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
    const missing = [...routes].filter((r) => !covered.has(r) && !NOT_IN_MATRIX.has(r) && !r.includes('*'));
    expect(missing).toEqual([]);
  });

  for (const row of MATRIX) {
    for (const who of WHO) {
      const want = row.expect[who];
      if (row.deniedOnly && want === 'ok') continue;
      it(`${who} ${row.method} ${row.route} → ${want}`, async () => {
        const headers: Record<string, string> = cookies[who] ? { cookie: cookies[who] } : {};
        const file = row.upload?.();
        const upload = file ? multipart(file.fileName, file.data) : undefined;
        const res = await app.inject({
          method: row.method,
          url: row.url(),
          headers: { ...headers, ...upload?.headers },
          ...(upload ? { payload: upload.payload } : row.body ? { payload: row.body() as object } : {}),
        });
        if (want === 'ok') {
          expect(res.statusCode, res.body).toBeLessThan(300);
          row.check?.(who, String(res.headers['content-type']).includes('json') ? res.json() : res.body);
        } else {
          expect(res.statusCode, res.body).toBe(want);
          expect(res.json()).toMatchObject({
            code: row.code?.[who] ?? expect.any(String),
            requestId: expect.any(String),
          });
        }
        if (row.route.startsWith('/api/public/')) expect(res.body).not.toMatch(/riskClass|"risk_class"/);
      });
    }
  }
});

describe('errors', () => {
  it('answers a malformed body with VALIDATION_FAILED naming the field, never 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { cookie: cookies.scjg! },
      payload: { name: '' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().message).toMatch(/name|itemIds/);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(bad.statusCode).toBe(400);
    const nf = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ code: 'NOT_FOUND' });
    const id = await app.inject({ method: 'GET', url: '/api/tasks/abc', headers: { cookie: cookies.scjg! } });
    expect(id.statusCode).toBe(400);
  });

  it('refuses an item outside the department list with ITEM_NOT_IN_LIST', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { cookie: cookies.jyj! },
      payload: {
        name: 't',
        itemIds: [w.itemIds.scjg[0]],
        windowStart: '2026-05-01',
        windowEnd: '2026-05-31',
        sampling: { ratio: 0.1 },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ITEM_NOT_IN_LIST' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain('/api/tasks');
  });
});

describe('sessions', () => {
  it('sets an HttpOnly SameSite cookie, throttles repeated failures, and logs out', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leader', password: TEST_PASSWORD },
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'victim', password: 'wrong' },
        remoteAddress: '10.9.9.9',
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'victim', password: 'wrong' },
      remoteAddress: '10.9.9.9',
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'AUTH_THROTTLED' });
    const c = cookie.split(';')[0]!;
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c } })).statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: c } })).statusCode,
    ).toBe(401);
  });

  it('forces a password change after an admin reset, and refuses weak passwords', async () => {
    const reset = await app.inject({
      method: 'POST',
      url: `/api/users/${w.actors.leader.id}/reset-password`,
      headers: { cookie: cookies.admin! },
      payload: { password: 'temporary-pw-1' },
    });
    expect(reset.statusCode).toBe(204);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'leader', password: 'temporary-pw-1' },
    });
    expect(login.json().user.mustChangePassword).toBe(true);
    const c = String(login.headers['set-cookie']).split(';')[0]!;
    const blocked = await app.inject({ method: 'GET', url: '/api/dashboard', headers: { cookie: c } });
    expect(blocked.json()).toMatchObject({ code: 'AUTH_PASSWORD_CHANGE_REQUIRED' });
    const weak = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: c },
      payload: { currentPassword: 'temporary-pw-1', newPassword: 'short' },
    });
    expect(weak.json()).toMatchObject({ code: 'AUTH_PASSWORD_WEAK' });
    const good = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: c },
      payload: { currentPassword: 'temporary-pw-1', newPassword: 'a-new-long-password' },
    });
    expect(good.statusCode).toBe(204);
  });
});
