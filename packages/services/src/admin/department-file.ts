/**
 * Reading a department list (.xlsx / .xls / .csv): a few hundred rows at most, so it is read in
 * process, with the importer's type detection, zip-bomb limits, encoding detection and CSV parser.
 */
import XLSX from 'xlsx';
import { AppError } from '@choucha/core';
import {
  checkZipLimits,
  decodeChunks,
  detectDelimiter,
  detectEncodingOfBuffer,
  detectFileType,
  parseCsv,
  readZipDirectory,
} from '@choucha/importer';

/** A department list is small; anything bigger is not one. */
export const MAX_DEPARTMENT_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_DEPARTMENT_ROWS = 2000;

export type DepartmentColumn =
  'name' | 'shortName' | 'code' | 'aliases' | 'contactName' | 'contactPhone' | 'level' | 'parent' | 'lead';

/** Header texts (folded: no white space, NFKC) that name each column. */
const HEADERS: Record<DepartmentColumn, readonly string[]> = {
  name: ['部门名称', '单位名称', '部门全称', '单位全称', '成员单位', '成员单位名称', '名称', '部门'],
  shortName: ['简称', '部门简称', '单位简称'],
  code: ['部门代码', '代码', '单位代码', '部门编码', '编码', '编号'],
  aliases: ['别名', '其他名称', '曾用名'],
  contactName: ['联络员', '联系人', '联络员姓名'],
  contactPhone: ['联系电话', '电话', '联络员电话', '手机', '联系方式'],
  level: ['层级', '级别', '行政层级'],
  parent: ['上级部门', '上级单位', '上级'],
  lead: ['牵头', '是否牵头', '牵头单位', '牵头部门'],
};

const fold = (s: string) => s.normalize('NFKC').replace(/[\s\u3000*＊:：]+/g, '');

export interface DepartmentSheet {
  /** 1-based row number of the header in the file */
  headerRow: number;
  columns: Partial<Record<DepartmentColumn, number>>;
  /** header texts that were not used */
  unusedHeaders: string[];
  rows: { rowNumber: number; cells: string[] }[];
}

function fileError(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('IMPORT_FILE_CORRUPT', message, details);
}

async function decodeCsv(bytes: Uint8Array): Promise<string> {
  const enc = detectEncodingOfBuffer(bytes);
  async function* one(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  let out = '';
  for await (const piece of decodeChunks(one(), enc)) out += piece;
  return out.replace(/^\uFEFF/, '');
}

function workbookRows(bytes: Uint8Array, fileType: 'xlsx' | 'xls'): string[][] {
  if (fileType === 'xlsx') {
    const dir = readZipDirectory(bytes);
    if (!dir.ok) throw dir.error;
    const checked = checkZipLimits(dir.value);
    if (!checked.ok) throw checked.error;
  }
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(bytes, { type: 'buffer', cellDates: false, sheetRows: MAX_DEPARTMENT_ROWS + 20 });
  } catch (e) {
    throw fileError('The workbook could not be read', { cause: e instanceof Error ? e.message : String(e) });
  }
  const hidden = wb.Workbook?.Sheets ?? [];
  const name = wb.SheetNames.find((n, i) => !hidden[i]?.Hidden && wb.Sheets[n]?.['!ref']);
  if (name === undefined) throw new AppError('IMPORT_FILE_EMPTY');
  const ws = wb.Sheets[name] as XLSX.WorkSheet;
  const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, {
    header: 1,
    raw: false,
    defval: '',
    blankrows: true,
  });
  return rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
}

/** Open the file, find the header row (within the first 10 rows) and map the columns. */
export async function readDepartmentSheet(bytes: Uint8Array, fileName?: string): Promise<DepartmentSheet> {
  if (bytes.length > MAX_DEPARTMENT_FILE_BYTES)
    throw new AppError('IMPORT_FILE_TOO_LARGE', 'A department list is at most 2 MiB', {
      limit: MAX_DEPARTMENT_FILE_BYTES,
      size: bytes.length,
    });
  const t = detectFileType(bytes, fileName, true);
  if (!t.ok) throw t.error;
  let table: string[][];
  if (t.value === 'csv') {
    const text = await decodeCsv(bytes);
    table = parseCsv(text, detectDelimiter(text.slice(0, 4096)));
  } else table = workbookRows(bytes, t.value);
  for (let h = 0; h < Math.min(10, table.length); h++) {
    const header = (table[h] ?? []).map(fold);
    const columns: Partial<Record<DepartmentColumn, number>> = {};
    const used = new Set<number>();
    for (const col of Object.keys(HEADERS) as DepartmentColumn[]) {
      for (const want of HEADERS[col]) {
        const i = header.findIndex((x, j) => x === want && !used.has(j));
        if (i >= 0) {
          columns[col] = i;
          used.add(i);
          break;
        }
      }
    }
    if (columns.name === undefined) continue;
    const unusedHeaders = (table[h] ?? [])
      .map((x, i) => ({ x: x.trim(), i }))
      .filter(({ x, i }) => x.length > 0 && !used.has(i))
      .map(({ x }) => x);
    const rows = table
      .slice(h + 1)
      .map((cells, i) => ({ rowNumber: h + 2 + i, cells: cells.map((c) => c.trim()) }))
      .filter((r) => r.cells.some((c) => c.length > 0));
    if (rows.length > MAX_DEPARTMENT_ROWS)
      throw new AppError(
        'IMPORT_TOO_MANY_ROWS',
        `A department list has at most ${MAX_DEPARTMENT_ROWS} rows`,
        {
          limit: MAX_DEPARTMENT_ROWS,
        },
      );
    return { headerRow: h + 1, columns, unusedHeaders, rows };
  }
  throw new AppError('IMPORT_NO_HEADER', 'No header row with 部门名称 / 单位名称 in the first 10 rows', {
    missing: ['部门名称'],
  });
}
