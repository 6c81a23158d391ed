/**
 * From parsed rows to a table: the header, the mapping, the data rows. `buildWorkbookTable` is the
 * whole synchronous workbook path (SheetJS parse → sheet choice → rows → header); it runs inside
 * the parse worker (parse-worker.ts), never on the server's event loop.
 */
import { err, ok } from '@choucha/core';
import type { AppError, Result } from '@choucha/core';
import type { TextEncoding } from './encoding.ts';
import { importError } from './errors.ts';
import { FIELDS_BY_KIND } from './fields.ts';
import type { ImportKind } from './fields.ts';
import type { FileType } from './filetype.ts';
import { applyMappingOverride, detectHeader, missingRequired } from './header.ts';
import type { ColumnMapping, MappingOverride } from './header.ts';
import { HEADER_SCAN_ROWS, MAX_DATA_ROWS } from './limits.ts';
import { isBlankRow } from './row.ts';
import type { SourceRow } from './row.ts';
import { chooseSheet, openWorkbook, sheetRows } from './workbook.ts';

/** What a table is, apart from its rows (plain data: it crosses the worker boundary). */
export interface TableMeta {
  readonly fileType: FileType;
  /** CSV only */
  readonly encoding: TextEncoding | null;
  /** All sheet names (workbooks), in order. */
  readonly sheets: readonly string[];
  readonly sheet: string | null;
  /** Things the user should know (hidden or empty sheets ignored …). */
  readonly notices: readonly string[];
  /** 1-based row number(s) of the header (two for a two-row header). */
  readonly headerRowNumbers: readonly number[];
  /** Header text per column (0-based). */
  readonly headers: readonly string[];
  readonly detectedMapping: ColumnMapping;
  /** The mapping in effect (detected + override). */
  readonly mapping: ColumnMapping;
  /** Required fields without a column: the file cannot be imported until they are mapped. */
  readonly missingRequired: readonly string[];
}

/** The options that decide the table (plain data: they cross the worker boundary). */
export interface TableChoice {
  readonly kind: ImportKind;
  readonly sheet?: string | number;
  readonly mapping?: MappingOverride;
  readonly headerRow?: number;
}

export function tooManyRows(): AppError {
  return importError('IMPORT_TOO_MANY_ROWS', `上限 ${MAX_DATA_ROWS} 行`, { limit: MAX_DATA_ROWS });
}

export function finishTable(
  base: Pick<TableMeta, 'fileType' | 'encoding' | 'sheets' | 'sheet' | 'notices'>,
  scan: readonly SourceRow[],
  opts: TableChoice,
): Result<{ table: TableMeta; dataStart: number }, AppError> {
  const fields = FIELDS_BY_KIND[opts.kind];
  let forced: number | undefined;
  if (opts.headerRow !== undefined) {
    forced = scan.findIndex((r) => r.rowNumber === opts.headerRow);
    if (forced < 0)
      return err(importError('IMPORT_NO_HEADER', `第 ${opts.headerRow} 行不在文件开头的范围内`));
  }
  const h = detectHeader(scan, fields, forced);
  if (!h) {
    return err(
      importError('IMPORT_NO_HEADER', undefined, {
        preview: scan
          .slice(0, HEADER_SCAN_ROWS)
          .map((r) => ({ rowNumber: r.rowNumber, cells: r.cells.slice(0, 30) })),
        expected: fields.map((f) => f.label),
      }),
    );
  }
  const mapping = applyMappingOverride(h.mapping, h.headers, opts.mapping, fields);
  if (!mapping.ok) return mapping;
  const last = h.rowIndexes[h.rowIndexes.length - 1] as number;
  return ok({
    table: {
      ...base,
      headerRowNumbers: h.rowIndexes.map((i) => (scan[i] as SourceRow).rowNumber),
      headers: h.headers,
      detectedMapping: h.mapping,
      mapping: mapping.value,
      missingRequired: missingRequired(mapping.value, fields),
    },
    dataStart: last + 1,
  });
}

/** Parse a workbook and find its table: all data rows, trailing blank rows cut. */
export function buildWorkbookTable(
  bytes: Uint8Array,
  fileType: FileType,
  opts: TableChoice,
): Result<{ table: TableMeta; totalRows: number; rows: SourceRow[] }, AppError> {
  const book = openWorkbook(bytes);
  if (!book.ok) return book;
  const chosen = chooseSheet(book.value, opts.sheet);
  if (!chosen.ok) return chosen;
  const grid = sheetRows(book.value, chosen.value.name);
  if (!grid.ok) return grid;
  if (grid.value.truncated) return err(tooManyRows());
  const all = grid.value.rows;
  const scanLen = Math.max(HEADER_SCAN_ROWS, (opts.headerRow ?? 0) + 1) + 1;
  const t = finishTable(
    {
      fileType,
      encoding: null,
      sheets: book.value.sheets.map((s) => s.name),
      sheet: chosen.value.name,
      notices: chosen.value.notices,
    },
    all.slice(0, scanLen),
    opts,
  );
  if (!t.ok) return t;
  const data = all.slice(t.value.dataStart);
  // trailing blank rows (formatting that reaches far down) are not data
  let end = data.length;
  while (end > 0 && isBlankRow(data[end - 1] as SourceRow)) end--;
  const rows = data.slice(0, end);
  const totalRows = rows.reduce((n, r) => (isBlankRow(r) ? n : n + 1), 0);
  if (totalRows > MAX_DATA_ROWS) return err(tooManyRows());
  return ok({ table: t.value.table, totalRows, rows });
}
