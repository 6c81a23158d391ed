/**
 * Entity rows that real registers contain (issue 8 §3), through the services on the test database
 * (embedded, or PostgreSQL with TEST_DATABASE_URL): nameless 个体工商户, old registration numbers,
 * Excel damage, a SheetJS workbook committed from a path, the display-text CSV that used to
 * duplicate every entity whose code it ruined, and the matching in row ranges.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { completeRegNo, completeUscc } from '@choucha/core';
import { writeCsv } from '@choucha/importer';
import { openTestWorld, type TestWorld } from '../testing.ts';
import { matchTuning } from './entity-match.ts';
import { commitImport, dryRunImport, runImport } from './index.ts';

let w: TestWorld;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'choucha-entity-rows-'));
beforeAll(async () => {
  w = await openTestWorld({ entities: 0 });
});
afterAll(async () => {
  await w?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(() => {
  matchTuning.rangeRows = undefined;
});

interface EntityRow {
  id: number;
  name: string;
  uscc: string | null;
  reg_no: string | null;
  reg_no_kind: string | null;
  raw_code: string | null;
  code_status: string;
  entity_type: string | null;
  legal_rep: string | null;
  address: string | null;
  status: string;
}
const all = () =>
  w.database.query<EntityRow>(
    `select id, name, uscc, reg_no, reg_no_kind, raw_code, code_status, entity_type, legal_rep, address, status
     from entities order by id`,
  );
const clear = async () => {
  await w.database.query('delete from code_issues');
  await w.database.query('delete from entities');
};
const csv = (rows: string[][]) => Buffer.from(writeCsv(rows));
const codesOf = (r: { reasons: { code: string }[] } | undefined) => (r?.reasons ?? []).map((x) => x.code);

/** An all-digit valid USCC (the kind Excel turns into a number), distinct per i. */
function digitUscc(i: number): string {
  for (let k = 0; ; k++) {
    const c = completeUscc(`9161010322${String(i * 37 + k).padStart(7, '0')}`);
    if (/^\d{18}$/.test(c) && !c.endsWith('000')) return c;
  }
}

describe('nameless 个体工商户, old registration numbers, Excel damage', () => {
  it('the dry run shows them, the commit keeps them with their names, kinds and statuses', async () => {
    await clear();
    const indUscc = completeUscc('92610103MA6W0A1B2');
    const reg15 = completeRegNo('61010360012345');
    const file = csv([
      ['企业名称', '统一社会信用代码', '注册号', '经营者', '企业类型', '住所'],
      ['', indUscc, '', '周某', '个体工商户', '碑林区东关南街1号'],
      ['无字号', '', reg15, '', '个体工商户', '碑林区东关南街2号'],
      ['西安碑林甲农民专业合作社', '', '610103NA000123X', '王某', '农民专业合作社', '碑林区南院门3号'],
      ['西安乙食品有限公司', '', '企独陕总字第001234号', '李某', '外商投资企业', '碑林区南院门4号'],
      ['西安丙商贸有限公司', '', '6101031234567', '赵某', '有限责任公司', '碑林区南院门5号'],
      ['西安丁科技有限公司', '916101030000123000', '', '钱某', '有限责任公司', '碑林区南院门6号'],
      ['', '', '', '', '个体工商户', '碑林区东关南街7号'],
    ]);
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'e.csv',
      data: file,
    });
    expect(dry.counts).toMatchObject({ rows: 7, rejected: 1 });
    const row = (n: number) => dry.rows.find((r) => r.rowNumber === n);
    expect(codesOf(row(2))).toEqual(['INDIVIDUAL_NAMED_BY_OPERATOR']);
    expect(row(2)?.name).toBe('个体工商户（经营者 周某）');
    expect(codesOf(row(3))).toEqual(['REG_NO_ONLY', 'INDIVIDUAL_NAMED_BY_CODE']);
    expect(codesOf(row(4))).toEqual(['REG_NO_OLD_FORMAT', 'REG_NO_ONLY']);
    expect(codesOf(row(5))).toEqual(['REG_NO_OLD_FORMAT', 'REG_NO_ONLY']);
    expect(codesOf(row(6))).toEqual(['REG_NO_OLD_FORMAT', 'REG_NO_ONLY']);
    expect(codesOf(row(7))).toEqual(['CODE_UNRECOVERABLE']);
    expect(row(8)?.verdict).toBe('rejected');
    for (const r of dry.rows) expect(codesOf(r)).not.toContain('CODE_MALFORMED');

    const done = await commitImport(w.svc, w.actors.admin, dry.id);
    expect(done.counts).toMatchObject({ created: 6, updated: 0 });
    const es = await all();
    expect(es.map((e) => [e.name, e.uscc, e.reg_no, e.reg_no_kind, e.code_status, e.raw_code])).toEqual([
      ['个体工商户（经营者 周某）', indUscc, null, null, 'valid', null],
      [`个体工商户（注册号 ${reg15}）`, null, reg15, 'reg15', 'reg_no_only', null],
      ['西安碑林甲农民专业合作社', null, '610103NA000123X', 'reg15_alnum', 'reg_no_only', null],
      ['西安乙食品有限公司', null, '企独陕总字第001234号', 'text', 'reg_no_only', null],
      ['西安丙商贸有限公司', null, '6101031234567', 'reg13', 'reg_no_only', null],
      ['西安丁科技有限公司', null, null, null, 'unrecoverable', '916101030000123000'],
    ]);
    expect(es[0]).toMatchObject({ entity_type: '个体工商户', legal_rep: '周某' });

    // the monthly re-import finds every one of them again (the nameless ones by their codes)
    const again = await runImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'e.csv',
      data: file,
      commit: true,
    });
    expect(again.counts).toMatchObject({ created: 0, updated: 6 });
    expect(await all()).toHaveLength(6);
  });
});

describe('a CSV saved from the display text of a sheet (codes shown as 4.69007E+14)', () => {
  it('matches by name + 注册号, then name + address, shows it in the dry run, creates no duplicate', async () => {
    await clear();
    const a = digitUscc(1);
    const c = digitUscc(3);
    const regB = completeRegNo('61010360000002');
    const regC = completeRegNo('61010360000003');
    const original = csv([
      ['企业名称', '统一社会信用代码', '注册号', '住所', '登记状态'],
      ['西安甲餐饮有限公司', a, '', '碑林区甲路1号', '存续'],
      ['西安乙商店', '', regB, '碑林区乙路2号', '存续'],
      ['西安丙科技有限公司', c, regC, '碑林区丙路3号', '存续'],
      ['西安丁连锁有限公司', digitUscc(4), '', '碑林区丁路4号', '存续'],
      ['西安丁连锁有限公司', digitUscc(5), '', '碑林区丁路4号', '存续'], // same name and address
    ]);
    await runImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'o.csv',
      data: original,
      commit: true,
    });
    const before = await all();
    expect(before).toHaveLength(5);
    const sci = (code: string) => Number(code).toPrecision(6).toUpperCase().replace('E+', 'E+');
    const display = csv([
      ['企业名称', '统一社会信用代码', '注册号', '住所', '登记状态'],
      ['西安甲餐饮有限公司', sci(a), '', '碑林区甲路1号', '吊销'],
      ['西安乙商店', '', sci(regB), '碑林区乙路2号', '存续'],
      ['西安丙科技有限公司', sci(c), regC, '碑林区丙路3号', '存续'],
      ['西安丁连锁有限公司', sci(digitUscc(4)), '', '碑林区丁路4号', '存续'],
    ]);
    expect(sci(a)).toMatch(/^9\.\d{5}E\+17$/);

    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'd.csv',
      data: display,
    });
    const row = (n: number) => dry.rows.find((r) => r.rowNumber === n);
    expect(codesOf(row(2))).toEqual(['CODE_UNRECOVERABLE', 'ENTITY_MATCHED_BY_NAME_ADDRESS']);
    expect(row(2)?.reasons[1]?.message).toBe(
      `代码无法使用，已按名称和住所认定为名录中已有的主体，未新建（名录中的主体：西安甲餐饮有限公司，${a}）`,
    );
    expect(codesOf(row(3))).toEqual(['CODE_UNRECOVERABLE', 'ENTITY_MATCHED_BY_NAME_ADDRESS']);
    expect(codesOf(row(4))).toEqual(['CODE_UNRECOVERABLE', 'ENTITY_MATCHED_BY_NAME_REG_NO']);
    // two entities share the name and the address: neither is chosen
    expect(codesOf(row(5))).toEqual(['CODE_UNRECOVERABLE']);
    const notices = (dry.mapping as { notices?: string[] }).notices ?? [];
    expect(notices.at(-1)).toBe(
      '代码无法使用（或名录中的主体没有代码）的行中，1 行按名称和注册号、2 行按名称和住所认定为名录中已有的主体，未新建：第 2 行 → 西安甲餐饮有限公司；第 3 行 → 西安乙商店；第 4 行 → 西安丙科技有限公司',
    );
    expect(await all()).toEqual(before); // a dry run writes nothing

    const done = await commitImport(w.svc, w.actors.admin, dry.id);
    expect(done.counts).toMatchObject({ created: 1, updated: 3 });
    const es = await all();
    expect(es).toHaveLength(6);
    // the matched entities keep their good codes; the facts of the row are written
    expect(es[0]).toMatchObject({ uscc: a, code_status: 'valid', raw_code: null, status: '吊销' });
    expect(es[1]).toMatchObject({ reg_no: regB, code_status: 'reg_no_only', raw_code: null });
    expect(es[2]).toMatchObject({ uscc: c, reg_no: regC, code_status: 'valid', raw_code: null });
    expect(es[5]).toMatchObject({ name: '西安丁连锁有限公司', uscc: null, code_status: 'unrecoverable' });
  });

  it('the reverse: a good code finds the entity that the damaged file created, which gets its code', async () => {
    await clear();
    const a = digitUscc(7);
    const header = ['企业名称', '统一社会信用代码', '住所'];
    await runImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'd.csv',
      data: csv([header, ['西安戊有限公司', '9.16101E+17', '碑林区戊路7号']]),
      commit: true,
    });
    const r = await runImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'o.csv',
      data: csv([header, ['西安戊有限公司', a, '碑林区戊路7号']]),
      commit: true,
    });
    expect(r.counts).toMatchObject({ created: 0, updated: 1 });
    expect(codesOf(r.rows[0])).toEqual(['ENTITY_MATCHED_BY_NAME_ADDRESS']);
    expect(await all()).toMatchObject([{ uscc: a, code_status: 'valid', raw_code: null }]);
  });
});

describe('matching in row ranges', () => {
  it('duplicate keys across ranges match n-th row ↔ n-th entity; updates and inserts cover every range', async () => {
    await clear();
    matchTuning.rangeRows = 3;
    const header = ['企业名称', '统一社会信用代码', '注册号', '住所'];
    const rows: string[][] = [];
    for (let i = 0; i < 10; i++)
      rows.push([`西安范围${i}有限公司`, digitUscc(100 + i), '', `碑林区范围路${i}号`]);
    rows.push(['西安范围重复甲', digitUscc(100), '', '碑林区重复路1号']); // the key of row 2 again
    rows.push(['西安无码店', '', '', '碑林区无码路1号']);
    rows.push(['西安无码店', '', '', '碑林区无码路1号']); // a codeless key twice
    const first = await runImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'r.csv',
      data: csv([header, ...rows]),
      commit: true,
    });
    expect(first.counts).toMatchObject({ created: 13, updated: 0 });
    // the same file again, with changed addresses: every row finds its own entity
    const changed = rows.map((r) => [r[0]!, r[1]!, r[2]!, `${r[3]!}（新）`]);
    changed[12]![3] = '碑林区无码路1号'; // codeless rows are keyed by their address: keep it
    changed[11]![3] = '碑林区无码路1号';
    const second = await runImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'r.csv',
      data: csv([header, ...changed, ['西安范围新增有限公司', digitUscc(200), '', '碑林区新路1号']]),
      commit: true,
    });
    expect(second.counts).toMatchObject({ created: 1, updated: 13 });
    const es = await all();
    expect(es).toHaveLength(14);
    expect(es.slice(0, 11).map((e) => e.address)).toEqual(changed.slice(0, 11).map((r) => r[3]));
    // the repeated USCC: the first row ↔ the first entity, the second ↔ the second
    expect(es[0]).toMatchObject({ name: '西安范围0有限公司', uscc: digitUscc(100) });
    expect(es[10]).toMatchObject({ name: '西安范围重复甲', uscc: digitUscc(100) });
  });
});

describe('an .xlsx written by SheetJS (workbook parts at the end of the zip)', () => {
  it('is committed from its path, not refused as "a zip, not a workbook"', async () => {
    await clear();
    const aoa: string[][] = [['企业名称', '注册号', '住所']];
    for (let i = 0; i < 3000; i++)
      aoa.push([
        `西安表格${i}有限公司`,
        completeRegNo(`610103${String(20_000_000 + i)}`),
        `碑林区表格路${i}号`,
      ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '名录');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    expect(bytes.subarray(0, 64 * 1024).includes('[Content_Types].xml')).toBe(false);
    const file = path.join(tmp, 'sheetjs.xlsx');
    fs.writeFileSync(file, bytes);
    const r = await runImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'sheetjs.xlsx',
      path: file,
      commit: true,
    });
    expect(r.counts).toMatchObject({ rows: 3000, created: 3000 });
  });
});

describe('the go-live fixture e2e/fixtures/golive/entities.xlsx', () => {
  it('dry run shows each case, the commit keeps every row', async () => {
    await clear();
    const { makeEntities } = await import('../../../../e2e/fixtures/golive/make-entities.ts');
    const { cases, rows } = makeEntities();
    const file = path.resolve(
      path.dirname(new URL(import.meta.url).pathname),
      '../../../../e2e/fixtures/golive/entities.xlsx',
    );
    const data = fs.readFileSync(file);
    const dry = await dryRunImport(w.svc, w.actors.admin, {
      kind: 'entities',
      fileName: 'entities.xlsx',
      data,
    });
    expect(dry.counts).toMatchObject({ rows: rows.length, rejected: 0 });
    const count = (code: string) => dry.rows.filter((r) => codesOf(r).includes(code)).length;
    expect(count('INDIVIDUAL_NAMED_BY_OPERATOR')).toBe(cases['nameless_individual_operator']);
    expect(count('INDIVIDUAL_NAMED_BY_CODE')).toBe(cases['nameless_individual_code']);
    expect(count('REG_NO_OLD_FORMAT')).toBe(
      (cases['reg13'] ?? 0) + (cases['reg15_alnum'] ?? 0) + (cases['text_number'] ?? 0),
    );
    expect(count('CODE_UNRECOVERABLE')).toBe(2);
    expect(count('CODE_MALFORMED')).toBe(0);
    const done = await commitImport(w.svc, w.actors.admin, dry.id);
    expect(done.counts).toMatchObject({ created: rows.length, updated: 0 });
    const kinds = await w.database.query<{ k: string | null; n: number }>(
      'select reg_no_kind as k, count(*)::int as n from entities group by 1 order by 1',
    );
    expect(kinds).toEqual([
      { k: 'reg13', n: cases['reg13'] },
      { k: 'reg15', n: (cases['reg15'] ?? 0) + 6 + 3 },
      { k: 'reg15_alnum', n: cases['reg15_alnum'] },
      { k: 'text', n: cases['text_number'] },
      { k: null, n: rows.length - 5 - 15 - 4 - 3 },
    ]);
    const damaged = await w.database.query<{ uscc: string | null; code_status: string }>(
      `select uscc, code_status from entities where name in ('西安鼎盛建材有限公司', '西安恒瑞医药有限公司')`,
    );
    expect(damaged).toEqual([
      { uscc: null, code_status: 'unrecoverable' },
      { uscc: null, code_status: 'unrecoverable' },
    ]);
  });
});
