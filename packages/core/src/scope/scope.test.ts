import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accountRules,
  isRestricting,
  matchesEntityScope,
  matchesPlan,
  matchesRule,
  parseEntityScope,
  planTaskScope,
  type EntityScope,
  type ScopeEntity,
  type ScopedItem,
} from './index.ts';

const TYPES = ['有限责任公司', '个体工商户', '农民专业合作社'];
const INDUSTRIES = ['H6210', 'H6220', 'F5234', 'K7010', 'Q8425', 'P8391', '5234'];
const PREFIXES = ['H', 'H62', 'H621', 'F5234', 'K70', 'Q', 'P839', '52', '62'];
const LICENCES = ['食品经营许可证', '药品经营许可证', '公共场所卫生许可证'];
const TAGS = ['校外培训', '临街门店', '人员密集场所'];
const STREETS = ['张家村街道', '柏树林街道'];

const entity: fc.Arbitrary<ScopeEntity> = fc.record({
  entityType: fc.option(fc.constantFrom(...TYPES), { nil: null }),
  industryCode: fc.option(fc.constantFrom(...INDUSTRIES), { nil: null }),
  licences: fc.subarray(LICENCES),
  tags: fc.subarray(TAGS),
  street: fc.option(fc.constantFrom(...STREETS), { nil: null }),
  supervisingDeptIds: fc.subarray([1, 2, 3, 4]),
});
const list = <T>(xs: T[]) => fc.option(fc.subarray(xs, { minLength: 1 }), { nil: undefined });
const scope: fc.Arbitrary<EntityScope> = fc
  .record({
    entityTypes: list(TYPES),
    industryPrefixes: list(PREFIXES),
    licences: list(LICENCES),
    tags: list(TAGS),
    streets: list(STREETS),
    supervisingDepartments: list([1, 2, 3, 4]),
  })
  .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as EntityScope);
const item = (id: number) =>
  fc.record({
    id: fc.constant(id),
    departmentId: fc.integer({ min: 1, max: 3 }),
    scope: fc.option(scope, { nil: null, freq: 4 }),
  });
const items: fc.Arbitrary<ScopedItem[]> = fc
  .integer({ min: 0, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => item(i + 1))));
const taskScope = fc.option(scope, { nil: null });

const keep = (es: ScopeEntity[], plan: Parameters<typeof matchesPlan>[1]) =>
  es.filter((e) => matchesPlan(e, plan));

describe('item scopes', () => {
  it('an unset or empty scope matches every entity; each list narrows (AND), each value widens (OR)', () => {
    fc.assert(
      fc.property(entity, scope, fc.constantFrom(...TAGS), (e, s, t) => {
        expect(matchesEntityScope(e, null)).toBe(true);
        expect(matchesEntityScope(e, {})).toBe(true);
        // a scope matches exactly when each of its lists, alone, matches
        const each = Object.entries(s).every(([k, v]) => matchesEntityScope(e, { [k]: v } as EntityScope));
        expect(matchesEntityScope(e, s)).toBe(each);
        // one more accepted tag never removes an entity
        const narrow = { ...s, tags: s.tags ?? [TAGS[0] as string] };
        const wider = { ...narrow, tags: [...narrow.tags, t] };
        expect(!matchesEntityScope(e, narrow) || matchesEntityScope(e, wider)).toBe(true);
      }),
    );
  });

  it('tags match a tag or a licence; licences match licences only; prefixes match the start of the code', () => {
    const e: ScopeEntity = {
      entityType: '个体工商户',
      industryCode: 'H6210',
      licences: ['食品经营许可证'],
      tags: ['临街门店'],
      street: null,
      supervisingDeptIds: [2],
    };
    expect(matchesEntityScope(e, { tags: ['食品经营许可证'] })).toBe(true);
    expect(matchesEntityScope(e, { licences: ['临街门店'] })).toBe(false);
    expect(matchesEntityScope(e, { industryPrefixes: ['H62'] })).toBe(true);
    expect(matchesEntityScope(e, { industryPrefixes: ['H622'] })).toBe(false);
    expect(matchesEntityScope(e, { industryPrefixes: ['621'] })).toBe(true);
    expect(matchesEntityScope({ ...e, industryCode: '6210' }, { industryPrefixes: ['621'] })).toBe(true);
    expect(matchesEntityScope({ ...e, industryCode: '6210' }, { industryPrefixes: ['H621'] })).toBe(false);
    expect(matchesEntityScope({ ...e, industryCode: null }, { industryPrefixes: ['H'] })).toBe(false);
    expect(matchesEntityScope(e, { streets: ['张家村街道'] })).toBe(false);
    expect(matchesEntityScope(e, { supervisingDepartments: [1, 2] })).toBe(true);
    expect(matchesEntityScope(e, { entityTypes: ['有限责任公司'] })).toBe(false);
  });

  it('parsing normalises (trim, dedupe, upper-case prefixes, empty lists dropped) and is idempotent', () => {
    const r = parseEntityScope({
      industryPrefixes: [' h62 ', 'H62', 'f5234'],
      tags: ['', '  '],
      licences: ['食品经营许可证', '食品经营许可证'],
    });
    expect(r).toEqual({
      ok: true,
      scope: { industryPrefixes: ['H62', 'F5234'], licences: ['食品经营许可证'] },
    });
    expect(parseEntityScope(null)).toEqual({ ok: true, scope: null });
    expect(parseEntityScope({})).toEqual({ ok: true, scope: {} });
    expect(parseEntityScope({ industryPrefixes: ['6'] })).toEqual({
      ok: false,
      field: 'industryPrefixes',
      reason: 'industry_prefix',
    });
    expect(parseEntityScope({ riskClasses: ['A'] })).toEqual({
      ok: false,
      field: 'riskClasses',
      reason: 'shape',
    });
    expect(parseEntityScope({ supervisingDepartments: [0] })).toMatchObject({
      ok: false,
      reason: 'department',
    });
    expect(parseEntityScope({ tags: 'x' })).toMatchObject({ ok: false, reason: 'shape' });
    expect(parseEntityScope([])).toMatchObject({ ok: false, reason: 'shape' });
    fc.assert(
      fc.property(scope, (s) => {
        const once = parseEntityScope(s);
        expect(once.ok).toBe(true);
        const again = parseEntityScope((once as { scope: EntityScope }).scope);
        expect(again).toEqual(once);
        expect(isRestricting((once as { scope: EntityScope }).scope)).toBe(Object.keys(s).length > 0);
      }),
    );
  });
});

describe('combining the scopes of a task', () => {
  it('the roster is the task scope ∩ (per department, the union of its scoped items)', () => {
    fc.assert(
      fc.property(fc.array(entity, { maxLength: 30 }), taskScope, items, (es, ts, its) => {
        const plan = planTaskScope({ taskScope: ts, items: its });
        for (const e of es) {
          const depts = [...new Set(its.filter((i) => i.scope !== null).map((i) => i.departmentId))];
          const want =
            matchesEntityScope(e, ts) &&
            depts.every((d) =>
              its.some((i) => i.departmentId === d && i.scope !== null && matchesEntityScope(e, i.scope)),
            );
          expect(matchesPlan(e, plan)).toBe(want);
        }
      }),
    );
  });

  it('a scope is required exactly when no item has one and the task restricts nothing', () => {
    fc.assert(
      fc.property(taskScope, items, (ts, its) => {
        const plan = planTaskScope({ taskScope: ts, items: its });
        expect(plan.scopeRequired).toBe(!isRestricting(ts) && its.every((i) => i.scope === null));
        expect(plan.unscopedItemIds).toEqual(its.filter((i) => i.scope === null).map((i) => i.id));
        // one rule per department with a scoped item, plus the task's own when it restricts
        const depts = new Set(its.filter((i) => i.scope !== null).map((i) => i.departmentId));
        expect(plan.rules.length).toBe(depts.size + (isRestricting(ts) ? 1 : 0));
      }),
    );
    expect(
      planTaskScope({ taskScope: {}, items: [{ id: 1, departmentId: 1, scope: null }] }).scopeRequired,
    ).toBe(true);
    // "all market entities" is a choice
    expect(
      planTaskScope({ taskScope: null, items: [{ id: 1, departmentId: 1, scope: {} }] }).scopeRequired,
    ).toBe(false);
  });

  it('another item of a department never shrinks the roster; another department never grows it', () => {
    fc.assert(
      fc.property(fc.array(entity, { maxLength: 30 }), taskScope, items, scope, (es, ts, its, extra) => {
        const before = keep(es, planTaskScope({ taskScope: ts, items: its }));
        const first = its.find((i) => i.scope !== null);
        fc.pre(first !== undefined);
        const sameDept = keep(
          es,
          planTaskScope({
            taskScope: ts,
            items: [...its, { id: 99, departmentId: first!.departmentId, scope: extra }],
          }),
        );
        const newDept = keep(
          es,
          planTaskScope({ taskScope: ts, items: [...its, { id: 99, departmentId: 9, scope: extra }] }),
        );
        expect(before.every((e) => sameDept.includes(e))).toBe(true);
        expect(newDept.every((e) => before.includes(e))).toBe(true);
      }),
    );
  });

  it('an unscoped item changes nothing but is reported', () => {
    fc.assert(
      fc.property(
        fc.array(entity, { maxLength: 20 }),
        taskScope,
        items,
        fc.integer({ min: 1, max: 3 }),
        (es, ts, its, d) => {
          const a = planTaskScope({ taskScope: ts, items: its });
          const b = planTaskScope({
            taskScope: ts,
            items: [...its, { id: 99, departmentId: d, scope: null }],
          });
          expect(keep(es, b)).toEqual(keep(es, a));
          expect(b.unscopedItemIds).toContain(99);
        },
      ),
    );
  });

  it('rules are ordered lead first, then the cooperating departments', () => {
    const plan = planTaskScope({
      taskScope: { streets: ['张家村街道'] },
      items: [
        { id: 1, departmentId: 5, scope: { tags: ['校外培训'] } },
        { id: 2, departmentId: 2, scope: { licences: ['食品经营许可证'] } },
        { id: 3, departmentId: 7, scope: {} },
        { id: 4, departmentId: 2, scope: { industryPrefixes: ['H62'] } },
      ],
      departmentOrder: [7, 2],
    });
    expect(
      plan.rules.map((r) => (r.kind === 'task' ? 'task' : `${r.departmentId}:${r.itemIds.join(',')}`)),
    ).toEqual(['task', '7:3', '2:2,4', '5:1']);
    expect(plan.rules[1]).toMatchObject({ all: true });
    const e: ScopeEntity = {
      entityType: null,
      industryCode: 'H6220',
      licences: [],
      tags: [],
      street: null,
      supervisingDeptIds: [],
    };
    expect(plan.rules.map((r) => matchesRule(e, r))).toEqual([false, true, true, false]);
  });
});

describe('per-rule accounting', () => {
  it('each rule keeps + removes what the previous one kept; the final roster does not depend on rule order', () => {
    fc.assert(
      fc.property(
        fc.array(entity, { maxLength: 40 }),
        taskScope,
        items,
        fc.integer({ min: 0, max: 6 }),
        (es, ts, its, sampleSize) => {
          const plan = planTaskScope({ taskScope: ts, items: its });
          const preds = plan.rules.map((r) => (e: ScopeEntity) => matchesRule(e, r));
          const { steps, kept } = accountRules(es, preds, sampleSize);
          expect(steps).toHaveLength(plan.rules.length);
          let before = es.length;
          for (const s of steps) {
            expect(s.kept + s.removed).toBe(before);
            expect(s.sample.length).toBe(Math.min(s.removed, sampleSize));
            before = s.kept;
          }
          expect(kept).toEqual(keep(es, plan));
          expect(accountRules(es, [...preds].reverse(), sampleSize).kept).toEqual(kept);
        },
      ),
    );
  });

  it('samples are the first removed, in input order', () => {
    const r = accountRules([1, 2, 3, 4, 5, 6], [(n) => n % 2 === 0, (n) => n > 2], 1);
    expect(r.steps).toEqual([
      { kept: 3, removed: 3, sample: [1] },
      { kept: 2, removed: 1, sample: [2] },
    ]);
    expect(r.kept).toEqual([4, 6]);
  });
});
