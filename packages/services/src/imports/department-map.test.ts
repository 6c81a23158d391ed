/**
 * Files that name departments the directory does not know (issue 8 §2): the dry run lists them
 * with row counts, the user maps them (one department, several for co-leads, or skip), the
 * mapping is saved as aliases, and nothing is filed under a department nobody chose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { isAppError } from '@choucha/core';
import { auditEvents, departments, itemEditions, items, jointItems } from '@choucha/db';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { commitImport, dryRunImport, getImport, runImport } from './index.ts';

let w: TestWorld;
let ga: number;
let wj: number;
let wl2: number;
beforeAll(async () => {
  w = await openTestWorld({ entities: 0 });
  const add = async (code: string, name: string, shortName: string) =>
    (
      await w.svc.database.db
        .insert(departments)
        .values({ code, name, shortName })
        .returning({ id: departments.id })
    )[0]!.id;
  ga = await add('GA', '西安市公安局碑林分局', '公安碑林分局');
  wj = await add('WJJ', '区卫生健康局', '卫健局');
  // a name that itself contains 、 (the directory decides it is one department)
  wl2 = await add('WLT2', '区文化、旅游和体育局', '文旅体局');
});
afterAll(async () => {
  await w?.cleanup();
});

const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

const PROVINCIAL = csv([
  '序号,编制单位名称,抽查类别,抽查事项,检查对象',
  '1,省教育厅,学校,民办学校办学行为检查,民办学校',
  '2,省教育厅,学校,校外培训机构检查,培训机构',
  '3,教育部门,学校,幼儿园办园行为检查,幼儿园',
  '4,市场监管领域相关部门,产品质量,生产领域产品质量检查,生产企业',
  '5,公安部门、卫生健康部门,公共场所,公共场所卫生与治安检查,公共场所',
  '6,公安部门、卫生健康部门,娱乐场所,娱乐场所联合检查,娱乐场所',
  '7,区市场监管局,食品,食品经营检查,食品经营者',
  '8,区文化、旅游和体育局,文化市场,演出场所检查,演出场所',
]);

describe('department names the directory does not know', () => {
  let dryId: number;
  it('the dry run lists each unresolved name with its rows; those rows are rejected, none filed elsewhere', async () => {
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'items',
      fileName: 'p.csv',
      data: PROVINCIAL,
    });
    dryId = dry.id;
    expect(dry.columns.fields.find((f) => f.key === 'departmentName')?.header).toBe('编制单位名称');
    const un = dry.departmentNames!.unresolved.map((u) => [u.name, u.rows, u.sampleRows]);
    expect(un).toEqual([
      ['公安部门', 2, [6, 7]],
      ['卫生健康部门', 2, [6, 7]],
      ['省教育厅', 2, [2, 3]],
      ['市场监管领域相关部门', 1, [5]],
      ['教育部门', 1, [4]],
    ]);
    expect(dry.departmentNames!.unresolved.every((u) => u.multiple && u.kind === 'none')).toBe(true);
    expect(dry.rows.map((r) => r.verdict)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
      'accepted',
    ]);
    expect(dry.counts).toMatchObject({ rows: 8, accepted: 2, rejected: 6 });
    expect(dry.reasonCounts['DEPARTMENT_UNMAPPED']).toBe(6);
    const first = dry.rows[0]!.reasons.find((r) => r.code === 'DEPARTMENT_UNMAPPED')!;
    expect(first.message).toContain('“省教育厅”');
    expect(first.message).toContain('部门对应');
    // 区文化、旅游和体育局 is one department, not two names
    expect(dry.departmentNames!.resolved.find((r) => r.name === '区文化、旅游和体育局')?.departmentId).toBe(
      wl2,
    );
    // stored with the import
    const again = await getImport(w.svc, w.actors.admin, dry.id);
    expect(again.departmentNames).toEqual(dry.departmentNames);
  });

  it('a department admin may map a name only to its own department', async () => {
    expect(
      await codeOf(
        dryRunImport(w.svc, w.actors.jyj, {
          kind: 'items',
          fileName: 'p.csv',
          data: PROVINCIAL,
          departmentMap: { 省教育厅: [w.dept.scjg] },
        }),
      ),
    ).toBe('IMPORT_DEPARTMENT_MAP_FORBIDDEN');
    expect(
      await codeOf(commitImport(w.svc, w.actors.admin, dryId, { departmentMap: { 省教育厅: [999_999] } })),
    ).toBe('IMPORT_DEPARTMENT_MAP_INVALID');
    const own = await dryRunImport(w.svc, w.actors.jyj, {
      kind: 'items',
      fileName: 'p.csv',
      data: PROVINCIAL,
      departmentMap: { 省教育厅: [w.dept.jyj] },
    });
    expect(own.rows.slice(0, 2).map((r) => r.verdict)).toEqual(['accepted', 'accepted']);
    // rows resolving to other departments stay the other departments' (rejected for jyj)
    expect(own.rows[6]!.reasons.map((r) => r.code)).toContain('DEPARTMENT_FORBIDDEN');
  });

  it('the commit applies the mapping (co-leads → an item for each), skips rows, saves aliases (audited)', async () => {
    const done = await commitImport(w.svc, w.actors.admin, dryId, {
      departmentMap: {
        省教育厅: [w.dept.jyj],
        教育部门: [w.dept.jyj],
        市场监管领域相关部门: 'skip',
        公安部门: [ga],
        卫生健康部门: [wj],
      },
    });
    expect(done.status).toBe('committed');
    expect(done.counts).toMatchObject({ rows: 8, accepted: 7, rejected: 1 });
    expect(done.rows[3]!.reasons.map((r) => r.code)).toContain('DEPARTMENT_SKIPPED');
    expect(done.rows[0]!.reasons.map((r) => r.code)).toContain('DEPARTMENT_MAPPED');
    const db = w.svc.database.db;
    const published = async (d: number) =>
      (
        await db
          .select({ name: items.name })
          .from(items)
          .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
          .where(and(eq(itemEditions.departmentId, d), eq(itemEditions.status, 'published')))
      )
        .map((r) => r.name)
        .sort();
    expect(await published(w.dept.jyj)).toEqual(
      ['幼儿园办园行为检查', '校外培训机构检查', '民办学校办学行为检查'].sort(),
    );
    expect(await published(ga)).toEqual(['公共场所卫生与治安检查', '娱乐场所联合检查']);
    expect(await published(wj)).toEqual(['公共场所卫生与治安检查', '娱乐场所联合检查']);
    expect(await published(wl2)).toEqual(['演出场所检查']);
    const aliases = await db
      .select({ id: departments.id, aliases: departments.aliases })
      .from(departments)
      .where(inArray(departments.id, [w.dept.jyj, ga, wj]));
    const by = new Map(aliases.map((a) => [a.id, [...a.aliases].sort()]));
    expect(by.get(w.dept.jyj)).toEqual(['教育部门', '省教育厅'].sort());
    expect(by.get(ga)).toEqual(['公安部门']);
    expect(by.get(wj)).toEqual(['卫生健康部门']);
    const events = await db
      .select({ subjectId: auditEvents.subjectId, after: auditEvents.after })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'department.alias_added'));
    expect(events).toHaveLength(4);
  });

  it('the next file resolves by the saved aliases; only the skipped name is asked again', async () => {
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'items',
      fileName: 'p2.csv',
      data: PROVINCIAL,
    });
    expect(dry.departmentNames!.unresolved.map((u) => [u.name, u.rows])).toEqual([
      ['市场监管领域相关部门', 1],
    ]);
    const viaAlias = dry.departmentNames!.resolved.find((r) => r.name === '省教育厅');
    expect(viaAlias).toMatchObject({ departmentId: w.dept.jyj, via: 'alias', rows: 2 });
    expect(dry.counts).toMatchObject({ accepted: 7, rejected: 1 });
  });

  it('no silent fallback: a joint office with a department of its own must choose the department', async () => {
    const noColumn = csv(['抽查类别,抽查事项', '食品,食品生产检查', '食品,食品销售检查']);
    const office = { ...w.actors.admin, departmentId: w.dept.scjg };
    const dry = await dryRunImport(w.svc, office, { kind: 'items', fileName: 'n.csv', data: noColumn });
    expect(dry.rows.map((r) => r.verdict)).toEqual(['rejected', 'rejected']);
    expect(dry.rows[0]!.reasons.map((r) => r.code)).toContain('DEPARTMENT_REQUIRED');
    expect(await codeOf(commitImport(w.svc, office, dry.id))).toBe('IMPORT_NOTHING_ACCEPTED');
    expect(
      await codeOf(
        runImport(w.svc, office, { kind: 'items', fileName: 'n.csv', data: noColumn, commit: true }),
      ),
    ).toBe('IMPORT_NOTHING_ACCEPTED');
    // chosen explicitly: fine
    const chosen = await dryRunImport(w.svc, office, {
      kind: 'items',
      fileName: 'n.csv',
      data: noColumn,
      departmentId: w.dept.scjg,
    });
    expect(chosen.counts).toMatchObject({ accepted: 2, rejected: 0 });
    // a department admin's own department is the only one it may write: still the default
    const own = await dryRunImport(w.svc, w.actors.jyj, { kind: 'items', fileName: 'n.csv', data: noColumn });
    expect(own.counts).toMatchObject({ accepted: 2, rejected: 0 });
  });

  it('joint items: co-lead 发起部门 → the first leads, the others cooperate; 配合部门 split with the directory', async () => {
    const file = csv([
      '抽查领域,抽查事项,发起部门,配合部门',
      '公共场所,公共场所联合检查,公安部门、卫生健康部门,区文化、旅游和体育局、区教育局',
      '食品,校园食品安全检查,区市场监管局,未知部门甲',
    ]);
    const r = await runImport(w.svc, w.actors.admin, {
      kind: 'joint_items',
      fileName: 'j.csv',
      data: file,
      commit: true,
    });
    expect(r.rows.map((x) => x.verdict)).toEqual(['accepted', 'rejected']);
    expect(r.departmentNames!.unresolved.map((u) => [u.name, u.field, u.rows])).toEqual([
      ['未知部门甲', 'cooperatingDepartmentNames', 1],
    ]);
    const [ji] = await w.svc.database.db
      .select()
      .from(jointItems)
      .where(eq(jointItems.name, '公共场所联合检查'));
    expect(ji!.leadDepartmentId).toBe(ga);
    expect([...ji!.cooperatingDepartmentIds].sort((a, b) => a - b)).toEqual(
      [w.dept.jyj, wj, wl2].sort((a, b) => a - b),
    );
  });

  it('column mapping: unused columns reported; an override is applied by the dry run and kept for the commit', async () => {
    const file = csv(['负责机构,抽查类别,抽查事项,备注', '区教育局,学校,学校安全检查,无']);
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'items',
      fileName: 'm.csv',
      data: file,
      departmentId: w.dept.scjg,
    });
    expect(dry.columns.headers).toEqual(['负责机构', '抽查类别', '抽查事项', '备注']);
    expect(dry.columns.unused.map((u) => u.header)).toEqual(['负责机构', '备注']);
    expect(dry.columns.fields.find((f) => f.key === 'departmentName')).toMatchObject({ column: null });
    const mapped = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'items',
      fileName: 'm.csv',
      data: file,
      departmentId: w.dept.scjg,
      mapping: { departmentName: 0 },
    });
    expect(mapped.columns.fields.find((f) => f.key === 'departmentName')).toMatchObject({
      column: 0,
      header: '负责机构',
    });
    expect(mapped.columns.unused.map((u) => u.header)).toEqual(['备注']);
    expect(mapped.columns.override).toEqual({ departmentName: 0 });
    await commitImport(w.svc, w.actors.admin, mapped.id);
    const [it] = await w.svc.database.db
      .select({ departmentId: items.departmentId })
      .from(items)
      .where(eq(items.name, '学校安全检查'));
    expect(it!.departmentId).toBe(w.dept.jyj); // the file's column, not the fallback
  });
});

describe('the provincial fixture (e2e/fixtures/golive/provincial-items.xlsx)', () => {
  const FIXTURE = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../../e2e/fixtures/golive/provincial-items.xlsx',
  );
  it('header 编制单位名称 read; every name not in the directory listed with its rows; mapped, all rows publish', async () => {
    const data = fs.readFileSync(FIXTURE);
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'items',
      fileName: 'provincial-items.xlsx',
      data,
    });
    expect(dry.counts.rows).toBe(12);
    expect(dry.columns.fields.find((f) => f.key === 'departmentName')?.header).toBe('编制单位名称');
    expect(dry.columns.fields.find((f) => f.key === 'subjects')?.header).toBe('检查主体名称');
    const names = Object.fromEntries(
      [...dry.departmentNames!.unresolved, ...dry.departmentNames!.resolved].map((u) => [u.name, u.rows]),
    );
    // the earlier tests taught 省教育厅, 教育部门, 公安部门, 卫生健康部门 as aliases
    expect(names).toEqual({
      省教育厅: 3,
      省市场监管局: 3,
      省卫生健康委: 2,
      教育部门: 1,
      市场监管领域相关部门: 1,
      公安部门: 2,
      卫生健康部门: 2,
    });
    const unresolved = dry.departmentNames!.unresolved.map((u) => u.name).sort();
    const map: Record<string, number[]> = {};
    for (const n of unresolved) map[n] = [w.dept.scjg];
    const done = await commitImport(w.svc, w.actors.admin, dry.id, { departmentMap: map });
    expect(done.counts).toMatchObject({ rows: 12, rejected: 0 });
  });
});
