/**
 * Department scoping on every write path (issue 7 §2): the department admin of the education
 * bureau (jyj) acting against the market bureau's (scjg, the lead bureau) data. Each case was
 * reproduced on the code before the fix and failed there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { isAppError } from '@choucha/core';
import {
  auditEvents,
  entities,
  entityExclusions,
  inspectorStatusPeriods,
  inspectors,
  itemEditions,
  taskItems,
} from '@choucha/db';
import { openTestWorld, testUscc, type TestWorld } from './testing.ts';
import {
  commitImport,
  dryRunImport,
  getImport,
  importReportXlsx,
  listImports,
  runImport,
} from './imports/index.ts';
import {
  correctCode,
  detectCodeIssues,
  dismissCodeIssue,
  exportCodeIssuesXlsx,
  getCodeIssue,
  listCodeIssues,
  markPilot,
  mergeEntities,
} from './code-issues.ts';
import { excludeEntity, listExclusions } from './exclusions.ts';
import { answerTaskInvitation, createTask, getTask, listTasks } from './tasks.ts';
import { commitDraw, previewDraw } from './draws.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 40 });
});
afterAll(async () => {
  await w?.cleanup();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);
const reasonCodes = (r: { reasons: { code: string }[] } | undefined) => r?.reasons.map((x) => x.code) ?? [];

describe('imports take the department from the file: checked against the uploader', () => {
  it('inspectors: rows naming another department are rejected per row; its inspectors stay as they were', async () => {
    const file = csv([
      '姓名,执法证号,所属部门,状态',
      '监管员1,SC0,区市场监管局,离岗', // an SCJG inspector, set to 离岗
      '冒名人员,FAKE1,区市场监管局,在岗', // a fake SCJG inspector
      '监管员2,SC1,区教育局,在岗', // SCJG's inspector (by certificate) moved into JYJ
      '教育执法9,JY9,区教育局,在岗', // JYJ's own: fine
    ]);
    const dry = await dryRunImport(w.svc, w.actors.jyj, {
      kind: 'inspectors',
      fileName: 'i.csv',
      data: file,
    });
    expect(dry.rows.map((r) => r.verdict)).toEqual(['rejected', 'rejected', 'rejected', 'accepted']);
    expect(reasonCodes(dry.rows[0])).toContain('DEPARTMENT_FORBIDDEN');
    expect(reasonCodes(dry.rows[1])).toContain('DEPARTMENT_FORBIDDEN');
    expect(reasonCodes(dry.rows[2])).toContain('INSPECTOR_OTHER_DEPARTMENT');
    expect(dry.rows[0]?.reasons.find((x) => x.code === 'DEPARTMENT_FORBIDDEN')?.message).toContain(
      '区市场监管局',
    );
    const done = await commitImport(w.svc, w.actors.jyj, dry.id);
    expect(done.counts.created).toBe(1);
    expect(done.counts.updated).toBe(0);
    const scjg = await w.database.db
      .select()
      .from(inspectors)
      .where(eq(inspectors.departmentId, w.dept.scjg));
    expect(scjg.map((i) => i.name).sort()).toEqual(
      ['监管员1', '监管员2', '监管员3', '监管员4', '监管员5', '监管员6'].sort(),
    );
    const periods = await w.database.db
      .select()
      .from(inspectorStatusPeriods)
      .where(inArray(inspectorStatusPeriods.inspectorId, w.inspectorIds.scjg));
    expect(periods).toEqual([]);
    const [moved] = await w.database.db
      .select()
      .from(inspectors)
      .where(eq(inspectors.id, w.inspectorIds.scjg[1]!));
    expect(moved?.departmentId).toBe(w.dept.scjg);
  });

  it('?departmentId= of another department → FORBIDDEN_DEPARTMENT (dry run and one-pass import)', async () => {
    const file = csv(['姓名,执法证号', '冒名人员,FAKE2']);
    expect(
      await codeOf(
        dryRunImport(w.svc, w.actors.jyj, {
          kind: 'inspectors',
          fileName: 'i.csv',
          data: file,
          departmentId: w.dept.scjg,
        }),
      ),
    ).toBe('FORBIDDEN_DEPARTMENT');
    expect(
      await codeOf(
        runImport(w.svc, w.actors.jyj, {
          kind: 'inspectors',
          fileName: 'i.csv',
          data: file,
          departmentId: w.dept.scjg,
          commit: true,
        }),
      ),
    ).toBe('FORBIDDEN_DEPARTMENT');
    const fakes = await w.database.db.select().from(inspectors).where(eq(inspectors.name, '冒名人员'));
    expect(fakes).toEqual([]);
    // its own department, and an unknown one
    const own = await dryRunImport(w.svc, w.actors.jyj, {
      kind: 'inspectors',
      fileName: 'i.csv',
      data: file,
      departmentId: w.dept.jyj,
    });
    expect(own.counts.accepted + own.counts.warned).toBe(1);
    expect(
      await codeOf(
        dryRunImport(w.svc, w.actors.admin, {
          kind: 'inspectors',
          fileName: 'i.csv',
          data: file,
          departmentId: 999_999,
        }),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('items: no new edition of another department’s list; that department’s tasks keep working', async () => {
    const file = csv([
      '编制单位,序号,抽查类别,抽查事项',
      '区市场监管局,1,市场监管,伪造的检查事项',
      '区教育局,1,教育,校外培训机构检查',
      '区教育局,2,教育,幼儿园办园行为检查',
    ]);
    const dry = await dryRunImport(w.svc, w.actors.jyj, { kind: 'items', fileName: 'x.csv', data: file });
    expect(dry.rows[0]?.verdict).toBe('rejected');
    expect(reasonCodes(dry.rows[0])).toContain('DEPARTMENT_FORBIDDEN');
    const done = await commitImport(w.svc, w.actors.jyj, dry.id);
    expect(done.counts.editions).toBe(1); // JYJ's own
    const scjgEditions = await w.database.db
      .select()
      .from(itemEditions)
      .where(eq(itemEditions.departmentId, w.dept.scjg));
    expect(scjgEditions.map((e) => e.status)).toEqual(['published']);
    // SCJG's own task on its (still published) item
    const task = await createTask(w.svc, w.actors.scjg, {
      name: '市场监管抽查',
      itemIds: [w.itemIds.scjg[0]!],
      jointDepartmentIds: [],
      windowStart: '2026-04-01',
      windowEnd: '2026-04-30',
      sampling: { ratio: 0.1 },
    });
    expect(task).toBeGreaterThan(0);
  });

  it('joint items (one shared list) are master data: FORBIDDEN_MASTER_DATA for a department', async () => {
    const file = csv(['抽查领域,抽查事项,发起部门,配合部门', '教育,校园周边联合检查,区教育局,区市场监管局']);
    expect(
      await codeOf(dryRunImport(w.svc, w.actors.jyj, { kind: 'joint_items', fileName: 'j.csv', data: file })),
    ).toBe('FORBIDDEN_MASTER_DATA');
  });
});

describe('entities: registration facts are master data (joint office or the lead bureau)', () => {
  it('a department’s import adds new entities under its supervision, never changes existing ones', async () => {
    const [before] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(0)));
    expect(before?.supervisingDeptIds).toEqual([w.dept.scjg]);
    const file = csv([
      '企业名称,统一社会信用代码,登记状态,住所',
      `改名企业,${testUscc(0)},注销,某地`, // SCJG's entity: set to 注销 and renamed
      `教育局新增培训机构,${testUscc(900)},存续,碑林区友谊路1号`,
    ]);
    const dry = await dryRunImport(w.svc, w.actors.jyj, { kind: 'entities', fileName: 'e.csv', data: file });
    expect(dry.rows[0]?.verdict).toBe('warning');
    expect(reasonCodes(dry.rows[0])).toContain('ENTITY_FACTS_READ_ONLY');
    expect(dry.rows[1]?.verdict).toBe('accepted');
    const done = await commitImport(w.svc, w.actors.jyj, dry.id);
    expect(reasonCodes(done.rows[0])).toContain('ENTITY_FACTS_READ_ONLY');
    expect(done.counts.created).toBe(1);
    const [after] = await w.database.db.select().from(entities).where(eq(entities.id, before!.id));
    expect(after?.status).toBe('存续');
    expect(after?.name).toBe(before?.name);
    expect(after?.address).toBe(before?.address);
    // … but JYJ now supervises it too (its own supervision, not a registration fact)
    expect(after?.supervisingDeptIds).toEqual([w.dept.scjg, w.dept.jyj]);
    const [created] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(900)));
    expect(created?.supervisingDeptIds).toEqual([w.dept.jyj]);
  });

  it('the lead bureau (and the joint office) still maintain the registration facts', async () => {
    const file = csv([
      '企业名称,统一社会信用代码,登记状态',
      `${'碑林区测试商贸企业1号'},${testUscc(1)},吊销`,
    ]);
    const done = await runImport(w.svc, w.actors.scjg, {
      kind: 'entities',
      fileName: 'e.csv',
      data: file,
      commit: true,
    });
    expect(reasonCodes(done.rows[0])).not.toContain('ENTITY_FACTS_READ_ONLY');
    const [e] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(1)));
    expect(e?.status).toBe('吊销');
  });
});

describe('重错码 queue: scoped reads, corrections by the joint office or the lead bureau only', () => {
  let scjgIssue: number;
  let sharedIssue: number;
  beforeAll(async () => {
    // a duplicate of an SCJG-only entity (2) and of an entity JYJ supervises too (3)
    const [e2] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(2)));
    const [e3] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(3)));
    expect(e3?.supervisingDeptIds).toContain(w.dept.jyj);
    for (const e of [e2!, e3!])
      await w.database.db.insert(entities).values({
        uscc: e.uscc,
        codeStatus: 'valid',
        name: `${e.name}（重复）`,
        status: '存续',
        supervisingDeptIds: [w.dept.scjg],
      });
    await detectCodeIssues(w.svc, w.actors.admin);
    const all = await listCodeIssues(w.svc, w.actors.admin, {
      page: 1,
      pageSize: 100,
      kind: 'duplicate_code',
    });
    scjgIssue = all.items.find((i) => i.code === testUscc(2))!.id;
    sharedIssue = all.items.find((i) => i.code === testUscc(3))!.id;
  });

  it('a department lists, reads and exports only issues of entities it supervises', async () => {
    const mine = await listCodeIssues(w.svc, w.actors.jyj, { page: 1, pageSize: 100 });
    expect(mine.items.map((i) => i.id)).toEqual([sharedIssue]);
    expect(mine.total).toBe(1);
    expect(mine.byStatus).toEqual({ open: 1 });
    // the page shows the resolving buttons only where the server would accept them
    expect(mine.mayWrite).toBe(false);
    expect((await listCodeIssues(w.svc, w.actors.scjg, { page: 1, pageSize: 1 })).mayWrite).toBe(true);
    expect((await listCodeIssues(w.svc, w.actors.admin, { page: 1, pageSize: 1 })).mayWrite).toBe(true);
    expect(await codeOf(getCodeIssue(w.svc, w.actors.jyj, scjgIssue))).toBe('NOT_FOUND');
    expect((await getCodeIssue(w.svc, w.actors.jyj, sharedIssue)).id).toBe(sharedIssue);
    const wb = XLSX.read(await exportCodeIssuesXlsx(w.svc, w.actors.jyj, {}));
    const aoa = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['重错码']!, { header: 1 });
    expect(new Set(aoa.slice(1).map((r) => r[0]))).toEqual(new Set([sharedIssue]));
  });

  it('a department may not correct, merge, mark or dismiss (registration facts): FORBIDDEN_MASTER_DATA', async () => {
    const [e2] = await w.database.db
      .select()
      .from(entities)
      .where(eq(entities.uscc, testUscc(2)));
    const note = { note: '试图更正' };
    for (const id of [scjgIssue, sharedIssue]) {
      expect(
        await codeOf(
          correctCode(w.svc, w.actors.jyj, id, { entityId: e2!.id, code: testUscc(901), ...note }),
        ),
      ).toBe('FORBIDDEN_MASTER_DATA');
      expect(await codeOf(mergeEntities(w.svc, w.actors.jyj, id, { keepId: e2!.id, ...note }))).toBe(
        'FORBIDDEN_MASTER_DATA',
      );
      expect(await codeOf(markPilot(w.svc, w.actors.jyj, id, note))).toBe('FORBIDDEN_MASTER_DATA');
      expect(await codeOf(dismissCodeIssue(w.svc, w.actors.jyj, id, note))).toBe('FORBIDDEN_MASTER_DATA');
    }
    expect(await codeOf(detectCodeIssues(w.svc, w.actors.jyj))).toBe('FORBIDDEN_MASTER_DATA');
    const [still] = await w.database.db.select().from(entities).where(eq(entities.id, e2!.id));
    expect(still?.uscc).toBe(testUscc(2));
    // the lead bureau corrects
    const fixed = await correctCode(w.svc, w.actors.scjg, scjgIssue, {
      entityId: e2!.id,
      code: testUscc(902),
      note: '据营业执照更正',
    });
    expect(fixed.status).toBe('corrected');
  });
});

describe('import reads are scoped like other reads (404 for another department)', () => {
  it('list, detail and report.xlsx of another department’s import', async () => {
    const imp = await dryRunImport(w.svc, w.actors.scjg, {
      kind: 'inspectors',
      fileName: 'scjg-inspectors.csv',
      data: csv(['姓名,执法证号,所属部门', '监管员1,SC0,区市场监管局']),
    });
    expect(await codeOf(getImport(w.svc, w.actors.jyj, imp.id))).toBe('IMPORT_NOT_FOUND');
    expect(await codeOf(importReportXlsx(w.svc, w.actors.jyj, imp.id))).toBe('IMPORT_NOT_FOUND');
    expect(await codeOf(commitImport(w.svc, w.actors.jyj, imp.id))).toBe('IMPORT_NOT_FOUND');
    const list = await listImports(w.svc, w.actors.jyj, {});
    expect(list.map((i) => i.id)).not.toContain(imp.id);
    expect(list.length).toBeGreaterThan(0); // its own imports are listed
    expect((await listImports(w.svc, w.actors.admin, {})).map((i) => i.id)).toContain(imp.id);
    expect((await getImport(w.svc, w.actors.scjg, imp.id)).id).toBe(imp.id);
  });
});

describe('exclusions: internal reasons stay within the department', () => {
  it('an inspector sees his department’s and the joint office’s exclusions only', async () => {
    const ids = w.entityIds;
    await excludeEntity(w.svc, w.actors.jyj, ids[7]!, {
      reason: '教育局内部：举报核查中',
      fromDate: '2026-03-01',
    });
    await excludeEntity(w.svc, w.actors.scjg, ids[8]!, {
      reason: '市场监管局：立案调查',
      fromDate: '2026-03-01',
    });
    await excludeEntity(w.svc, w.actors.admin, ids[9]!, {
      reason: '联合办公室：整治期间',
      fromDate: '2026-03-01',
    });
    const seen = await listExclusions(w.svc, w.actors.inspector); // an SCJG inspector
    expect(seen.map((x) => x.reason).sort()).toEqual(['市场监管局：立案调查', '联合办公室：整治期间'].sort());
    const jyj = await listExclusions(w.svc, w.actors.jyj);
    expect(jyj.map((x) => x.reason).sort()).toEqual(
      ['教育局内部：举报核查中', '联合办公室：整治期间'].sort(),
    );
    expect(await listExclusions(w.svc, w.actors.admin)).toHaveLength(3);
    await w.database.db.delete(entityExclusions);
  });
});

describe('a cooperating department (配合部门) accepts before it is bound', () => {
  // JYJ's list was re-published by the import above: its current first item
  let jyjItem: number;
  beforeAll(async () => {
    const [r] = await w.database.query<{ id: number }>(
      `select i.id from items i join item_editions e on e.id = i.edition_id
        where e.status = 'published' and i.department_id = ${w.dept.jyj} order by i.id limit 1`,
    );
    jyjItem = r!.id;
  });
  const jointTask = (name: string) =>
    createTask(w.svc, w.actors.jyj, {
      name,
      itemIds: [jyjItem],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.2 },
    });
  const jyjSupervised = async () => {
    const r = await w.database.query<{ n: number }>(
      `select count(*)::int as n from entities where ${w.dept.jyj} = any(supervising_dept_ids) and status in ('存续','在营','开业')`,
    );
    return r[0]!.n;
  };

  it('naming a partner invites it: not bound, its directory not in the roster, commit refused', async () => {
    const id = await jointTask('校园周边联合抽查');
    const t = await getTask(w.svc, w.actors.jyj, id);
    expect(t.jointDepartmentIds).toEqual([]);
    expect(t.partners).toMatchObject([{ departmentId: w.dept.scjg, state: 'invited' }]);
    const preview = await previewDraw(w.svc, w.actors.jyj, id);
    expect(preview.rosterSize).toBe(await jyjSupervised());
    expect(await codeOf(commitDraw(w.svc, w.actors.jyj, id, { seedSource: { dice: true } }))).toBe(
      'JOINT_PARTNER_PENDING',
    );
    // the invited partner sees the task (to answer it)
    expect((await getTask(w.svc, w.actors.scjg, id)).id).toBe(id);
    expect((await listTasks(w.svc, w.actors.scjg)).map((x) => x.id)).toContain(id);
    // the lead may not answer for it; the partner's inspector may not either
    expect(await codeOf(answerTaskInvitation(w.svc, w.actors.jyj, id, w.dept.scjg, 'accepted'))).toBe(
      'FORBIDDEN_DEPARTMENT',
    );
    expect(await codeOf(answerTaskInvitation(w.svc, w.actors.inspector, id, w.dept.scjg, 'accepted'))).toBe(
      'FORBIDDEN',
    );
  });

  it('accepted: bound, its directory in the roster, the answer audited with who and when', async () => {
    const id = await jointTask('联合抽查（接受）');
    w.setNow('2026-03-02T03:00:00Z');
    const { task: t, partner } = await answerTaskInvitation(
      w.svc,
      w.actors.scjg,
      id,
      w.dept.scjg,
      'accepted',
      '同意配合',
    );
    expect(partner.state).toBe('accepted');
    expect(t?.jointDepartmentIds).toEqual([w.dept.scjg]);
    expect(t?.partners).toMatchObject([
      {
        departmentId: w.dept.scjg,
        state: 'accepted',
        answeredBy: w.actors.scjg.id,
        answeredAt: '2026-03-02T03:00:00.000Z',
        note: '同意配合',
      },
    ]);
    expect(await codeOf(answerTaskInvitation(w.svc, w.actors.scjg, id, w.dept.scjg, 'declined'))).toBe(
      'JOINT_INVITATION_ANSWERED',
    );
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'task.partner_accepted'), eq(auditEvents.subjectId, String(id))));
    expect(ev).toHaveLength(1);
    expect(ev[0]?.departmentId).toBe(w.dept.scjg);
    const preview = await previewDraw(w.svc, w.actors.jyj, id);
    expect(preview.rosterSize).toBeGreaterThan(await jyjSupervised());
    const draw = await commitDraw(w.svc, w.actors.jyj, id, { seedSource: { dice: true } });
    expect(draw.rosterSize).toBe(preview.rosterSize);
  });

  it('declined: not bound, its items leave the task, it no longer sees the task; the draw proceeds', async () => {
    const id = await createTask(w.svc, w.actors.jyj, {
      name: '联合抽查（拒绝）',
      itemIds: [jyjItem, w.itemIds.scjg[1]!],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.2 },
    });
    const { task: t } = await answerTaskInvitation(
      w.svc,
      w.actors.admin,
      id,
      w.dept.scjg,
      'declined',
      '本月无力量',
    );
    expect(t?.partners).toMatchObject([{ state: 'declined', answeredBy: w.actors.admin.id }]);
    expect(t?.jointDepartmentIds).toEqual([]);
    expect(t?.isJoint).toBe(false);
    expect(t?.items.map((i) => i.id)).toEqual([jyjItem]);
    const left = await w.database.db.select().from(taskItems).where(eq(taskItems.taskId, id));
    expect(left.map((r) => r.itemId)).toEqual([jyjItem]);
    expect(await codeOf(getTask(w.svc, w.actors.scjg, id))).toBe('NOT_FOUND');
    expect((await listTasks(w.svc, w.actors.scjg)).map((x) => x.id)).not.toContain(id);
    const draw = await commitDraw(w.svc, w.actors.jyj, id, { seedSource: { dice: true } });
    expect(draw.rosterSize).toBe(await jyjSupervised());
  });

  it('a task of the system actor (demo replay, CLI) binds its partners at once', async () => {
    const { SYSTEM } = await import('./context.ts');
    const id = await createTask(w.svc, SYSTEM, {
      name: '演示联合抽查',
      departmentId: w.dept.jyj,
      itemIds: [jyjItem],
      jointDepartmentIds: [w.dept.scjg],
      windowStart: '2026-05-01',
      windowEnd: '2026-05-31',
      sampling: { ratio: 0.2 },
    });
    const t = await getTask(w.svc, w.actors.admin, id);
    expect(t.jointDepartmentIds).toEqual([w.dept.scjg]);
    expect(t.partners).toMatchObject([{ state: 'accepted', answeredBy: null }]);
    void sql;
  });
});
