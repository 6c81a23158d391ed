import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitDepartmentCell } from './department-cells.ts';

const none = () => false;

describe('splitDepartmentCell', () => {
  it('co-leads split on 、，,；; and line breaks', () => {
    expect(splitDepartmentCell('公安部门、卫生健康部门', none)).toEqual(['公安部门', '卫生健康部门']);
    expect(splitDepartmentCell('教育局，公安局;卫健局\n城管局', none)).toEqual([
      '教育局',
      '公安局',
      '卫健局',
      '城管局',
    ]);
    expect(splitDepartmentCell('  ', none)).toEqual([]);
  });
  it('a known name containing 、 stays one', () => {
    const known = new Set(['文化、旅游和体育局', '人力资源、社会保障局']);
    const is = (n: string) => known.has(n);
    expect(splitDepartmentCell('文化、旅游和体育局', is)).toEqual(['文化、旅游和体育局']);
    expect(splitDepartmentCell('公安部门、文化、旅游和体育局、教育局', is)).toEqual([
      '公安部门',
      '文化、旅游和体育局',
      '教育局',
    ]);
    expect(splitDepartmentCell('人力资源、社会保障局；文化、旅游和体育局', is)).toEqual([
      '人力资源、社会保障局',
      '文化、旅游和体育局',
    ]);
  });
  const part = fc.stringMatching(/^[一-龥]{1,6}$/);
  it('property: without known names, every 、 splits and no character is lost', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
        expect(splitDepartmentCell(parts.join('、'), none)).toEqual(parts);
      }),
    );
  });
  it('property: the parts joined by 、 give back the segment; a known whole is one part', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), fc.nat(), (parts, seed) => {
        const text = parts.join('、');
        const knownRun = parts.slice(seed % parts.length).join('、');
        const out = splitDepartmentCell(text, (n) => n === knownRun);
        expect(out.join('、')).toBe(text);
        expect(out).toContain(knownRun);
      }),
    );
  });
});
