import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { and, eq } from 'drizzle-orm';
import { auditEvents, departments, settingsHistory } from '@choucha/db';
import { openTestWorld, type TestWorld } from '../testing.ts';
import {
  createDepartment,
  deleteDepartment,
  getDepartmentRecord,
  listDepartmentDirectory,
  setDepartmentActive,
  updateDepartment,
} from './departments.ts';
import { importDepartments } from './department-import.ts';
import { getOrganisation, getSetupStatus, updateOrganisation } from './organisation.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld();
});
afterAll(async () => w?.cleanup());

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

function xlsx(rows: string[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '成员单位');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

const org = {
  province: { name: '陕西省', code: '610000' },
  city: { name: '西安市', code: '610100' },
  district: { name: '碑林区', code: '610103' },
  leadBureauName: '碑林区市场监督管理局',
};

describe('organisation', () => {
  it('validates GB/T 2260 codes, stores with history and audit, is read by every role', async () => {
    expect(
      await codeOf(
        updateOrganisation(w.svc, w.actors.admin, { ...org, district: { name: '碑林区', code: '610203' } }),
      ),
    ).toBe('ORGANISATION_INVALID');
    expect(await codeOf(updateOrganisation(w.svc, w.actors.scjg, org))).toBe('FORBIDDEN');
    await updateOrganisation(w.svc, w.actors.admin, org);
    const got = await getOrganisation(w.svc, w.actors.inspector);
    expect(got).toEqual({ ...org, setupCompletedAt: null });
    const hist = await w.database.db
      .select()
      .from(settingsHistory)
      .where(eq(settingsHistory.key, 'organisation'));
    expect(hist).toHaveLength(1);
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'organisation.update'));
    expect(ev).toHaveLength(1);
    expect(ev[0]!.actorId).toBe(w.actors.admin.id);
  });
});

describe('departments', () => {
  it('creates with a validated phone; a mobile and a landline are accepted, a wrong number is refused', async () => {
    const d = await createDepartment(w.svc, w.actors.admin, {
      name: '碑林区统计局',
      shortName: '统计局',
      code: 'TJJ',
      aliases: ['区统计局', '统计局', '区统计局'],
      level: 'district',
      contactName: '王联络',
      contactPhone: '139 1234 5678',
    });
    expect(d.contactPhone).toBe('13912345678');
    expect(d.aliases).toEqual(['区统计局', '统计局']);
    expect(d.active).toBe(true);
    expect(
      await codeOf(
        createDepartment(w.svc, w.actors.admin, { name: '碑林区民政局', code: 'MZJ', contactPhone: '12345' }),
      ),
    ).toBe('DEPARTMENT_PHONE_INVALID');
    const land = await createDepartment(w.svc, w.actors.admin, {
      name: '碑林区民政局',
      code: 'MZJ',
      contactPhone: '029-87654321',
    });
    expect(land.contactPhone).toBe('029-87654321');
    expect(await codeOf(createDepartment(w.svc, w.actors.admin, { name: '另一个', code: 'tjj' }))).toBe(
      'DEPARTMENT_CODE_TAKEN',
    );
    expect(
      await codeOf(createDepartment(w.svc, w.actors.admin, { name: ' 碑林区统计局 ', code: 'X1' })),
    ).toBe('DEPARTMENT_NAME_TAKEN');
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'department.create'), eq(auditEvents.subjectId, String(d.id))));
    expect(ev).toHaveLength(1);
  });

  it('keeps one lead: a second lead is refused unless the change is explicit', async () => {
    expect(await codeOf(updateDepartment(w.svc, w.actors.admin, w.dept.jyj, { isLead: true }))).toBe(
      'DEPARTMENT_LEAD_EXISTS',
    );
    await updateDepartment(w.svc, w.actors.admin, w.dept.jyj, { isLead: true, replaceLead: true });
    const leads = await w.database.db
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.isLead, true));
    expect(leads.map((l) => l.id)).toEqual([w.dept.jyj]);
    await updateDepartment(w.svc, w.actors.admin, w.dept.scjg, { isLead: true, replaceLead: true });
    const again = await w.database.db
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.isLead, true));
    expect(again.map((l) => l.id)).toEqual([w.dept.scjg]);
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'department.lead'));
    expect(ev).toHaveLength(2);
  });

  it('parent must be of a higher level; a cycle is refused', async () => {
    const city = await createDepartment(w.svc, w.actors.admin, {
      name: '西安市教育局',
      code: 'XA-JY',
      level: 'city',
    });
    await updateDepartment(w.svc, w.actors.admin, w.dept.jyj, { parentId: city.id });
    expect(await codeOf(updateDepartment(w.svc, w.actors.admin, city.id, { parentId: w.dept.jyj }))).toBe(
      'DEPARTMENT_PARENT_INVALID',
    );
    // a city-level user sees its districts, read-only
    const cityUser = { ...w.actors.jyj, departmentId: city.id };
    const seen = await listDepartmentDirectory(w.svc, cityUser);
    expect(seen.items.map((d) => d.id).sort((a, b) => a - b)).toEqual(
      [w.dept.jyj, city.id].sort((a, b) => a - b),
    );
    expect(seen.canWrite).toBe(false);
    expect((await getDepartmentRecord(w.svc, cityUser, w.dept.jyj)).id).toBe(w.dept.jyj);
    expect(await codeOf(getDepartmentRecord(w.svc, cityUser, w.dept.scjg))).toBe('DEPARTMENT_NOT_FOUND');
    expect(await codeOf(updateDepartment(w.svc, cityUser, w.dept.jyj, { contactName: 'x' }))).toBe(
      'FORBIDDEN',
    );
    await updateDepartment(w.svc, w.actors.admin, w.dept.jyj, { parentId: null });
  });

  it('dept_admin, inspector and leader cannot write', async () => {
    for (const a of [w.actors.scjg, w.actors.inspector, w.actors.leader]) {
      expect(await codeOf(createDepartment(w.svc, a, { name: '新部门', code: 'NEW' }))).toBe('FORBIDDEN');
      expect(await codeOf(setDepartmentActive(w.svc, a, w.dept.wlj, false))).toBe('FORBIDDEN');
      expect(await codeOf(deleteDepartment(w.svc, a, w.dept.wlj))).toBe('FORBIDDEN');
      expect(
        await codeOf(
          importDepartments(w.svc, a, xlsx([['部门名称'], ['x局']]), { fileName: 'a.xlsx', commit: true }),
        ),
      ).toBe('FORBIDDEN');
    }
  });

  it('deactivates and reactivates; the lead stays active; inactive ones leave the default list', async () => {
    expect(await codeOf(setDepartmentActive(w.svc, w.actors.admin, w.dept.scjg, false))).toBe(
      'DEPARTMENT_IN_USE',
    );
    const d = await setDepartmentActive(w.svc, w.actors.admin, w.dept.wlj, false);
    expect(d.active).toBe(false);
    const list = await listDepartmentDirectory(w.svc, w.actors.admin);
    expect(list.items.some((x) => x.id === w.dept.wlj)).toBe(false);
    const all = await listDepartmentDirectory(w.svc, w.actors.admin, { includeInactive: true });
    expect(all.items.some((x) => x.id === w.dept.wlj)).toBe(true);
    expect((await setDepartmentActive(w.svc, w.actors.admin, w.dept.wlj, true)).active).toBe(true);
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'department.deactivate'));
    expect(ev).toHaveLength(1);
  });

  it('deletes a department without history only', async () => {
    expect(await codeOf(deleteDepartment(w.svc, w.actors.admin, w.dept.scjg))).toBe('DEPARTMENT_HAS_HISTORY');
    const typo = await createDepartment(w.svc, w.actors.admin, { name: '碑林区错字局', code: 'TYPO' });
    await deleteDepartment(w.svc, w.actors.admin, typo.id);
    expect(await codeOf(getDepartmentRecord(w.svc, w.actors.admin, typo.id))).toBe('DEPARTMENT_NOT_FOUND');
  });
});

describe('department import', () => {
  const header = [
    '序号',
    '单位名称',
    '简称',
    '代码',
    '别名',
    '联络员',
    '联系电话',
    '层级',
    '上级部门',
    '备注',
  ];
  it('dry run reports per-row coded problems and writes nothing; commit refuses while any row is wrong', async () => {
    const file = xlsx([
      ['碑林区联席会议成员单位名单'],
      header,
      [
        '1',
        '碑林区卫生健康局',
        '卫健局',
        'WJJ',
        '区卫健委、卫生健康委',
        '李四',
        '13800000001',
        '区县级',
        '',
        '',
      ],
      ['2', '碑林区应急管理局', '', '', '', '', '12345', '', '', ''],
      ['3', '碑林区卫生健康局', '', '', '', '', '', '', '', ''],
      ['4', '碑林区司法局', '', '', '', '', '', '乡镇级', '不存在的局', ''],
    ]);
    const before = (await w.database.db.select().from(departments)).length;
    const r = await importDepartments(w.svc, w.actors.admin, file, { fileName: 'm.xlsx', commit: false });
    expect(r.headerRow).toBe(2);
    expect(r.unusedHeaders).toEqual(['序号', '备注']);
    expect(r.counts).toEqual({ create: 1, update: 0, unchanged: 0, rejected: 3 });
    expect(r.rows.map((x) => x.problems.map((p) => p.code))).toEqual([
      [],
      ['PHONE_INVALID'],
      ['DUPLICATE_IN_FILE'],
      ['LEVEL_UNKNOWN', 'PARENT_UNKNOWN'],
    ]);
    expect(r.rows[1]!.shortName).toBe('应急管理局');
    expect(r.rows[1]!.problems[0]!.zh).toMatch(/联系电话/);
    expect(
      await codeOf(importDepartments(w.svc, w.actors.admin, file, { fileName: 'm.xlsx', commit: true })),
    ).toBe('DEPARTMENT_IMPORT_INVALID');
    expect((await w.database.db.select().from(departments)).length).toBe(before);
  });

  it('commits a clean list: creates, updates by code, merges aliases, resolves parents in the file', async () => {
    const csv = Buffer.from(
      [
        '部门名称,简称,部门代码,别名,联络员,联系电话,层级,上级部门',
        '西安市卫生健康委员会,市卫健委,XA-WJW,,,,市级,',
        '碑林区卫生健康局,卫健局,,区卫健委；卫生健康委,李四,029-87650001,区县级,市卫健委',
        '区教育局,教育局,JYJ,教育部门,张三,13900000002,区县级,',
      ].join('\r\n'),
      'utf8',
    );
    const dry = await importDepartments(w.svc, w.actors.admin, csv, { fileName: 'd.csv', commit: false });
    expect(dry.rows.map((x) => [x.action, x.problems.map((p) => p.code)])).toEqual([
      ['create', []],
      ['create', []],
      ['update', []],
    ]);
    const done = await importDepartments(w.svc, w.actors.admin, csv, { fileName: 'd.csv', commit: true });
    expect(done.committed).toBe(true);
    expect(done.counts).toEqual({ create: 2, update: 1, unchanged: 0, rejected: 0 });
    const rows = await w.database.db.select().from(departments);
    const city = rows.find((d) => d.code === 'XA-WJW')!;
    const wj = rows.find((d) => d.name === '碑林区卫生健康局')!;
    expect(city.level).toBe('city');
    expect(wj.parentId).toBe(city.id);
    expect(wj.aliases).toEqual(['区卫健委', '卫生健康委']);
    expect(wj.code).toMatch(/^D\d{3}$/);
    const jyj = rows.find((d) => d.id === w.dept.jyj)!;
    expect(jyj.aliases).toEqual(['教育部门']);
    expect(jyj.contactPhone).toBe('13900000002');
    const again = await importDepartments(w.svc, w.actors.admin, csv, { fileName: 'd.csv', commit: false });
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 3, rejected: 0 });
    const ev = await w.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'department.import'));
    expect(ev).toHaveLength(1);
  });

  it('the setup status follows the organisation and the directory', async () => {
    const s = await getSetupStatus(w.svc, w.actors.leader);
    expect(s.organisation?.district.name).toBe('碑林区');
    expect(s.leadDepartments).toBe(1);
    expect(s.missing).toEqual([]);
    expect(s.needed).toBe(true);
  });
});
