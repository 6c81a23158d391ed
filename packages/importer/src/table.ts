import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { err, ok } from '@choucha/core';
import type { AppError, Result } from '@choucha/core';
import { parseCsvChunks } from './csv.ts';
import type { Delimiter } from './csv.ts';
import { CsvFieldTooLong } from './csv.ts';
import { bomEncoding, decodeChunks, detectEncodingOfBuffer, detectEncodingOfChunks } from './encoding.ts';
import type { TextEncoding } from './encoding.ts';
import { importError } from './errors.ts';
import { FIELDS_BY_KIND } from './fields.ts';
import type { ImportKind } from './fields.ts';
import { detectFileType } from './filetype.ts';
import type { FileType } from './filetype.ts';
import { applyMappingOverride, detectHeader, missingRequired } from './header.ts';
import type { ColumnMapping, MappingOverride } from './header.ts';
import { HEADER_SCAN_ROWS, MAX_CSV_BYTES, MAX_DATA_ROWS, MAX_WORKBOOK_BYTES } from './limits.ts';
import { isBlankRow } from './row.ts';
import type { SourceRow } from './row.ts';
import { chooseSheet, openWorkbook, sheetRows } from './workbook.ts';

/** A file's bytes, or a path to stream from (CSV files are then never read whole). */
export type ImportInput = Uint8Array | string;

export interface ReadTableOptions {
  readonly kind: ImportKind;
  /** The uploaded file's name (messages only; the type is decided by the bytes). */
  readonly fileName?: string;
  /** Sheet name or 0-based index; needed when a workbook has several visible sheets with data. */
  readonly sheet?: string | number;
  /** The user's corrections to the detected mapping. */
  readonly mapping?: MappingOverride;
  /** Force the header row (1-based row number as shown in the spreadsheet). */
  readonly headerRow?: number;
  /** Force the text encoding of a CSV (otherwise: BOM, then valid UTF-8, else GB18030). */
  readonly encoding?: TextEncoding;
  /** Force the CSV delimiter (otherwise guessed from the first line). */
  readonly delimiter?: Delimiter;
}

export interface Table {
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
  /** Non-blank data rows, when known in advance (workbooks). */
  readonly totalRows: number | null;
  /** Data rows below the header, blank rows included (callers skip them with isBlankRow). */
  readonly rows: AsyncIterable<SourceRow>;
}

const CHUNK = 1 << 18;

async function* bufferChunks(buf: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += CHUNK) yield buf.subarray(i, Math.min(buf.length, i + CHUNK));
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: CHUNK });
  for await (const chunk of stream) yield chunk as Buffer;
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function tooLarge(limit: number, size: number): AppError {
  return importError('IMPORT_FILE_TOO_LARGE', `上限 ${Math.round(limit / 1024 / 1024)} MiB`, { limit, size });
}

function tooManyRows(): AppError {
  return importError('IMPORT_TOO_MANY_ROWS', `上限 ${MAX_DATA_ROWS} 行`, { limit: MAX_DATA_ROWS });
}

/** Open a file (bytes or path), choose the sheet, find the header and the column mapping. */
export async function readTable(
  input: ImportInput,
  opts: ReadTableOptions,
): Promise<Result<Table, AppError>> {
  const fileName = opts.fileName ?? (typeof input === 'string' ? basename(input) : undefined);
  let bytes: Uint8Array | undefined = typeof input === 'string' ? undefined : input;
  let size: number;
  let fileType: FileType;
  if (typeof input === 'string') {
    try {
      size = (await stat(input)).size;
    } catch (e) {
      return err(
        importError('IMPORT_FILE_CORRUPT', '无法读取文件', {
          cause: e instanceof Error ? e.message : String(e),
        }),
      );
    }
    const head = await readHead(input, 64 * 1024);
    const t = detectFileType(head, fileName, head.length >= size);
    if (!t.ok) return t;
    fileType = t.value;
    if (fileType !== 'csv') {
      if (size > MAX_WORKBOOK_BYTES) return err(tooLarge(MAX_WORKBOOK_BYTES, size));
      bytes = await readFile(input);
      const again = detectFileType(bytes, fileName, true);
      if (!again.ok) return again;
      fileType = again.value;
    }
  } else {
    size = input.length;
    const t = detectFileType(input, fileName, true);
    if (!t.ok) return t;
    fileType = t.value;
  }
  if (fileType === 'csv') {
    if (size > MAX_CSV_BYTES) return err(tooLarge(MAX_CSV_BYTES, size));
    return readCsvTable(input, bytes, opts);
  }
  if (size > MAX_WORKBOOK_BYTES) return err(tooLarge(MAX_WORKBOOK_BYTES, size));
  return readWorkbookTable(bytes as Uint8Array, fileType, opts);
}

function finishTable(
  base: Omit<
    Table,
    'headerRowNumbers' | 'headers' | 'detectedMapping' | 'mapping' | 'missingRequired' | 'rows' | 'totalRows'
  >,
  scan: readonly SourceRow[],
  opts: ReadTableOptions,
): Result<{ table: Omit<Table, 'rows' | 'totalRows'>; dataStart: number }, AppError> {
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

function readWorkbookTable(
  bytes: Uint8Array,
  fileType: FileType,
  opts: ReadTableOptions,
): Result<Table, AppError> {
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
  return ok({
    ...t.value.table,
    totalRows,
    rows: (async function* () {
      yield* rows;
    })(),
  });
}

async function readCsvTable(
  input: ImportInput,
  bytes: Uint8Array | undefined,
  opts: ReadTableOptions,
): Promise<Result<Table, AppError>> {
  const chunks = (): AsyncGenerator<Uint8Array> =>
    bytes ? bufferChunks(bytes) : fileChunks(input as string);
  let encoding: TextEncoding;
  if (opts.encoding) encoding = opts.encoding;
  else if (bytes) encoding = detectEncodingOfBuffer(bytes);
  else {
    const head = await readHead(input as string, 4);
    encoding = bomEncoding(head) ?? (await detectEncodingOfChunks(chunks()));
  }
  const records = parseCsvChunks(decodeChunks(chunks(), encoding), opts.delimiter);
  const it = records[Symbol.asyncIterator]();
  const scanLen = Math.max(HEADER_SCAN_ROWS, (opts.headerRow ?? 0) + 1) + 1;
  const scan: SourceRow[] = [];
  let n = 0;
  try {
    while (scan.length < scanLen) {
      const r = await it.next();
      if (r.done) break;
      scan.push({ rowNumber: ++n, cells: r.value });
    }
  } catch (e) {
    if (e instanceof CsvFieldTooLong) return err(importError('IMPORT_FILE_CORRUPT', '存在未闭合的引号'));
    throw e;
  }
  if (scan.every(isBlankRow)) return err(importError('IMPORT_FILE_EMPTY'));
  const t = finishTable({ fileType: 'csv', encoding, sheets: [], sheet: null, notices: [] }, scan, opts);
  if (!t.ok) return t;
  const buffered = scan.slice(t.value.dataStart);
  async function* rows(): AsyncGenerator<SourceRow> {
    let count = 0;
    for (const r of buffered) {
      if (!isBlankRow(r) && ++count > MAX_DATA_ROWS) throw tooManyRows();
      yield r;
    }
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        const row: SourceRow = { rowNumber: ++n, cells: r.value };
        if (!isBlankRow(row) && ++count > MAX_DATA_ROWS) throw tooManyRows();
        yield row;
      }
    } catch (e) {
      if (e instanceof CsvFieldTooLong)
        throw importError('IMPORT_FILE_CORRUPT', `第 ${n + 1} 行附近存在未闭合的引号`);
      throw e;
    }
  }
  return ok({ ...t.value.table, totalRows: null, rows: rows() });
}
