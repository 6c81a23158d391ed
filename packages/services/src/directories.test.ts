import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { departments } from '@choucha/db';
import { openTestWorld, testUscc, type TestWorld } from './testing.ts';
import {
  escapeLike,
  getEntity,
  listDepartments,
  searchEntities,
  visibleDepartmentIds,
} from './directories.ts';
import { listInspectors } from './inspectors.ts';
import { entityMatchKey } from './imports/index.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 60 });
});
afterAll(async () => {
  await w?.cleanup();
});

const page = { page: 1, pageSize: 200 };

describe('entity search', () => {
  it('a two-character Chinese query finds every name containing it, and only those', async () => {
    const r = await searchEntities(w.svc, w.actors.admin, { ...page, q: '餐饮' });
    expect(r.total).toBe(15);
    expect(r.items.every((e) => e.name.includes('餐饮'))).toBe(true);
    expect(r.totalIsEstimate).toBe(false);
  });
  it('without a query the total is exact; with one exact in a small directory or under the cap, else a labelled estimate', async () => {
    const all = await searchEntities(w.svc, w.actors.admin, { page: 1, pageSize: 5 }, { exactCountCap: 10 });
    expect(all).toMatchObject({ total: 60, totalIsEstimate: false });
    // 60 entities: a small directory, counted exactly whatever the cap
    const small = await searchEntities(w.svc, w.actors.admin, { ...page, q: '餐饮' }, { exactCountCap: 10 });
    expect(small).toMatchObject({ total: 15, totalIsEstimate: false, exactCountCap: 10 });
    // as if it were large: under the cap exact, beyond it the sample's estimate (a 100 % sample is exact)
    const large = { exactBelowRows: 0, samplePercent: 100, countAtOnce: 0 };
    const under = await searchEntities(
      w.svc,
      w.actors.admin,
      { ...page, q: '餐饮' },
      { ...large, exactCountCap: 15 },
    );
    expect(under).toMatchObject({ total: 15, totalIsEstimate: false });
    const over = await searchEntities(
      w.svc,
      w.actors.admin,
      { ...page, q: '餐饮' },
      { ...large, exactCountCap: 10 },
    );
    expect(over).toMatchObject({ total: 15, totalIsEstimate: true, exactCountCap: 10 });
    expect(over.items).toHaveLength(15);
    // a code prefix is counted the same way (its condition holds an OR over three columns)
    const code = await searchEntities(
      w.svc,
      w.actors.admin,
      { ...page, q: '9161' },
      { ...large, exactCountCap: 10 },
    );
    const exact = await searchEntities(w.svc, w.actors.admin, { ...page, q: '9161' });
    expect(exact.totalIsEstimate).toBe(false);
    expect(code).toMatchObject({ total: exact.total, totalIsEstimate: exact.total > 10 });
  });
  it('USCC and registration-number prefix', async () => {
    const code = testUscc(7);
    const r = await searchEntities(w.svc, w.actors.admin, { ...page, q: code.slice(0, 16) });
    expect(r.items.map((e) => e.uscc)).toContain(code);
    expect(r.items.every((e) => e.uscc?.startsWith(code.slice(0, 16)))).toBe(true);
  });
  it('filters: street, type, department; paginated', async () => {
    const r = await searchEntities(w.svc, w.actors.admin, { page: 2, pageSize: 10, street: '张家村街道' });
    expect(r.total).toBe(30);
    expect(r.items).toHaveLength(10);
    const d = await searchEntities(w.svc, w.actors.admin, { ...page, departmentId: w.dept.jyj });
    expect(d.total).toBe(15);
  });
  it('risk class: shown and filterable for staff with the permission, hidden from inspectors', async () => {
    const a = await searchEntities(w.svc, w.actors.admin, { ...page, riskClass: 'D' });
    expect(a.total).toBe(10);
    expect(a.items[0]).toHaveProperty('riskClass', 'D');
    const i = await searchEntities(w.svc, w.actors.inspector, { ...page, riskClass: 'D' });
    expect(i.total).toBe(60); // the filter is ignored
    expect(i.items[0]).not.toHaveProperty('riskClass');
    const e = await getEntity(w.svc, w.actors.inspector, w.entityIds[0]!);
    expect(e).not.toHaveProperty('riskClass');
    expect(e.inspections).toEqual([]);
    expect(e.codeHistory).toEqual([]);
  });
  it('property: any substring of a name (2+ characters) finds that entity', async () => {
    const names = (await searchEntities(w.svc, w.actors.admin, { ...page })).items;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: names.length - 1 }),
        fc.nat(),
        fc.integer({ min: 2, max: 6 }),
        async (i, start, len) => {
          const n = [...names[i]!.name];
          const s = start % Math.max(1, n.length - 1);
          const q = n.slice(s, s + len).join('');
          if ([...q].length < 2) return;
          const r = await searchEntities(w.svc, w.actors.admin, { ...page, q });
          expect(r.items.map((x) => x.id)).toContain(names[i]!.id);
        },
      ),
      { numRuns: 25 },
    );
  });
  it('escapeLike escapes the LIKE metacharacters', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeLike(s).replace(/\\(.)/g, '')).not.toMatch(/[%_]/);
      }),
    );
  });
});

describe('departments and inspectors', () => {
  it('a city department sees its districts’ inspectors', async () => {
    const db = w.database.db;
    const [city] = await db
      .insert(departments)
      .values({ code: 'CITY', name: '西安市教育局', shortName: '市教育局', level: 'city' })
      .returning();
    await db.update(departments).set({ parentId: city!.id }).where(eq(departments.id, w.dept.jyj));
    const cityActor = { ...w.actors.jyj, id: w.actors.jyj.id, departmentId: city!.id };
    expect(await visibleDepartmentIds(db, cityActor)).toEqual([city!.id, w.dept.jyj]);
    const l = await listInspectors(w.svc, cityActor, {});
    expect(l.length).toBe(4);
    const district = await listInspectors(w.svc, w.actors.jyj, {});
    expect(district.every((i) => i.departmentId === w.dept.jyj)).toBe(true);
    const ds = await listDepartments(w.svc, w.actors.jyj);
    expect(ds.find((d) => d.id === w.dept.jyj)?.parentId).toBe(city!.id);
  });
});

describe('entityMatchKey', () => {
  it('USCC first, then registration number, then name + raw code + address', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ minLength: 1 })),
        fc.option(fc.string({ minLength: 1 })),
        fc.string(),
        (uscc, regNo, name) => {
          const k = entityMatchKey({ uscc, regNo, name, rawCode: null, address: null });
          if (uscc) expect(k).toBe(`U:${uscc}`);
          else if (regNo) expect(k).toBe(`R:${regNo}`);
          else expect(k.startsWith(`N:${name}`)).toBe(true);
        },
      ),
    );
  });
});
