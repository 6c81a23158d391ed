import { describe, expect, it } from 'vitest';
import { importFile } from './import.ts';
import { columnLetter } from './text-check.ts';
import { xlsxFile } from './testkit.ts';

const cell = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
/** A one-sheet workbook from rows of raw XML cell text (so `&#xD800;` reaches the parser as written). */
async function workbook(rows: string[][]): Promise<Uint8Array> {
  const body = rows
    .map(
      (r, i) =>
        `<row r="${i + 1}">${r.map((t, c) => (t === '' ? '' : cell(`${columnLetter(c)}${i + 1}`, t))).join('')}</row>`,
    )
    .join('');
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
  return new Uint8Array(await xlsxFile({ sheet }));
}

describe('cells with NUL or a lone surrogate', () => {
  it('reject their row with CELL_TEXT_INVALID naming the row and the column, without the text', async () => {
    const file = await workbook([
      ['统一社会信用代码', '企业名称', '地址', '备用'],
      ['', '甲公司', 'x&#xD800;y'],
      ['', '乙公司', 'x_xDC00_y'],
      ['', '丙&#0;公司'],
      ['', '丁公司', '', 'a&#0;b'],
      ['', '戊公司', '碑林区😀'],
    ]);
    const r = await importFile(file, { kind: 'entities', today: '2026-03-01' });
    if (!r.ok) throw new Error(r.error.message);
    const rows = r.value.rows;
    expect(rows.map((x) => [x.rowNumber, x.verdict])).toEqual([
      [2, 'rejected'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'rejected'],
      [6, 'warned'],
    ]);
    const bad = rows.slice(0, 4).map((x) => x.reasons);
    for (const reasons of bad) expect(reasons.map((x) => x.code)).toEqual(['CELL_TEXT_INVALID']);
    expect(bad.map((x) => [x[0]!.field, x[0]!.header])).toEqual([
      ['address', '地址'],
      ['address', '地址'],
      ['name', '企业名称'],
      [undefined, '备用'],
    ]);
    expect(bad[0]![0]!.zh).toContain('第 2 行 C 列含有孤立的 Unicode 代理项');
    expect(bad[2]![0]!.zh).toContain('第 4 行 B 列含有空字符（U+0000）');
    expect(bad[3]![0]!.zh).toContain('第 5 行 D 列');
    // the offending text is not repeated anywhere in the report, and no record is kept
    for (const x of rows.slice(0, 4)) {
      expect(x.record).toBeNull();
      expect(x.key).toBeNull();
      expect(JSON.stringify(x)).not.toMatch(/\\u0000|\\ud800|\\udc00/i);
    }
    expect(r.value.counts).toMatchObject({ rows: 5, rejected: 4, warned: 1 });
  });

  it('a header with NUL refuses the file with INPUT_TEXT_INVALID naming the column', async () => {
    const file = await workbook([
      ['统一社会信用代码', '企业名称', '地&#0;址'],
      ['', '甲公司', '碑林区'],
    ]);
    const r = await importFile(file, { kind: 'entities' });
    if (r.ok) throw new Error('expected the file to be refused');
    expect(r.error.code).toBe('INPUT_TEXT_INVALID');
    expect(r.error.details).toMatchObject({ field: 'file.header', column: 'C', row: 1, problem: 'nul' });
  });

  it('column letters', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
