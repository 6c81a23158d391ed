import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import XLSX from 'xlsx';
import type { FullBundleV2 } from '@choucha/core';
import { auditEvents, inspectors, recusals } from '@choucha/db';
import { openTestWorld, testUscc, type TestWorld } from '../testing.ts';
import { bundleFileOf } from '../campaigns/draw-test-support.ts';
import {
  addRecusal,
  certStatusOn,
  commitDraw,
  commitRecusalImport,
  createTask,
  declareRecusal,
  decideRecusal,
  dryRunRecusalImport,
  getImport,
  getInspector,
  importReportXlsx,
  listInspectors,
  listMyRecusals,
  listRecusals,
  parseDeclaredOn,
} from '../index.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 12 });
});
afterAll(async () => {
  await w?.cleanup();
});

function xlsx(aoa: string[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '回避');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('recusal declarations', () => {
  let declared: number;

  it('lets a linked inspector declare for himself; an account without a record cannot', async () => {
    const r = await declareRecusal(w.svc, w.actors.inspector, {
      entityId: w.entityIds[0]!,
      relation: '近亲属',
      note: '配偶任该公司监事',
      declaredOn: '2026-02-20',
    });
    declared = r.id;
    expect(r).toMatchObject({
      inspectorId: w.inspectorIds.scjg[0],
      status: 'declared',
      declaredBy: w.actors.inspector.id,
      confirmedBy: null,
      relation: '近亲属',
    });
    await expect(
      declareRecusal(w.svc, w.actors.inspector, { entityId: w.entityIds[0]!, relation: '近亲属' }),
    ).rejects.toMatchObject({ code: 'RECUSAL_DUPLICATE' });
    await expect(
      declareRecusal(w.svc, w.actors.scjg, { entityId: w.entityIds[1]!, relation: '近亲属' }),
    ).rejects.toMatchObject({ code: 'USER_NOT_INSPECTOR' });
    expect((await listMyRecusals(w.svc, w.actors.inspector)).map((x) => x.id)).toEqual([declared]);
  });

  it('is confirmed or rejected by his own department’s admin only, once', async () => {
    expect((await listRecusals(w.svc, w.actors.scjg, { status: 'declared' })).map((x) => x.id)).toEqual([
      declared,
    ]);
    expect(await listRecusals(w.svc, w.actors.jyj, { status: 'declared' })).toEqual([]);
    await expect(listRecusals(w.svc, w.actors.inspector)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decideRecusal(w.svc, w.actors.jyj, declared, { decision: 'confirm' })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    await expect(
      decideRecusal(w.svc, w.actors.inspector, declared, { decision: 'confirm' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decideRecusal(w.svc, w.actors.scjg, declared, { decision: 'reject' })).rejects.toMatchObject(
      {
        code: 'VALIDATION_FAILED',
      },
    );
    const ok = await decideRecusal(w.svc, w.actors.scjg, declared, { decision: 'confirm' });
    expect(ok).toMatchObject({ status: 'confirmed', confirmedBy: w.actors.scjg.id });
    await expect(
      decideRecusal(w.svc, w.actors.scjg, declared, { decision: 'reject', reason: '迟到的驳回' }),
    ).rejects.toMatchObject({ code: 'RECUSAL_STATE' });
    // a second declaration is rejected, with the reason kept
    const second = await declareRecusal(w.svc, w.actors.inspector, {
      entityId: w.entityIds[1]!,
      relation: '曾在该单位任职',
    });
    const no = await decideRecusal(w.svc, w.actors.scjg, second.id, {
      decision: 'reject',
      reason: '任职已满五年，不构成利害关系',
    });
    expect(no).toMatchObject({ status: 'rejected', rejectReason: '任职已满五年，不构成利害关系' });
    const detail = await getInspector(w.svc, w.actors.scjg, w.inspectorIds.scjg[0]!);
    expect(detail.recusals.map((x) => [x.entityId, x.status])).toEqual([
      [w.entityIds[0], 'confirmed'],
      [w.entityIds[1], 'rejected'],
    ]);
    const actions = (await w.database.db.select({ action: auditEvents.action }).from(auditEvents)).map(
      (a) => a.action,
    );
    expect(actions.filter((a) => a.startsWith('recusal.'))).toEqual([
      'recusal.declare',
      'recusal.confirm',
      'recusal.declare',
      'recusal.reject',
    ]);
  });

  it('is recorded directly (confirmed) by the admin for his own department’s inspectors only', async () => {
    const r = await addRecusal(w.svc, w.actors.scjg, {
      inspectorId: w.inspectorIds.scjg[2]!,
      entityId: w.entityIds[3]!,
      relation: '投资关系',
    });
    expect(r.status).toBe('confirmed');
    await expect(
      addRecusal(w.svc, w.actors.scjg, {
        inspectorId: w.inspectorIds.jyj[0]!,
        entityId: w.entityIds[3]!,
        relation: '投资关系',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_DEPARTMENT' });
  });
});

describe('recusal import', () => {
  it('parses declaration dates in the common forms', () => {
    expect(parseDeclaredOn('2026-01-05')).toBe('2026-01-05');
    expect(parseDeclaredOn('2026/1/5')).toBe('2026-01-05');
    expect(parseDeclaredOn('2026年1月5日')).toBe('2026-01-05');
    expect(parseDeclaredOn('20260105')).toBe('2026-01-05');
    expect(parseDeclaredOn('2026-02-30')).toBeNull();
    expect(parseDeclaredOn('上月')).toBeNull();
  });

  it('dry-runs with a coded verdict per row and commits the good rows as confirmed', async () => {
    const file = xlsx([
      ['执法证号', '姓名', '统一社会信用代码', '主体名称', '关系', '说明', '申报日期', '填表人'],
      ['SC1', '', testUscc(5), '', '近亲属', '其弟为法定代表人', '2026-01-10', '张三'],
      ['', '监管员4', '', '碑林区测试科技企业6号', '同学', '', '2026/1/12', ''],
      ['SC9', '', testUscc(5), '', '近亲属', '', '', ''],
      ['JY0', '', testUscc(7), '', '近亲属', '', '', ''],
      ['SC1', '', '', '不存在的公司', '近亲属', '', '', ''],
      ['SC4', '', testUscc(8), '', '', '', '', ''],
      ['SC5', '', testUscc(9), '', '朋友', '', '去年', ''],
      ['SC0', '', testUscc(0), '', '近亲属', '', '', ''],
      ['SC1', '', testUscc(5), '', '近亲属', '同一行再出现', '', ''],
    ]);
    const dry = await dryRunRecusalImport(w.svc, w.actors.scjg, { fileName: '回避声明.xlsx', data: file });
    expect(dry.counts).toEqual({ rows: 9, accepted: 2, warned: 1, rejected: 4, merged: 2 });
    expect(dry.columns).toMatchObject({ certNo: '执法证号', uscc: '统一社会信用代码', relation: '关系' });
    expect(dry.unusedColumns).toEqual(['填表人']);
    const codes = dry.rows.map((r) => [r.rowNumber, r.verdict, r.reasons.map((x) => x.code)]);
    expect(codes).toEqual([
      [2, 'accepted', []],
      [3, 'accepted', []],
      [4, 'rejected', ['RECUSAL_INSPECTOR_UNKNOWN']],
      // another department's inspector is not in the directory the admin manages
      [5, 'rejected', ['RECUSAL_INSPECTOR_UNKNOWN']],
      [6, 'rejected', ['RECUSAL_ENTITY_UNKNOWN']],
      [7, 'rejected', ['RECUSAL_RELATION_MISSING']],
      [8, 'warning', ['RECUSAL_DATE_INVALID']],
      // SC0 already has a confirmed recusal for entity 0; the last row repeats row 2
      [9, 'merged', ['RECUSAL_EXISTS']],
      [10, 'merged', ['RECUSAL_EXISTS']],
    ]);
    expect(dry.rows[3]!.reasons[0]).toMatchObject({
      message: '可管理的执法人员名录中没有此人',
      value: 'JY0',
    });
    // the generic import record and its report answer for this kind too
    expect(await getImport(w.svc, w.actors.scjg, dry.id)).toMatchObject({
      kind: 'recusals',
      status: 'dry_run',
    });
    const report = XLSX.read(await importReportXlsx(w.svc, w.actors.scjg, dry.id));
    const sheet = XLSX.utils.sheet_to_json<string[]>(report.Sheets[report.SheetNames[0]!]!, { header: 1 });
    expect(sheet.map((r) => r[3] ?? '')).toEqual([
      '原因代码',
      '',
      '',
      'RECUSAL_INSPECTOR_UNKNOWN',
      'RECUSAL_INSPECTOR_UNKNOWN',
      'RECUSAL_ENTITY_UNKNOWN',
      'RECUSAL_RELATION_MISSING',
      'RECUSAL_DATE_INVALID',
      'RECUSAL_EXISTS',
      'RECUSAL_EXISTS',
    ]);
    // nothing is written by the dry run
    expect(await w.database.db.select().from(recusals).where(eq(recusals.importId, dry.id))).toEqual([]);
    const done = await commitRecusalImport(w.svc, w.actors.scjg, dry.id);
    expect(done).toMatchObject({ status: 'committed', counts: { created: 3 } });
    const rows = await w.database.db.select().from(recusals).where(eq(recusals.importId, dry.id));
    expect(rows.map((r) => [r.inspectorId, r.entityId, r.status, r.declaredOn]).sort()).toEqual(
      [
        [w.inspectorIds.scjg[1], w.entityIds[5], 'confirmed', '2026-01-10'],
        [w.inspectorIds.scjg[3], w.entityIds[6], 'confirmed', '2026-01-12'],
        [w.inspectorIds.scjg[5], w.entityIds[9], 'confirmed', '2026-03-01'],
      ].sort(),
    );
    await expect(commitRecusalImport(w.svc, w.actors.scjg, dry.id)).rejects.toMatchObject({
      code: 'IMPORT_ALREADY_COMMITTED',
    });
    await expect(commitRecusalImport(w.svc, w.actors.jyj, dry.id)).rejects.toMatchObject({
      code: 'IMPORT_NOT_FOUND',
    });
  });

  it('refuses a file without the needed columns', async () => {
    await expect(
      dryRunRecusalImport(w.svc, w.actors.scjg, {
        fileName: 'x.xlsx',
        data: xlsx([
          ['姓名', '电话'],
          ['监管员1', '123'],
        ]),
      }),
    ).rejects.toMatchObject({ code: 'IMPORT_NO_HEADER' });
  });
});

describe('the matching and the certificate', () => {
  it('computes the certificate status on a day', () => {
    expect(certStatusOn('2026-02-15', '2026-03-01')).toEqual({ certStatus: 'expired', certDaysLeft: -14 });
    expect(certStatusOn('2026-03-01', '2026-03-01')).toEqual({ certStatus: 'expiring', certDaysLeft: 0 });
    expect(certStatusOn('2026-03-31', '2026-03-01')).toEqual({ certStatus: 'expiring', certDaysLeft: 30 });
    expect(certStatusOn('2026-04-01', '2026-03-01')).toEqual({ certStatus: 'valid', certDaysLeft: 31 });
    expect(certStatusOn(null, '2026-03-01')).toEqual({ certStatus: 'none', certDaysLeft: null });
  });

  it('shows an expired certificate as 证件过期 and a near one as expiring', async () => {
    await w.database.db
      .update(inspectors)
      .set({ certValidTo: '2026-02-15' })
      .where(eq(inspectors.id, w.inspectorIds.scjg[4]!));
    await w.database.db
      .update(inspectors)
      .set({ certValidTo: '2026-03-20' })
      .where(eq(inspectors.id, w.inspectorIds.scjg[3]!));
    const list = await listInspectors(w.svc, w.actors.scjg, { departmentId: w.dept.scjg });
    expect(list.map((i) => [i.name, i.status, i.certStatus])).toEqual([
      ['监管员1', '在岗', 'valid'],
      ['监管员2', '在岗', 'valid'],
      ['监管员3', '在岗', 'valid'],
      ['监管员4', '在岗', 'expiring'],
      ['监管员5', '证件过期', 'expired'],
      ['监管员6', '在岗', 'valid'],
    ]);
    expect((await listInspectors(w.svc, w.actors.scjg, { status: '证件过期' })).map((i) => i.id)).toEqual([
      w.inspectorIds.scjg[4],
    ]);
    const d = await getInspector(w.svc, w.actors.scjg, w.inspectorIds.scjg[4]!);
    expect(d).toMatchObject({ status: '证件过期', certStatus: 'expired', certDaysLeft: -14 });
  });

  it('commits only confirmed recusals and no inspector whose certificate has expired', async () => {
    // a past window the expired certificate still covered: only the commitment's day excludes it
    const taskId = await createTask(w.svc, w.actors.scjg, {
      name: '2026年一月补录抽查',
      itemIds: [w.itemIds.scjg[1]!],
      jointDepartmentIds: [],
      windowStart: '2026-01-05',
      windowEnd: '2026-02-10',
      sampling: { ratio: 0.5 },
    });
    const draw = await commitDraw(w.svc, w.actors.scjg, taskId, { seedSource: { dice: true } });
    // protocol v2: the real inspectors and the recusals are in the private matching record (the
    // full bundle); the public commitment has only pseudonyms
    const m = (await bundleFileOf<FullBundleV2>(w.svc, draw.id, 'full')).bundle.private.matching;
    expect(m.inspectors.map((i) => Number(i.id))).toEqual(
      w.inspectorIds.scjg.filter((id) => id !== w.inspectorIds.scjg[4]),
    );
    const pairs = m.recusals.map((p) => [Number(p.inspectorId), p.key]).sort();
    expect(pairs).toEqual(
      [
        [w.inspectorIds.scjg[0], testUscc(0)], // declared, then confirmed
        [w.inspectorIds.scjg[2], testUscc(3)], // entered by the admin
        [w.inspectorIds.scjg[1], testUscc(5)], // imported
        [w.inspectorIds.scjg[3], testUscc(6)],
        [w.inspectorIds.scjg[5], testUscc(9)],
      ].sort(),
    );
    // the rejected one (entity 1) is not there
    expect(pairs.some(([, k]) => k === testUscc(1))).toBe(false);
  });
});
