import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createDepartmentNameResolver,
  departmentNameForms,
  namesOtherLevelBody,
  resolveDepartmentName,
  type DepartmentNameEntry,
} from './department-names.ts';

const org = { placeNames: ['陕西省', '西安市', '碑林区'] };
const dir: DepartmentNameEntry[] = [
  { id: 1, name: '碑林区市场监督管理局', shortName: '市场监管局', code: 'SCJG', aliases: ['市场监管部门'] },
  { id: 2, name: '碑林区教育局', shortName: '教育局', code: 'JY', aliases: [] },
  { id: 3, name: '碑林区卫生健康局', shortName: '卫健局', code: 'WJ' },
  { id: 4, name: '西安市公安局碑林分局', shortName: '公安碑林分局', code: 'GA' },
  { id: 5, name: '碑林区经贸局(交通运输局)', shortName: '经贸局', code: 'JM' },
  { id: 6, name: '碑林区发展和改革委员会', shortName: '发改委', code: 'FG' },
];

describe('resolveDepartmentName: examples', () => {
  it('exact tiers: full name, short name, code, alias', () => {
    expect(resolveDepartmentName(dir, '碑林区教育局', org)).toEqual({ kind: 'match', id: 2, via: 'name' });
    expect(resolveDepartmentName(dir, '市场监管局', org)).toEqual({ kind: 'match', id: 1, via: 'short' });
    expect(resolveDepartmentName(dir, 'scjg', org)).toEqual({ kind: 'match', id: 1, via: 'code' });
    expect(resolveDepartmentName(dir, '市场监管部门', org)).toEqual({ kind: 'match', id: 1, via: 'alias' });
    expect(resolveDepartmentName(dir, ' 碑林区 教育局 ', org)).toEqual({ kind: 'match', id: 2, via: 'name' });
  });
  it("the district's own forms", () => {
    for (const n of ['区市场监管局', '市场监督管理局', '西安市碑林区市场监督管理局', '碑林市场监管局']) {
      expect(resolveDepartmentName(dir, n, org)).toEqual({ kind: 'match', id: 1, via: 'form' });
    }
    expect(resolveDepartmentName(dir, '区教育局', org)).toEqual({ kind: 'match', id: 2, via: 'form' });
    expect(resolveDepartmentName(dir, '卫生健康委员会', org)).toEqual({ kind: 'match', id: 3, via: 'form' });
    expect(resolveDepartmentName(dir, '区卫健委', org)).toEqual({ kind: 'match', id: 3, via: 'form' });
    expect(resolveDepartmentName(dir, '交通运输局', org)).toEqual({ kind: 'match', id: 5, via: 'form' });
    expect(resolveDepartmentName(dir, '碑林区经贸局（交通运输局）', org)).toEqual({
      kind: 'match',
      id: 5,
      via: 'name',
    });
    expect(resolveDepartmentName(dir, '区发展改革局', org)).toEqual({ kind: 'match', id: 6, via: 'form' });
    expect(resolveDepartmentName(dir, '碑林公安分局', org)).toEqual({ kind: 'match', id: 4, via: 'form' });
  });
  it('keeps the 市 of 市场 and does not take a provincial 厅 for a local 局', () => {
    expect(departmentNameForms('市场监管局')).toEqual(['市场监管']);
    expect(resolveDepartmentName(dir, '省教育厅', org)).toEqual({ kind: 'none' });
    // a body of the province or the city is not the district's department of the same field
    for (const n of ['省卫生健康委', '陕西省卫生健康委员会', '西安市市场监督管理局', '西安市教育局'])
      for (const resolve of [
        (x: string) => resolveDepartmentName(dir, x, org),
        createDepartmentNameResolver(dir, org),
      ])
        expect(resolve(n), n).toEqual({ kind: 'none' });
    // the district's own, written with the province and the city, still is
    expect(resolveDepartmentName(dir, '陕西省西安市碑林区卫生健康局', org)).toMatchObject({
      kind: 'match',
      id: 3,
    });
    expect(resolveDepartmentName(dir, '教育部门', org)).toEqual({ kind: 'none' });
    expect(resolveDepartmentName(dir, '', org)).toEqual({ kind: 'none' });
    expect(resolveDepartmentName(dir, '局', org)).toEqual({ kind: 'none' });
  });
  it('never guesses between two candidates', () => {
    const two: DepartmentNameEntry[] = [
      { id: 7, name: '碑林区教育局', shortName: '教育局' },
      { id: 3, name: '西安市教育局', shortName: '市教育局' },
    ];
    expect(resolveDepartmentName(two, '教育局', org)).toEqual({ kind: 'match', id: 7, via: 'short' });
    expect(resolveDepartmentName(two, '区教育局', org)).toEqual({ kind: 'ambiguous', ids: [3, 7] });
    const dup: DepartmentNameEntry[] = [
      { id: 9, name: 'A局', aliases: ['教育部门'] },
      { id: 8, name: 'B局', aliases: ['教育部门'] },
    ];
    expect(resolveDepartmentName(dup, '教育部门')).toEqual({ kind: 'ambiguous', ids: [8, 9] });
  });
});

// Names drawn from a vocabulary of real bureau words, so that forms collide as in practice.
const words = [
  '教育',
  '公安',
  '市场监督管理',
  '卫生健康',
  '统计',
  '城市管理',
  '文化和旅游',
  '应急管理',
  '人力资源和社会保障',
  '林业',
  '民政',
  '司法',
];
const suffixes = ['局', '委员会', '办公室', '委', '中心'];
const nameArb = fc
  .tuple(
    fc.constantFrom(...words),
    fc.constantFrom(...suffixes),
    fc.constantFrom('', '碑林区', '区', '西安市'),
  )
  .map(([w, s, p]) => p + w + s);
const dirArb = fc
  .uniqueArray(nameArb, { minLength: 1, maxLength: 8 })
  .map((names) => names.map((name, i): DepartmentNameEntry => ({ id: i + 1, name, code: `D${i + 1}` })));

describe('resolveDepartmentName: properties', () => {
  it('every entry is found by its own full name and its code', () => {
    fc.assert(
      fc.property(dirArb, (d) => {
        for (const e of d) {
          expect(resolveDepartmentName(d, e.name, org)).toEqual({ kind: 'match', id: e.id, via: 'name' });
          expect(resolveDepartmentName(d, e.code!.toLowerCase(), org)).toEqual({
            kind: 'match',
            id: e.id,
            via: 'code',
          });
        }
      }),
    );
  });
  it('a match is never one of two departments with the same form', () => {
    fc.assert(
      fc.property(dirArb, nameArb, (d, q) => {
        const qf = new Set(departmentNameForms(q, org));
        const sameForm = d
          .filter((e) => departmentNameForms(e.name, org).some((f) => qf.has(f)))
          .map((e) => e.id);
        const exact = d.filter((e) => e.name === q).map((e) => e.id);
        const model =
          exact.length === 1
            ? { kind: 'match', id: exact[0], via: 'name' }
            : exact.length === 0 && namesOtherLevelBody(q, org)
              ? { kind: 'none' }
              : sameForm.length === 1
                ? { kind: 'match', id: sameForm[0], via: 'form' }
                : sameForm.length > 1
                  ? { kind: 'ambiguous', ids: sameForm.sort((a, b) => a - b) }
                  : { kind: 'none' };
        expect(resolveDepartmentName(d, q, org)).toEqual(model);
      }),
    );
  });
  it('does not depend on the order of the directory, white space or full-width letters', () => {
    fc.assert(
      fc.property(dirArb, nameArb, fc.nat(), (d, q, seed) => {
        const shuffled = [...d].sort((a, b) => ((a.id * 7919 + seed) % 13) - ((b.id * 7919 + seed) % 13));
        const r = resolveDepartmentName(d, q, org);
        expect(resolveDepartmentName(shuffled, q, org)).toEqual(r);
        expect(resolveDepartmentName(d, ` ${[...q].join(' ')}\u3000`, org)).toEqual(r);
      }),
    );
  });
  it('a leading place name or level word does not change the answer of the form tier', () => {
    fc.assert(
      fc.property(dirArb, fc.constantFrom(...words), fc.constantFrom(...suffixes), (d, w, s) => {
        const exactPrefixed = d.some((e) => e.name === `区${w}${s}` || e.name === w + s);
        fc.pre(!exactPrefixed);
        expect(resolveDepartmentName(d, `区${w}${s}`, org)).toEqual(resolveDepartmentName(d, w + s, org));
        expect(departmentNameForms(`碑林区${w}${s}`, org)).toEqual(departmentNameForms(w + s, org));
      }),
    );
  });
  it('the batch resolver answers as the single-name function', () => {
    fc.assert(
      fc.property(dirArb, fc.array(nameArb, { maxLength: 10 }), (d, qs) => {
        const res = createDepartmentNameResolver(d, org);
        for (const q of qs) expect(res(q)).toEqual(resolveDepartmentName(d, q, org));
      }),
    );
  });
});
