import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { isAppError } from '@choucha/core';
import { auditEvents, departments, entities, imports, itemEditions, items, jointItems } from '@choucha/db';
import { openTestWorld, type TestWorld } from './testing.ts';
import {
  commitEntityImport,
  commitImport,
  dryRunEntityImport,
  dryRunImport,
  importReportXlsx,
  listImports,
  runImport,
  HashMap32,
  type ImportKindName,
} from './imports/index.ts';
import { listItems, publicItemList, itemsOutsideList } from './items.ts';
import { getInspector, listInspectors } from './inspectors.ts';

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../importer/fixtures');
const fixture = (f: string) => fs.readFileSync(path.join(FIX, f));

let w: TestWorld;
beforeAll(async () => {
  w = await openTestWorld({ entities: 0 });
  const db = w.database.db;
  await db
    .update(departments)
    .set({ name: '碑林区市场监管局', shortName: '区市场监管局' })
    .where(eq(departments.id, w.dept.scjg));
  await db.insert(departments).values([
    { code: 'WJJ', name: '碑林区卫生健康局', shortName: '区卫生健康局' },
    { code: 'GAJ', name: '西安市公安局碑林分局', shortName: '区公安分局' },
  ]);
});
afterAll(async () => {
  await w?.cleanup();
});

async function expectCode(p: Promise<unknown>, code: string) {
  try {
    await p;
  } catch (e) {
    expect(isAppError(e) ? e.code : e).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

const sum = (c: { accepted: number; warned: number; rejected: number; merged: number }) =>
  c.accepted + c.warned + c.rejected + c.merged;

describe('import: dry run, commit, re-import', () => {
  it('entities (xlsx): per-row verdicts, counts add up, commit, re-import updates', async () => {
    const dry = await dryRunImport(w.svc, w.actors.scjg, {
      kind: 'entities',
      fileName: 'entities.xlsx',
      data: fixture('entities.xlsx'),
    });
    expect(dry.status).toBe('dry_run');
    expect(sum(dry.counts)).toBe(dry.counts.rows);
    expect(dry.rows).toHaveLength(dry.counts.rows);
    expect(dry.rows.find((r) => r.verdict === 'rejected')?.reasons[0]?.code).toBe('NAME_MISSING');
    expect(dry.rows.some((r) => r.verdict === 'warning')).toBe(true);
    const [{ n: before } = { n: 0 }] = await w.database.query<{ n: number }>(
      'select count(*)::int as n from entities',
    );
    expect(before).toBe(0); // a dry run writes no entity
    const done = await commitImport(w.svc, w.actors.scjg, dry.id);
    expect(done.status).toBe('committed');
    expect(done.counts.created).toBe(dry.counts.accepted + dry.counts.warned);
    expect(done.counts.updated).toBe(0);
    // the 重错码 queue was filled by the commit
    const [{ n: issues } = { n: 0 }] = await w.database.query<{ n: number }>(
      'select count(*)::int as n from code_issues',
    );
    expect(issues).toBeGreaterThan(0);
    // re-import of the same file: updates, no duplicates
    const again = await runImport(w.svc, w.actors.scjg, {
      kind: 'entities',
      fileName: 'entities.xlsx',
      data: fixture('entities.xlsx'),
      commit: true,
    });
    expect(again.counts.created).toBe(0);
    expect(again.counts.updated).toBe(done.counts.created);
    const [{ n: after } = { n: 0 }] = await w.database.query<{ n: number }>(
      'select count(*)::int as n from entities',
    );
    expect(after).toBe(done.counts.created);
    const [{ n: issues2 } = { n: 0 }] = await w.database.query<{ n: number }>(
      'select count(*)::int as n from code_issues',
    );
    expect(issues2).toBe(issues); // the same findings are not queued twice
    // the commit wrote one audit event
    const ev = await w.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'import.commit'));
    expect(ev.filter((e) => e.subjectId === String(dry.id))).toHaveLength(1);
  });

  it('entities (CSV in UTF-8, BOM, GBK) and the legacy wrappers', async () => {
    for (const f of ['entities-utf8.csv', 'entities-bom.csv', 'entities-gbk.csv']) {
      const dry = await dryRunEntityImport(w.svc, w.actors.admin, { name: f, data: fixture(f) });
      expect(sum(dry.counts)).toBe(dry.counts.rows);
      const done = await commitEntityImport(w.svc, w.actors.admin, dry.id);
      expect((done.counts.created ?? 0) + (done.counts.updated ?? 0)).toBe(
        dry.counts.accepted + dry.counts.warned,
      );
    }
    // the three encodings hold the same rows: the second and third only update
    const list = await listImports(w.svc, w.actors.admin, { kind: 'entities' });
    expect(list[0]?.counts.created).toBe(0);
    expect(list[1]?.counts.created).toBe(0);
  });

  it('a commit cannot run twice, and a crash mid-way leaves nothing', async () => {
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'x.csv',
      data: Buffer.from('企业名称,统一社会信用代码\n测试崩溃公司,91610103MA6U0A1B2X\n另一家公司,\n'),
    });
    // make the insert fail half-way: a trigger that raises on the second new entity
    await w.database.query(`create or replace function boom() returns trigger language plpgsql as $$
      begin if new.name = '另一家公司' then raise exception 'boom'; end if; return new; end $$`);
    await w.database.query(
      'create trigger boom before insert on entities for each row execute function boom()',
    );
    const failed = await commitImport(w.svc, w.actors.admin, dry.id).catch((e: Error) => e);
    expect(String((failed as Error & { cause?: unknown }).cause ?? failed)).toMatch(/boom/);
    await w.database.query('drop trigger boom on entities');
    const [imp] = await w.database.db.select().from(imports).where(eq(imports.id, dry.id));
    expect(imp?.status).toBe('dry_run');
    const rows = await w.database.db.select().from(entities).where(eq(entities.name, '测试崩溃公司'));
    expect(rows).toHaveLength(0);
    const ok = await commitImport(w.svc, w.actors.admin, dry.id);
    expect(ok.status).toBe('committed');
    await expectCode(commitImport(w.svc, w.actors.admin, dry.id), 'IMPORT_ALREADY_COMMITTED');
  });

  it('inspectors: departments matched by name or short name, unknown → rejected row, status periods', async () => {
    // the file names two departments: the joint office imports it (rows without a department → SCJG)
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'inspectors',
      fileName: 'inspectors.xlsx',
      data: fixture('inspectors.xlsx'),
      departmentId: w.dept.scjg,
    });
    expect(sum(dry.counts)).toBe(dry.counts.rows);
    const done = await commitImport(w.svc, w.actors.admin, dry.id);
    expect(done.counts.created).toBe(dry.counts.accepted + dry.counts.warned);
    const again = await runImport(w.svc, w.actors.scjg, {
      kind: 'inspectors',
      fileName: 'inspectors.xlsx',
      data: fixture('inspectors.xlsx'),
      commit: true,
    });
    expect(again.counts.created).toBe(0);
    // SCJG's own import of it: the 卫生健康局 row is not SCJG's to write
    const liu = again.rows.find((r) => r.name === '刘洋');
    expect(liu?.verdict).toBe('rejected');
    expect(liu?.reasons.map((r) => r.code)).toContain('DEPARTMENT_FORBIDDEN');
    // an unknown department rejects the row with a clear reason
    const csv = Buffer.from(
      '姓名,执法证号,所属部门\n赵六,61010399999,不存在的局\n钱七,61010399998,区教育局\n',
    );
    const bad = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'inspectors',
      fileName: 'i.csv',
      data: csv,
    });
    expect(bad.counts.rejected).toBe(1);
    expect(bad.rows[0]?.reasons.map((r) => r.code)).toContain('DEPARTMENT_UNMAPPED');
    expect(bad.rows[0]?.reasons[0]?.message).toContain('不存在的局');
    const list = await listInspectors(w.svc, w.actors.admin, {});
    const seconded = list.find((i) => i.name === '刘洋');
    expect(seconded?.status).toBe('借调');
    const detail = await getInspector(w.svc, w.actors.admin, seconded!.id);
    expect(detail.statusPeriods[0]?.status).toBe('借调');
    // a department's staff see only their department's inspectors
    const own = await listInspectors(w.svc, w.actors.jyj, {});
    expect(own.every((i) => i.departmentId === w.dept.jyj)).toBe(true);
  });

  it('items: a new edition when anything changed; the old one is kept; unchanged file → no edition', async () => {
    const done = await runImport(w.svc, w.actors.admin, {
      kind: 'items',
      fileName: 'items.xlsx',
      data: fixture('items.xlsx'),
      commit: true,
      editionName: '2023版',
    });
    expect(sum(done.counts)).toBe(done.counts.rows);
    expect(done.counts.editions).toBe(2); // 市场监管局 and 卫生健康局
    const oldScjg = w.itemIds.scjg[0]!;
    expect(await itemsOutsideList(w.svc, [oldScjg])).toEqual([oldScjg]); // superseded: no longer citable
    const [oldItem] = await w.database.db.select().from(items).where(eq(items.id, oldScjg));
    expect(oldItem?.name).toBe('食品经营者经营条件检查'); // history not rewritten
    const same = await runImport(w.svc, w.actors.admin, {
      kind: 'items',
      fileName: 'items.xlsx',
      data: fixture('items.xlsx'),
      commit: true,
    });
    expect(same.counts.editions).toBe(0);
    const list = await listItems(w.svc, w.dept.scjg);
    const pub = list.editions.filter((e) => e.status === 'published' && e.departmentId === w.dept.scjg);
    expect(pub.map((e) => e.name)).toEqual(['2023版']);
    const continued = list.items.find((i) => i.name === '食品生产企业监督检查');
    expect(continued?.basis.length).toBeGreaterThan(1); // the continuation row's 检查依据 was merged in
    expect(await itemsOutsideList(w.svc, [continued!.id])).toEqual([]);
  });

  it('joint items: departments resolved, unknown cooperating department rejects the row; public list', async () => {
    const done = await runImport(w.svc, w.actors.admin, {
      kind: 'joint_items',
      fileName: 'joint-items.xlsx',
      data: fixture('joint-items.xlsx'),
      commit: true,
    });
    expect(sum(done.counts)).toBe(done.counts.rows);
    const fire = done.rows.find((r) => r.reasons.some((x) => x.code === 'DEPARTMENT_UNMAPPED'));
    expect(fire?.verdict).toBe('rejected');
    const ji = await w.database.db.select().from(jointItems);
    expect(ji.length).toBe(done.counts.accepted + done.counts.warned);
    const pub = await publicItemList(w.svc);
    expect(pub.jointItems.length).toBe(ji.length);
    expect(JSON.stringify(pub)).not.toContain('riskClass');
    expect(pub.items.every((i) => !('field' in i))).toBe(true);
    const eds = await w.database.db
      .select()
      .from(itemEditions)
      .where(sql`${itemEditions.departmentId} is null`);
    expect(eds).toHaveLength(1);
  });

  it('report xlsx: one row per source row', async () => {
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'entities.xlsx',
      data: fixture('entities.xlsx'),
    });
    const buf = await importReportXlsx(w.svc, w.actors.admin, dry.id);
    const wb = XLSX.read(buf);
    const aoa = XLSX.utils.sheet_to_json<string[]>(wb.Sheets['导入结果']!, { header: 1 });
    expect(aoa.length - 1).toBe(dry.counts.rows);
  });
});

describe('import: bad files give coded errors', () => {
  const cases: [string, ImportKindName, string, object?][] = [
    ['empty.csv', 'entities', 'IMPORT_FILE_EMPTY'],
    ['encrypted.xlsx', 'entities', 'IMPORT_FILE_ENCRYPTED'],
    ['not-a-sheet.xlsx', 'entities', 'IMPORT_FILE_TYPE'],
    ['two-sheets.xlsx', 'entities', 'IMPORT_SHEET_CHOICE'],
    ['zip-not-xlsx.xlsx', 'entities', 'IMPORT_FILE_TYPE'],
  ];
  for (const [f, kind, code] of cases) {
    it(`${f} → ${code}`, async () => {
      await expectCode(dryRunImport(w.svc, w.actors.admin, { kind, fileName: f, data: fixture(f) }), code);
    });
  }
  it('several sheets: the chosen one is read', async () => {
    const wb = XLSX.read(fixture('two-sheets.xlsx'));
    const sheet = wb.SheetNames[0]!;
    const r = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'two-sheets.xlsx',
      data: fixture('two-sheets.xlsx'),
      sheet,
    });
    expect(r.sheet).toBe(sheet);
  });
  it('formulas and hidden sheets are reported, not fatal', async () => {
    const r = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'formulas.xlsx',
      data: fixture('formulas.xlsx'),
    });
    expect(JSON.stringify(r.rows)).toMatch(/FORMULA_/);
    const h = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'hidden-sheet.xlsx',
      data: fixture('hidden-sheet.xlsx'),
    });
    expect(JSON.stringify(h.mapping)).toMatch(/隐藏|hidden/);
  });
  it('an inspector may not import', async () => {
    await expectCode(
      dryRunImport(w.svc, w.actors.inspector, {
        kind: 'entities',
        fileName: 'e.csv',
        data: fixture('entities-utf8.csv'),
      }),
      'FORBIDDEN',
    );
  });
});

describe('HashMap32', () => {
  it('behaves like a Map of uint32 (0 and 1 share a slot: keys are fingerprints)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.nat(2 ** 32 - 1)), {
          maxLength: 3000,
        }),
        (ops) => {
          const h = new HashMap32();
          const m = new Map<number, number>();
          for (const [k, v] of ops) {
            expect(h.get(k)).toBe(m.get(k));
            h.set(k, v);
            m.set(k, v);
          }
          for (const [k, v] of m) expect(h.get(k)).toBe(v);
        },
      ),
      { numRuns: 50 },
    );
  });
});
