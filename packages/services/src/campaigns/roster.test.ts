/**
 * The roster follows the items (issue 9 §2), on the demo district without history: a food-safety
 * item draws only licence holders, a joint task only entities within every department's items,
 * each rule's kept/removed counts are exact (counted from the generator's own data with core's
 * matcher), the SQL of a scope agrees with core's matcher, and a task whose items have no scope is
 * refused instead of drawing the whole register.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { matchesEntityScope, type EntityScope, type ScopeEntity } from '@choucha/core';
import { generateDistrict, type DemoDistrict } from '@choucha/demo';
import { entities as entitiesTable, type Tx } from '@choucha/db';
import { openTestDatabase } from '../testing.ts';
import { makeServices, SYSTEM, type Services } from '../context.ts';
import { loadDemo } from '../demo.ts';
import { createTask } from '../tasks.ts';
import { commitDraw, previewDraw, revealDraw } from '../draws.ts';
import { listItems, publicItemList, setItemScope } from '../items.ts';
import { ACTIVE_STATUSES, scopeSql } from './roster.ts';

let d: DemoDistrict;
let svc: Services;
let cleanup: () => Promise<void>;
const deptId = new Map<string, number>();
/** Item ids by department code and index in the demo's list. */
const itemId = (code: string, index: number) => itemIds.get(code)![index]!;
const itemIds = new Map<string, number[]>();
/** The generator's entities as core sees them, in insertion (id) order. */
let all: (ScopeEntity & { status: string; name: string })[];

const q = async <T>(text: string, params: unknown[] = []) => svc.database.query<T>(text, params);
const FOOD = { code: 'SCJG', index: 0 }; // 食品经营者经营条件及食品安全管理制度检查 — licences 食品经营许可证

beforeAll(async () => {
  d = generateDistrict();
  const t = await openTestDatabase();
  cleanup = t.cleanup;
  svc = makeServices(t.database, { mode: 'test' });
  await loadDemo(svc, { history: false });
  for (const r of await q<{ id: number; code: string }>('select id, code from departments'))
    deptId.set(r.code, r.id);
  for (const r of await q<{ id: number; code: string }>(
    'select i.id, p.code from items i join departments p on p.id = i.department_id order by i.id',
  ))
    itemIds.set(r.code, [...(itemIds.get(r.code) ?? []), r.id]);
  all = d.entities.map((e) => ({
    entityType: e.entityType,
    industryCode: e.industryCode,
    licences: e.licences,
    tags: e.tags,
    street: e.street,
    supervisingDeptIds: e.supervisingDeptCodes.map((c) => deptId.get(c)!),
    status: e.status,
    name: e.name,
  }));
}, 600_000);
afterAll(async () => {
  await cleanup?.();
});

const active = () => all.filter((e) => ACTIVE_STATUSES.includes(e.status));
const scopeOf = (code: string, index: number) =>
  d.itemLists.find((l) => l.departmentCode === code)!.items[index]!.scope as EntityScope;

let n = 0;
async function task(departmentCode: string, items: number[], jointCodes: string[] = []) {
  return createTask(svc, SYSTEM, {
    name: `名录范围测试${++n}`,
    departmentId: deptId.get(departmentCode)!,
    itemIds: items,
    jointDepartmentIds: jointCodes.map((c) => deptId.get(c)!),
    windowStart: '2027-03-01',
    windowEnd: '2027-03-31',
    sampling: { ratio: 0.05, min: 1 },
  });
}

async function rosterEntityIds(drawId: number): Promise<number[]> {
  const rows = await q<{ entity_id: number }>('select entity_id from targets where draw_id = $1', [drawId]);
  return rows.map((r) => r.entity_id);
}

describe('a food-safety item draws only entities in its scope', () => {
  it('the preview counts each rule exactly, the roster and the targets hold the food licence', async () => {
    expect(scopeOf(FOOD.code, FOOD.index)).toEqual({ licences: ['食品经营许可证'] });
    const taskId = await task('SCJG', [itemId(FOOD.code, FOOD.index)]);
    const p = await previewDraw(svc, SYSTEM, taskId);
    const act = active();
    const food = act.filter((e) => e.licences.includes('食品经营许可证'));
    // SCJG is the lead bureau: the whole register, then the item's scope (no directory rule)
    expect(p.scopeRules.map((r) => [r.kind, r.kept, r.removed])).toEqual([
      ['active', act.length, all.length - act.length],
      ['items', food.length, act.length - food.length],
    ]);
    // the demo register is large and mixed: the rule removes most of it
    expect(food.length).toBeGreaterThan(1000);
    expect(act.length - food.length).toBeGreaterThan(food.length);
    expect(p.scopeRules[1]).toMatchObject({
      departmentId: deptId.get('SCJG'),
      items: [{ id: itemId(FOOD.code, FOOD.index), name: '食品经营者经营条件及食品安全管理制度检查' }],
      scopes: [{ licences: ['食品经营许可证'] }],
      all: false,
    });
    // the sample: the first five removed (by id), none with the licence
    const sample = p.scopeRules[1]!.sample;
    expect(sample).toHaveLength(5);
    const sampled = await q<{ n: number }>(
      `select count(*)::int as n from entities where id = any($1::int[]) and '食品经营许可证' = any(licences)`,
      [sample.map((s) => s.id)],
    );
    expect(sampled[0]!.n).toBe(0);
    expect(p.unscopedItems).toEqual([]);
    // what the scope kept is the roster plus the entities left out for their codes, duplicates …
    expect(p.rosterSize + p.excluded).toBe(food.length);

    const draw = await commitDraw(svc, SYSTEM, taskId, { seedSource: { dice: true } });
    expect(draw.rosterSize).toBe(p.rosterSize);
    // the draw is stored even if the matching of inspectors fails: its targets are what counts here
    await revealDraw(svc, SYSTEM, draw.id, { dice: '31415926535897932384' }).catch((e: unknown) => e);
    const ids = await rosterEntityIds(draw.id);
    expect(ids.length).toBe(p.targets);
    expect(ids.length).toBeGreaterThan(50);
    const outside = await q<{ n: number }>(
      `select count(*)::int as n from entities where id = any($1::int[]) and not ('食品经营许可证' = any(licences))`,
      [ids],
    );
    expect(outside[0]!.n).toBe(0);
  });

  it('two items of one department: the union of their scopes', async () => {
    // 食品经营者 (licence) or 餐饮服务提供者 (industries H621–H629)
    const taskId = await task('SCJG', [itemId('SCJG', 0), itemId('SCJG', 1)]);
    const p = await previewDraw(svc, SYSTEM, taskId);
    const s0 = scopeOf('SCJG', 0);
    const s1 = scopeOf('SCJG', 1);
    const want = active().filter((e) => matchesEntityScope(e, s0) || matchesEntityScope(e, s1));
    expect(p.scopeRules.map((r) => [r.kind, r.kept])).toEqual([
      ['active', active().length],
      ['items', want.length],
    ]);
    expect(p.scopeRules[1]!.scopes).toEqual([s0, s1]);
  });
});

describe('a joint task: every department’s items apply', () => {
  it('CGJ (餐饮油烟) with SCJG (餐饮服务): the intersection, counted per rule', async () => {
    const taskId = await task('CGJ', [itemId('CGJ', 1), itemId('SCJG', 1)], ['SCJG']);
    const p = await previewDraw(svc, SYSTEM, taskId);
    const cgj = deptId.get('CGJ')!;
    const scjg = deptId.get('SCJG')!;
    const act = active();
    const dir = act.filter((e) => e.supervisingDeptIds.includes(cgj) || e.supervisingDeptIds.includes(scjg));
    const lead = dir.filter((e) => matchesEntityScope(e, scopeOf('CGJ', 1)));
    const both = lead.filter((e) => matchesEntityScope(e, scopeOf('SCJG', 1)));
    expect(p.scopeRules.map((r) => [r.kind, r.departmentId, r.kept, r.removed])).toEqual([
      ['active', null, act.length, all.length - act.length],
      ['directory', null, dir.length, act.length - dir.length],
      ['items', cgj, lead.length, dir.length - lead.length],
      ['items', scjg, both.length, lead.length - both.length],
    ]);
    expect(both.length).toBeGreaterThan(0);
    expect(p.rosterSize + p.excluded).toBe(both.length);
  });
});

describe('a task whose items have no scope', () => {
  it('is refused with TASK_SCOPE_REQUIRED (preview and commit) until a scope is chosen; the change is audited', async () => {
    const item = itemId('SCJG', 2);
    const before = scopeOf('SCJG', 2);
    const taskId = await task('SCJG', [item]);
    await setItemScope(svc, SYSTEM, item, null);
    await expect(previewDraw(svc, SYSTEM, taskId)).rejects.toMatchObject({
      code: 'TASK_SCOPE_REQUIRED',
      details: { items: [{ id: item, name: '食品安全监督抽样检验', departmentId: deptId.get('SCJG') }] },
    });
    await expect(commitDraw(svc, SYSTEM, taskId, { seedSource: { dice: true } })).rejects.toMatchObject({
      code: 'TASK_SCOPE_REQUIRED',
    });
    // "all market entities" is a choice: the whole register (the lead bureau), no item rule removes anything
    await setItemScope(svc, SYSTEM, item, {});
    const p = await previewDraw(svc, SYSTEM, taskId);
    expect(p.scopeRules.map((r) => [r.kind, r.kept, r.removed, r.all])).toEqual([
      ['active', active().length, all.length - active().length, false],
      ['items', active().length, 0, true],
    ]);
    await expect(setItemScope(svc, SYSTEM, item, { industryPrefixes: ['食品'] })).rejects.toMatchObject({
      code: 'ITEM_SCOPE_INVALID',
      details: { field: 'scope.industryPrefixes', reason: 'industry_prefix' },
    });
    await expect(setItemScope(svc, SYSTEM, item, { supervisingDepartments: [99999] })).rejects.toMatchObject({
      code: 'ITEM_SCOPE_INVALID',
      details: { field: 'scope.supervisingDepartments', departmentIds: [99999] },
    });
    expect(
      await setItemScope(svc, SYSTEM, item, { licences: [' 食品经营许可证 ', '食品生产许可证'] }),
    ).toEqual({
      id: item,
      scope: { licences: ['食品经营许可证', '食品生产许可证'] },
    });
    expect(before).toEqual({ licences: ['食品经营许可证', '食品生产许可证'] });
    const events = await q<{ before: unknown; after: unknown }>(
      `select before, after from audit_events where action = 'item.scope' and subject_id = $1 order by seq`,
      [String(item)],
    );
    expect(events.map((e) => [e.before, e.after])).toEqual([
      [{ scope: before }, { scope: null }],
      [{ scope: null }, { scope: {} }],
      [{ scope: {} }, { scope: before }],
    ]);
  });
});

describe('an item’s scope is internal', () => {
  it('staff see it on the item list, the public list never carries it', async () => {
    const staff = await listItems(svc);
    expect(staff.items.find((i) => i.id === itemId(FOOD.code, FOOD.index))?.scope).toEqual({
      licences: ['食品经营许可证'],
    });
    const pub = await publicItemList(svc);
    expect(pub.items.length).toBe(staff.items.length);
    expect(pub.items.filter((i) => 'scope' in i || 'field' in i)).toEqual([]);
  });
});

describe('the SQL of a scope is core’s matcher', () => {
  it('counts the same entities for every kind of condition', async () => {
    const street = d.entities[0]!.street;
    const scopes: EntityScope[] = [
      { industryPrefixes: ['H62'] },
      { industryPrefixes: ['62', 'F5234'] },
      { tags: ['食品经营许可证'] },
      { licences: ['食品经营许可证', '药品经营许可证'] },
      { entityTypes: ['个体工商户'], streets: [street] },
      { supervisingDepartments: [deptId.get('CGJ')!, deptId.get('JYJ')!] },
      { tags: ['校外培训'], industryPrefixes: ['P'] },
      { tags: ['a"b\\c,{}'] },
      {},
    ];
    const counts = await svc.database.db.transaction(async (tx: Tx) => {
      const out: number[] = [];
      for (const s of scopes) {
        const r = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(entitiesTable)
          .where(scopeSql(s));
        out.push(Number(r[0]!.n));
      }
      return out;
    });
    const want = scopes.map((s) => all.filter((e) => matchesEntityScope(e, s)).length);
    expect(counts).toEqual(want);
    expect(want[7]).toBe(0);
    expect(want[8]).toBe(all.length);
    expect(want.slice(0, 7).every((x) => x > 0)).toBe(true);
  });
});
