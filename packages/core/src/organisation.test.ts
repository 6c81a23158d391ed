import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalisePhone, parseDepartmentLevel, regionCodeProblems, splitNameList } from './organisation.ts';

const r = (name: string, code: string) => ({ name, code });

describe('regionCodeProblems', () => {
  it('accepts a district of its city of its province', () => {
    expect(
      regionCodeProblems({
        province: r('陕西省', '610000'),
        city: r('西安市', '610100'),
        district: r('碑林区', '610103'),
      }),
    ).toEqual([]);
    expect(
      regionCodeProblems({
        province: r('北京市', '110000'),
        city: r('市辖区', '110100'),
        district: r('东城区', '110101'),
      }),
    ).toEqual([]);
  });
  it('names each wrong code', () => {
    expect(
      regionCodeProblems({
        province: r('陕西省', '610100'),
        city: r('西安市', '620100'),
        district: r('碑林区', '610203'),
      }),
    ).toEqual([
      { field: 'province.code', problem: 'PROVINCE_CODE_FORMAT' },
      { field: 'district.code', problem: 'DISTRICT_NOT_IN_CITY' },
    ]);
    expect(
      regionCodeProblems({
        province: r('陕西省', '610000'),
        city: r('西安市', '620100'),
        district: r('', '620100'),
      }),
    ).toEqual([
      { field: 'district.name', problem: 'NAME_REQUIRED' },
      { field: 'city.code', problem: 'CITY_NOT_IN_PROVINCE' },
      { field: 'district.code', problem: 'DISTRICT_CODE_FORMAT' },
    ]);
  });
  it('property: the district code is accepted exactly when it extends the city code', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 11, max: 82 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 0, max: 999999 }),
        (p, c, d, other) => {
          const pp = String(p).padStart(2, '0');
          const cc = String(c).padStart(2, '0');
          const city = `${pp}${cc}00`;
          const district = String(other).padStart(6, '0');
          const problems = regionCodeProblems({
            province: r('省', `${pp}0000`),
            city: r('市', city),
            district: r('区', district),
          });
          const expectOk = district.startsWith(`${pp}${cc}`) && district.slice(4) !== '00';
          expect(problems.length === 0).toBe(expectOk);
          expect(
            regionCodeProblems({
              province: r('省', `${pp}0000`),
              city: r('市', city),
              district: r('区', `${pp}${cc}${String(d).padStart(2, '0')}`),
            }),
          ).toEqual([]);
        },
      ),
    );
  });
});

describe('normalisePhone', () => {
  it('mobile and landline forms', () => {
    expect(normalisePhone('13912345678')).toBe('13912345678');
    expect(normalisePhone('139 1234 5678')).toBe('13912345678');
    expect(normalisePhone('+86 139-1234-5678')).toBe('13912345678');
    expect(normalisePhone('029-87654321')).toBe('029-87654321');
    expect(normalisePhone('(029)87654321')).toBe('029-87654321');
    expect(normalisePhone('0917-3456789转123')).toBe('0917-3456789-123');
    expect(normalisePhone('０２９－８７６５４３２１')).toBe('029-87654321');
  });
  it('refuses what is not a number one can call', () => {
    for (const bad of [
      '12912345678',
      '1391234567',
      '87654321',
      '029-1234',
      '139123456789',
      'abc',
      '',
      '029-07654321',
    ])
      expect(normalisePhone(bad)).toBeUndefined();
  });
  it('property: every 1[3-9] eleven-digit number is accepted unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^[0-9]{9}$/), (second, rest) => {
        const n = `1${second}${rest}`;
        expect(normalisePhone(n)).toBe(n);
      }),
    );
  });
});

describe('levels and name lists', () => {
  it('parses Chinese level names', () => {
    expect(parseDepartmentLevel('区县级')).toBe('district');
    expect(parseDepartmentLevel('市级')).toBe('city');
    expect(parseDepartmentLevel('省')).toBe('province');
    expect(parseDepartmentLevel('乡镇')).toBeUndefined();
  });
  it('splits aliases on Chinese and Latin separators', () => {
    expect(splitNameList('市场监管局、市监局，工商局;质监局；市场监管局\n食药监局')).toEqual([
      '市场监管局',
      '市监局',
      '工商局',
      '质监局',
      '食药监局',
    ]);
    expect(splitNameList('  ')).toEqual([]);
  });
});
