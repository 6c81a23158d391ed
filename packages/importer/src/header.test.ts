import { describe, expect, it } from 'vitest';
import { applyMappingOverride, detectHeader, missingRequired } from './header.ts';
import { ITEM_FIELDS, INSPECTOR_FIELDS, JOINT_ITEM_FIELDS, matchHeader } from './fields.ts';

const row = (rowNumber: number, cells: string[]) => ({ rowNumber, cells, notes: [] }) as never;

describe('header variants of real lists', () => {
  it('item lists: 编制单位名称 beside 编制单位, 实施主体 / 检查主体名称, 责任部门, 抽查事项名称 …', () => {
    const cases: [string, string][] = [
      ['编制单位', 'departmentName'],
      ['编制单位名称', 'departmentName'],
      ['编制部门', 'departmentName'],
      ['责任部门', 'departmentName'],
      ['责任单位', 'departmentName'],
      ['实施部门（单位）', 'departmentName'],
      ['检查主体', 'subjects'],
      ['检查主体名称', 'subjects'],
      ['实施主体', 'subjects'],
      ['抽查事项名称', 'name'],
      ['检查事项', 'name'],
      ['事项名称', 'name'],
      ['检查事项名称', 'name'],
      ['抽查领域', 'category'],
      ['*抽查类别', 'category'],
    ];
    for (const [h, f] of cases) expect([h, matchHeader(h, ITEM_FIELDS)]).toEqual([h, f]);
    expect(matchHeader('备注', ITEM_FIELDS)).toBeUndefined();
  });
  it('joint lists and inspector lists: …名称 variants of the department columns', () => {
    expect(matchHeader('牵头部门名称', JOINT_ITEM_FIELDS)).toBe('leadDepartmentName');
    expect(matchHeader('发起部门名称', JOINT_ITEM_FIELDS)).toBe('leadDepartmentName');
    expect(matchHeader('配合部门名称', JOINT_ITEM_FIELDS)).toBe('cooperatingDepartmentNames');
    expect(matchHeader('参与单位', JOINT_ITEM_FIELDS)).toBe('cooperatingDepartmentNames');
    expect(matchHeader('所属部门名称', INSPECTOR_FIELDS)).toBe('departmentName');
    expect(matchHeader('执法主体', INSPECTOR_FIELDS)).toBe('departmentName');
  });
  it('a provincial header is detected under a title row; the unused columns are listed; an override maps one', () => {
    const rows = [
      row(1, ['陕西省随机抽查事项清单（2026 年版）']),
      row(2, ['序号', '编制单位名称', '抽查类别', '抽查事项', '检查主体名称', '负责机构', '备注']),
    ];
    const d = detectHeader(rows, ITEM_FIELDS)!;
    expect(d.rowIndexes).toEqual([1]);
    expect(d.mapping.fields['departmentName']).toEqual({ column: 1, header: '编制单位名称' });
    expect(d.mapping.unmapped.map((u) => u.header)).toEqual(['负责机构', '备注']);
    expect(missingRequired(d.mapping, ITEM_FIELDS)).toEqual([]);
    const o = applyMappingOverride(d.mapping, d.headers, { departmentName: 5, subjects: null }, ITEM_FIELDS);
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.value.fields['departmentName']).toEqual({ column: 5, header: '负责机构' });
    expect(o.value.fields['subjects']).toBeUndefined();
    expect(o.value.unmapped.map((u) => u.header)).toEqual(['编制单位名称', '检查主体名称', '备注']);
  });
});
