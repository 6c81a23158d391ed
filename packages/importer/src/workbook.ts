import XLSX from 'xlsx';
import type { CellObject, WorkBook, WorkSheet } from 'xlsx';
import { err, ok } from '@choucha/core';
import type { AppError, Result } from '@choucha/core';
import { importError } from './errors.ts';
import { HEADER_SCAN_ROWS, MAX_DATA_ROWS } from './limits.ts';
import type { CellNote, SourceRow } from './row.ts';

export interface SheetInfo {
  readonly name: string;
  readonly hidden: boolean;
  /** has at least one non-empty cell */
  readonly hasData: boolean;
}

export interface OpenedWorkbook {
  readonly sheets: readonly SheetInfo[];
  readonly wb: WorkBook;
}

/** Parse an .xlsx / .xls buffer (already identified by magic bytes). */
export function openWorkbook(buf: Uint8Array): Result<OpenedWorkbook, AppError> {
  let wb: WorkBook;
  try {
    wb = XLSX.read(buf, {
      type: 'buffer',
      cellFormula: true,
      cellNF: true,
      cellDates: false,
      sheetStubs: true,
      // read one row more than allowed, to be able to say "too many rows"
      sheetRows: MAX_DATA_ROWS + HEADER_SCAN_ROWS + 1,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/password|encrypt/i.test(message)) return err(importError('IMPORT_FILE_ENCRYPTED'));
    // the capped inflation (parse-worker.ts) or a string beyond V8's limit
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      return err(importError('IMPORT_FILE_TOO_COMPLEX', '解压后的内容超过声明的大小', { cause: message }));
    }
    return err(importError('IMPORT_FILE_CORRUPT', undefined, { cause: message }));
  }
  const meta = wb.Workbook?.Sheets ?? [];
  const sheets = wb.SheetNames.map((name, i) => {
    const ws = wb.Sheets[name];
    return { name, hidden: Boolean(meta[i]?.Hidden), hasData: ws ? sheetHasData(ws) : false };
  });
  return ok({ sheets, wb });
}

function sheetHasData(ws: WorkSheet): boolean {
  for (const k of Object.keys(ws)) {
    if (k[0] === '!') continue;
    const c = ws[k] as CellObject;
    if (c.t !== 'z' || c.f) {
      if (c.v !== undefined && c.v !== '') return true;
      if (c.f) return true;
    }
  }
  return false;
}

/**
 * Choose the sheet to import: the named (or 0-based numbered) one, else the only visible sheet
 * with data. Hidden sheets are ignored (and said so); several candidates → IMPORT_SHEET_CHOICE.
 */
export function chooseSheet(
  book: OpenedWorkbook,
  choice: string | number | undefined,
): Result<{ name: string; notices: string[] }, AppError> {
  const notices: string[] = [];
  const hidden = book.sheets.filter((s) => s.hidden).map((s) => s.name);
  if (choice !== undefined) {
    const found =
      typeof choice === 'number' ? book.sheets[choice] : book.sheets.find((s) => s.name === choice);
    if (!found) {
      return err(
        importError('IMPORT_SHEET_NOT_FOUND', String(choice), {
          sheet: choice,
          sheets: book.sheets.map((s) => s.name),
        }),
      );
    }
    if (found.hidden) notices.push(`已按要求读取隐藏工作表「${found.name}」`);
    return ok({ name: found.name, notices });
  }
  if (hidden.length) notices.push(`已忽略隐藏工作表：${hidden.join('、')}`);
  const visible = book.sheets.filter((s) => !s.hidden);
  const withData = visible.filter((s) => s.hasData);
  if (withData.length > 1) {
    return err(
      importError('IMPORT_SHEET_CHOICE', withData.map((s) => s.name).join('、'), {
        sheets: withData.map((s) => s.name),
      }),
    );
  }
  const only = withData[0];
  if (!only) return err(importError('IMPORT_FILE_EMPTY', '工作表中没有数据'));
  const empty = visible.filter((s) => !s.hasData).map((s) => s.name);
  if (empty.length) notices.push(`已忽略空白工作表：${empty.join('、')}`);
  return ok({ name: only.name, notices });
}

/** Excel shows at most 15 significant digits; beyond that the stored float is not the typed number. */
function excelScientific(v: number): string {
  const [mant, exp] = v.toExponential(14).split('e') as [string, string];
  const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  const e = Number(exp);
  return `${m}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A number cell as text: exact digits where the float holds them, else what Excel shows, flagged. */
export function numberText(v: number): { text: string; note: CellNote } {
  if (!Number.isFinite(v)) return { text: String(v), note: 'error_value' };
  if (Number.isInteger(v)) {
    if (Math.abs(v) < 1e15) return { text: String(v), note: 'number' };
    return { text: excelScientific(v), note: 'float_unsafe' };
  }
  return { text: String(Number(v.toPrecision(15))), note: 'number' };
}

function cellText(cell: CellObject | undefined): { text: string; note?: CellNote } {
  if (!cell) return { text: '' };
  const hasFormula = typeof cell.f === 'string' && cell.f !== '';
  if (cell.t === 'z') return hasFormula ? { text: '', note: 'formula_no_value' } : { text: '' };
  if (hasFormula && (cell.v === undefined || cell.v === null)) return { text: '', note: 'formula_no_value' };
  let out: { text: string; note?: CellNote };
  switch (cell.t) {
    case 's':
      out = { text: String(cell.v ?? '') };
      break;
    case 'b':
      out = { text: cell.v ? 'TRUE' : 'FALSE' };
      break;
    case 'e':
      out = { text: cell.w ?? '#ERROR', note: 'error_value' };
      break;
    case 'd': {
      const d = cell.v instanceof Date ? cell.v : new Date(String(cell.v));
      out = Number.isNaN(d.getTime())
        ? { text: String(cell.v) }
        : { text: `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`, note: 'date' };
      break;
    }
    case 'n': {
      const v = Number(cell.v);
      const fmt = typeof cell.z === 'string' ? cell.z : undefined;
      if (fmt && fmt !== 'General' && XLSX.SSF.is_date(fmt)) {
        const p = XLSX.SSF.parse_date_code(v);
        if (p && p.y > 0) {
          out = { text: `${p.y}-${pad2(p.m)}-${pad2(p.d)}`, note: 'date' };
          break;
        }
      }
      out = numberText(v);
      break;
    }
    default:
      out = { text: cell.w ?? String(cell.v ?? '') };
  }
  if (hasFormula && out.note !== 'error_value') out = { text: out.text, note: 'formula' };
  return out;
}

/** All rows of a sheet as text, merged ranges filled with their top-left value. */
export function sheetRows(
  book: OpenedWorkbook,
  name: string,
): Result<{ rows: SourceRow[]; truncated: boolean }, AppError> {
  const ws = book.wb.Sheets[name];
  if (!ws || !ws['!ref']) return ok({ rows: [], truncated: false });
  const range = XLSX.utils.decode_range(ws['!ref']);
  const full = ws['!fullref'] ? XLSX.utils.decode_range(ws['!fullref']) : range;
  const truncated = full.e.r > range.e.r;
  const width = range.e.c + 1;
  const texts: string[][] = [];
  const notes: (CellNote | undefined)[][] = [];
  const colNames: string[] = [];
  for (let c = 0; c <= range.e.c; c++) colNames.push(XLSX.utils.encode_col(c));
  for (let r = range.s.r; r <= range.e.r; r++) {
    const rowTexts: string[] = new Array<string>(width).fill('');
    const rowNotes: (CellNote | undefined)[] = new Array<CellNote | undefined>(width).fill(undefined);
    const rn = String(r + 1);
    for (let c = range.s.c; c <= range.e.c; c++) {
      const cell = ws[(colNames[c] as string) + rn] as CellObject | undefined;
      if (!cell) continue;
      const t = cellText(cell);
      rowTexts[c] = t.text;
      rowNotes[c] = t.note;
    }
    texts.push(rowTexts);
    notes.push(rowNotes);
  }
  for (const m of ws['!merges'] ?? []) {
    const r0 = m.s.r - range.s.r;
    const top = texts[r0]?.[m.s.c] ?? '';
    const topNote = notes[r0]?.[m.s.c];
    for (let r = m.s.r; r <= Math.min(m.e.r, range.e.r); r++) {
      for (let c = m.s.c; c <= Math.min(m.e.c, range.e.c); c++) {
        if (r === m.s.r && c === m.s.c) continue;
        const tr = texts[r - range.s.r];
        const nr = notes[r - range.s.r];
        if (!tr || !nr) continue;
        tr[c] = top;
        nr[c] = topNote === 'formula_no_value' ? topNote : 'merged';
      }
    }
  }
  const rows: SourceRow[] = texts.map((cells, i) => {
    const n = notes[i] as (CellNote | undefined)[];
    return { rowNumber: range.s.r + i + 1, cells, notes: n.some((x) => x !== undefined) ? n : undefined };
  });
  return ok({ rows, truncated });
}
