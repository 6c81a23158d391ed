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
import type { ImportKind } from './fields.ts';
import { detectFileType } from './filetype.ts';
import type { FileType } from './filetype.ts';
import type { MappingOverride } from './header.ts';
import { HEADER_SCAN_ROWS, MAX_CSV_BYTES, MAX_DATA_ROWS, MAX_WORKBOOK_BYTES } from './limits.ts';
import { isBlankRow } from './row.ts';
import type { SourceRow } from './row.ts';
import { parseWorkbookInWorker } from './parse-in-worker.ts';
import type { ParseLimits } from './parse-in-worker.ts';
import { finishTable, tooManyRows } from './workbook-table.ts';
import type { TableMeta } from './workbook-table.ts';

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
  /** The parse worker's heap and deadline (workbooks; defaults in limits.ts). */
  readonly limits?: ParseLimits;
}

export interface Table extends TableMeta {
  /** Non-blank data rows, when known in advance (workbooks). */
  readonly totalRows: number | null;
  /** Data rows below the header, blank rows included (callers skip them with isBlankRow). */
  readonly rows: AsyncIterable<SourceRow>;
}

const CHUNK = 1 << 18;
/** CSV rows are handed out for at most this long before the event loop gets a turn. */
const SLICE_MS = 8;

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

async function readWorkbookTable(
  bytes: Uint8Array,
  fileType: FileType,
  opts: ReadTableOptions,
): Promise<Result<Table, AppError>> {
  const parsed = await parseWorkbookInWorker(
    bytes,
    fileType,
    {
      kind: opts.kind,
      ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
      ...(opts.mapping !== undefined ? { mapping: opts.mapping } : {}),
      ...(opts.headerRow !== undefined ? { headerRow: opts.headerRow } : {}),
    },
    opts.limits,
  );
  if (!parsed.ok) return parsed;
  return ok({ ...parsed.value.table, totalRows: parsed.value.totalRows, rows: parsed.value.rows });
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
    let since = performance.now();
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        const row: SourceRow = { rowNumber: ++n, cells: r.value };
        if (!isBlankRow(row) && ++count > MAX_DATA_ROWS) throw tooManyRows();
        yield row;
        // an upload's bytes are parsed without I/O: hand the event loop back now and then
        if ((n & 255) === 0 && performance.now() - since > SLICE_MS) {
          await new Promise((res) => setImmediate(res));
          since = performance.now();
        }
      }
    } catch (e) {
      if (e instanceof CsvFieldTooLong)
        throw importError('IMPORT_FILE_CORRUPT', `第 ${n + 1} 行附近存在未闭合的引号`);
      throw e;
    }
  }
  return ok({ ...t.value.table, totalRows: null, rows: rows() });
}
