/**
 * Entity rows that real registers contain (issue 8 §3): nameless 个体工商户, registration numbers
 * older than the 15-digit one, Excel-damaged 18-digit codes, workbooks written by SheetJS, and
 * multi-valued cells.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import XLSX from 'xlsx';
import { completeRegNo, completeUscc } from '@choucha/core';
import { writeCsv } from './csv.ts';
import { detectFileType } from './filetype.ts';
import { importFile } from './import.ts';
import type { ImportReport } from './import.ts';
import { isNamePlaceholder, nameForIndividual } from './individual.ts';
import { splitBasis, splitMulti } from './normalise.ts';
import { zipFile } from './testkit.ts';
import type { EntityRecord } from './validate.ts';

const HEADER = ['企业名称', '统一社会信用代码', '注册号', '经营者', '企业类型', '住所'];
const IND_USCC = completeUscc('92610103MA6W0A1B2');
const REG15 = completeRegNo('61010360012345');

async function entities(rows: string[][]): Promise<ImportReport<'entities'>> {
  const r = await importFile(Buffer.from(writeCsv([HEADER, ...rows])), {
    kind: 'entities',
    fileName: 'e.csv',
  });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const at = (rep: ImportReport<'entities'>, n: number) => {
  const r = rep.rows.find((x) => x.rowNumber === n);
  if (!r) throw new Error(`no row ${n}`);
  return r as typeof r & { record: EntityRecord | null };
};
const codes = (r: { reasons: readonly { code: string }[] }) => r.reasons.map((x) => x.code);

describe('个体工商户 without a trade name', () => {
  it('are kept, named after the operator, else the code; rejected only when nothing identifies them', async () => {
    const rep = await entities([
      ['', IND_USCC, '', '周某', '个体工商户', '碑林区东关南街1号'], // 2
      ['无字号', '', REG15, '李某某', '个体', '碑林区东关南街2号'], // 3
      ['*', '', '6101031234567', '', '个体工商户', ''], // 4
      ['', IND_USCC.slice(0, 17) + (IND_USCC[17] === '0' ? '1' : '0'), '', '', '', ''], // 5: no type, 92… USCC (check fails)
      ['', '', '', '', '个体工商户', '碑林区东关南街5号'], // 6: nothing identifies it
      ['', completeUscc('91610103MA6U0A1B2'), '', '王某', '有限责任公司', ''], // 7: a company needs a name
      ['个体工商户', '', '', '赵某', '', ''], // 8: the name cell says only 个体工商户
    ]);
    expect(at(rep, 2).verdict).toBe('warned');
    expect(at(rep, 2).record).toMatchObject({
      name: '个体工商户（经营者 周某）',
      uscc: IND_USCC,
      legalRep: '周某',
      entityType: '个体工商户',
      codeStatus: 'valid',
    });
    expect(codes(at(rep, 2))).toEqual(['INDIVIDUAL_NAMED_BY_OPERATOR']);
    expect(at(rep, 2).reasons[0]?.zh).toBe(
      '【企业名称】个体工商户没有字号，名称按经营者记为（“个体工商户（经营者 周某）”）',
    );
    expect(at(rep, 3).record).toMatchObject({
      name: '个体工商户（经营者 李某某）',
      regNo: REG15,
      regNoKind: 'reg15',
    });
    expect(at(rep, 4).record).toMatchObject({
      name: '个体工商户（注册号 6101031234567）',
      regNo: '6101031234567',
      regNoKind: 'reg13',
      codeStatus: 'reg_no_only',
    });
    expect(codes(at(rep, 4))).toContain('INDIVIDUAL_NAMED_BY_CODE');
    expect(at(rep, 5).record?.name).toMatch(/^个体工商户（统一社会信用代码 92610103MA6W0A1B2[0-9A-Z]）$/);
    expect(at(rep, 5).record?.entityType).toBe('个体工商户');
    expect(at(rep, 6).verdict).toBe('rejected');
    expect(codes(at(rep, 6))).toEqual(['CODE_MISSING', 'NAME_MISSING']);
    expect(at(rep, 6).reasons[1]?.zh).toBe(
      '【企业名称】缺少名称（个体工商户没有字号，也没有经营者和可用的代码）',
    );
    expect(at(rep, 7).verdict).toBe('rejected');
    expect(codes(at(rep, 7))).toEqual(['NAME_MISSING']);
    expect(at(rep, 8).record?.name).toBe('个体工商户（经营者 赵某）');
    expect(rep.counts).toMatchObject({ rows: 7, rejected: 2 });
  });

  it('the header variants 负责人 / 法定代表人 feed the operator too', async () => {
    for (const h of ['负责人', '法定代表人', '经营者姓名']) {
      const r = await importFile(
        Buffer.from(
          writeCsv([
            ['名称', '注册号', h, '类型'],
            ['', REG15, '孙某', '个体工商户'],
          ]),
        ),
        {
          kind: 'entities',
        },
      );
      if (!r.ok) throw new Error(r.error.code);
      if (h === '经营者姓名') {
        // not a known header: the row has no operator, so it is named after its code
        expect(r.value.rows[0]?.record?.name).toBe(`个体工商户（注册号 ${REG15}）`);
      } else expect(r.value.rows[0]?.record?.name).toBe('个体工商户（经营者 孙某）');
    }
  });

  it('property: placeholders are recognised; a real trade name never is; names are deterministic', () => {
    for (const p of [
      '',
      '*',
      '＊',
      '-',
      '—',
      '/',
      '无',
      '无字号',
      '（无字号）',
      '个体工商户',
      '个体户',
      '(无)',
    ])
      expect(isNamePlaceholder(p)).toBe(true);
    fc.assert(
      fc.property(fc.stringMatching(/^[\u4e00-\u9fa5]{2,8}(店|馆|部|行|坊)$/), (trade) => {
        expect(isNamePlaceholder(trade)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[\u4e00-\u9fa5]{2,3}$/), (op) => {
        expect(nameForIndividual(op, null, null)).toEqual({
          name: `个体工商户（经营者 ${op}）`,
          by: 'operator',
          operator: op,
        });
        expect(nameForIndividual(`  ${op} `, IND_USCC, REG15)?.name).toBe(`个体工商户（经营者 ${op}）`);
      }),
    );
    expect(nameForIndividual(null, null, null)).toBeUndefined();
    expect(nameForIndividual('', null, REG15)?.name).toBe(`个体工商户（注册号 ${REG15}）`);
  });
});

describe('registration numbers older than the 15-digit one', () => {
  it('are stored with their kind, an info reason, never CODE_MALFORMED; in either code column', async () => {
    const rep = await entities([
      ['西安甲商贸有限公司', '', '6101031234567', '张某', '有限责任公司', ''], // 2
      ['西安碑林乙农民专业合作社', '610103NA000123X', '', '', '农民专业合作社', ''], // 3: in the USCC column
      ['西安丙食品有限公司', '', '企独陕总字第001234号', '', '外商投资企业', ''], // 4
      ['西安丁科技有限公司', '', '６１０１０３ｎａ０００１２４Ｙ', '', '', ''], // 5: full-width, lower case
      ['西安戊有限公司', '', REG15, '', '', ''], // 6: a plain 15-digit number: no old-format note
    ]);
    expect(at(rep, 2).record).toMatchObject({
      regNo: '6101031234567',
      regNoKind: 'reg13',
      codeStatus: 'reg_no_only',
    });
    expect(codes(at(rep, 2))).toEqual(['REG_NO_OLD_FORMAT', 'REG_NO_ONLY']);
    expect(at(rep, 2).reasons[0]?.zh).toBe(
      '【注册号】注册号为统一社会信用代码实施前的旧格式，按原样保存（13 位注册号）',
    );
    expect(at(rep, 3).record).toMatchObject({
      uscc: null,
      regNo: '610103NA000123X',
      regNoKind: 'reg15_alnum',
    });
    expect(codes(at(rep, 3))).toContain('CODE_IN_OTHER_COLUMN');
    expect(at(rep, 4).record).toMatchObject({ regNo: '企独陕总字第001234号', regNoKind: 'text' });
    expect(at(rep, 5).record).toMatchObject({ regNo: '610103NA000124Y', regNoKind: 'reg15_alnum' });
    expect(at(rep, 6).record).toMatchObject({ regNo: REG15, regNoKind: 'reg15' });
    expect(codes(at(rep, 6))).toEqual(['REG_NO_ONLY']);
    for (const n of [2, 3, 4, 5, 6]) {
      expect(at(rep, n).verdict).toBe('accepted');
      expect(codes(at(rep, n))).not.toContain('CODE_MALFORMED');
    }
  });

  it('a malformed 15-character code says what is wrong, never "got 15"', async () => {
    const rep = await entities([['西安己有限公司', '', 'AB0103NA000123X', '', '', '']]);
    const r = at(rep, 2);
    expect(codes(r)).toEqual(['CODE_MALFORMED']);
    expect(r.record).toMatchObject({ codeStatus: 'malformed', rawCode: 'AB0103NA000123X', regNo: null });
    expect(r.reasons[0]?.zh).toBe(
      '【注册号】代码格式错误，已保留原文（共 15 个字符，含字母，但前 6 位不是登记机关代码（应为数字））',
    );
    expect(r.reasons.map((x) => x.zh).join('')).not.toMatch(/got|expected/);
  });
});

describe('Excel-damaged 18-digit codes', () => {
  it('916101030000123000 (from 9.16101030000123e17) is unrecoverable, kept raw, never the USCC', async () => {
    const rep = await entities([
      ['西安庚有限公司', '916101030000123000', '', '', '', ''],
      ['西安辛有限公司', '9.16101030000123E+17', '', '', '', ''],
    ]);
    for (const n of [2, 3]) {
      expect(at(rep, n).record).toMatchObject({ uscc: null, codeStatus: 'unrecoverable' });
      expect(codes(at(rep, n))).toContain('CODE_UNRECOVERABLE');
    }
    expect(at(rep, 2).record?.rawCode).toBe('916101030000123000');
    expect(at(rep, 2).reasons[0]?.zh).toContain('末三位为 000');
    expect(at(rep, 3).reasons[0]?.zh).toContain('科学计数法');
  });

  it('an 18-digit number cell of a SheetJS workbook is unrecoverable too', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['企业名称', '统一社会信用代码'],
      ['西安壬有限公司', Number('916101030000123456')],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
    const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const r = await importFile(bytes, { kind: 'entities', fileName: 'n.xlsx' });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.rows[0]?.record).toMatchObject({ uscc: null, codeStatus: 'unrecoverable' });
  });
});

describe('an .xlsx whose workbook parts come last (SheetJS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'choucha-sheetjs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function sheetjsWorkbook(rows: number): Buffer {
    const aoa: string[][] = [HEADER];
    for (let i = 0; i < rows; i++)
      aoa.push([
        `西安测试${i}有限公司`,
        '',
        completeRegNo(`610103${String(10_000_000 + i)}`),
        '',
        '',
        `碑林区测试路${i}号`,
      ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '名录');
    return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  }

  it('is an .xlsx from its path (the head alone cannot tell) as from its bytes', async () => {
    const bytes = sheetjsWorkbook(3000);
    const head = bytes.subarray(0, 64 * 1024);
    // the premise: nothing in the first 64 KiB names the workbook
    expect(head.includes('[Content_Types].xml')).toBe(false);
    expect(head.includes('xl/workbook.xml')).toBe(false);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    expect(detectFileType(bytes, 'e.xlsx', true)).toEqual({ ok: true, value: 'xlsx' });
    const path = join(dir, 'sheetjs.xlsx');
    writeFileSync(path, bytes);
    const fromPath = await importFile(path, { kind: 'entities' });
    const fromBytes = await importFile(bytes, { kind: 'entities', fileName: 'sheetjs.xlsx' });
    if (!fromPath.ok) throw new Error(`${fromPath.error.code}: ${fromPath.error.message}`);
    if (!fromBytes.ok) throw new Error(fromBytes.error.code);
    expect(fromPath.value.fileType).toBe('xlsx');
    expect(fromPath.value.counts).toEqual(fromBytes.value.counts);
    expect(fromPath.value.counts.rows).toBe(3000);
  });

  it('a zip without a workbook and a .docx are refused from the whole directory, wherever the parts are', async () => {
    const filler = { name: 'a.txt', data: Buffer.alloc(100_000, 0x41) };
    const plain = await zipFile([filler, { name: 'b.txt', data: Buffer.from('x') }]);
    const docx = await zipFile([
      filler,
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w/>') },
    ]);
    const xlsxLast = await zipFile([
      filler,
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    ]);
    expect(detectFileType(plain, 'p.xlsx')).toMatchObject({
      ok: false,
      error: { code: 'IMPORT_FILE_TYPE', details: { detected: 'zip' } },
    });
    expect(detectFileType(docx, 'd.xlsx')).toMatchObject({
      ok: false,
      error: { code: 'IMPORT_FILE_TYPE', details: { detected: 'docx' } },
    });
    expect(detectFileType(xlsxLast, 'x.xlsx')).toEqual({ ok: true, value: 'xlsx' });
    // from a head only, a zip is provisionally an .xlsx (the whole file is read and asked next)
    expect(detectFileType(plain.subarray(0, 4096), 'p.xlsx', false)).toEqual({ ok: true, value: 'xlsx' });
    const path = join(dir, 'plain.xlsx');
    writeFileSync(path, plain);
    const r = await importFile(path, { kind: 'entities' });
    expect(r).toMatchObject({ ok: false, error: { code: 'IMPORT_FILE_TYPE' } });
  });
});

describe('multi-valued cells', () => {
  it('split on 、，,；; and line breaks', () => {
    expect(splitMulti('市场监管局、卫生健康局，教育局,公安局；文旅局;城管局\n统计局\r\n人社局')).toEqual([
      '市场监管局',
      '卫生健康局',
      '教育局',
      '公安局',
      '文旅局',
      '城管局',
      '统计局',
      '人社局',
    ]);
    expect(splitMulti(' 、 ,\n')).toEqual([]);
    expect(splitMulti('教育局、教育局')).toEqual(['教育局']);
  });

  it('keepWhole keeps a name that contains a separator, longest span first', () => {
    const known = new Set(['经贸局、交通运输局', '公安部门', '卫生健康部门']);
    const keep = (s: string) => known.has(s);
    expect(splitMulti('公安部门、经贸局、交通运输局、卫生健康部门', keep)).toEqual([
      '公安部门',
      '经贸局、交通运输局',
      '卫生健康部门',
    ]);
    expect(splitMulti('经贸局、交通运输局', keep)).toEqual(['经贸局、交通运输局']);
    expect(splitMulti('经贸局、交通运输局', () => false)).toEqual(['经贸局', '交通运输局']);
  });

  it('property: without keepWhole, joining the parts with 、 and splitting again is the identity', () => {
    const part = fc.stringMatching(/^[\u4e00-\u9fa5A-Za-z0-9()（）]{1,10}$/);
    const sep = fc.constantFrom('、', '，', ',', '；', ';', '\n', '\r\n', '、\n');
    fc.assert(
      fc.property(
        fc.uniqueArray(part, { minLength: 1, maxLength: 8 }),
        fc.array(sep, { minLength: 8, maxLength: 8 }),
        (parts, seps) => {
          const text = parts.map((p, i) => p + (i < parts.length - 1 ? (seps[i] as string) : '')).join('');
          expect(splitMulti(text)).toEqual(parts);
          // a keepWhole that accepts exactly one joined pair keeps that pair (as written) together
          if (parts.length >= 2) {
            const pair = `${parts[0]}${seps[0]}${parts[1]}`;
            expect(splitMulti(text, (s) => s === pair)).toEqual([pair, ...parts.slice(2)]);
          }
        },
      ),
    );
  });

  it('检查依据 keeps a citation whole and splits statutes on lines or ；《', () => {
    expect(
      splitBasis(
        '《食品安全法》第八十七条、第一百一十条，第一款；《食品安全抽样检验管理办法》第五条\n《产品质量法》第十五条',
      ),
    ).toEqual([
      '《食品安全法》第八十七条、第一百一十条，第一款',
      '《食品安全抽样检验管理办法》第五条',
      '《产品质量法》第十五条',
    ]);
  });

  it('items: 检查主体 uses keepWhole from the options; joint items: 配合部门 too', async () => {
    const csv = writeCsv([
      ['编制单位', '抽查类别', '抽查事项', '检查主体', '检查依据'],
      [
        '区市场监管局',
        '食品',
        '食品经营检查',
        '区市场监管局、经贸局、交通运输局\n区卫健局',
        '《食品安全法》第八十七条、第一百一十条',
      ],
    ]);
    const keepWhole = (s: string) => s === '经贸局、交通运输局';
    const r = await importFile(Buffer.from(csv), { kind: 'items', keepWhole });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.rows[0]?.record).toMatchObject({
      subjects: ['区市场监管局', '经贸局、交通运输局', '区卫健局'],
      basis: ['《食品安全法》第八十七条、第一百一十条'],
    });
    const joint = writeCsv([
      ['抽查领域', '抽查事项', '发起部门', '配合部门'],
      ['校园安全', '校园食品安全检查', '教育局', '公安局；经贸局、交通运输局\n市场监管局'],
    ]);
    const j = await importFile(Buffer.from(joint), { kind: 'joint_items', keepWhole });
    if (!j.ok) throw new Error(j.error.code);
    expect(j.value.rows[0]?.record).toMatchObject({
      cooperatingDepartmentNames: ['公安局', '经贸局、交通运输局', '市场监管局'],
    });
  });
});
