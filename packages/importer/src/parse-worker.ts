/**
 * The parse worker: one per workbook, started by parse-in-worker.ts through parse-worker.mjs.
 * It parses the workbook with SheetJS, finds the table, posts its rows in JSON batches and exits.
 *
 * Why SheetJS 0.18.5 stays (decided on measurements of 2026-12-01, quiet machine, 2 cores):
 *
 *   read, in process                  7 fixtures .xlsx   100k rows × 9 cols   1,048,576 rows × 3 cols
 *   SheetJS 0.18.5 (XLSX.read)        44 ms, 99 MiB      5.2 s, 422 MiB        20.6 s, 1,082 MiB
 *   exceljs 4.4 (workbook.xlsx.load)  106 ms, 98 MiB     4.9 s, 502 MiB        30.3 s, 1,801 MiB
 *   exceljs 4.4 (streaming reader)    —                  —                     10.0 s, 723 MiB
 *   this worker (readTable, all in)   —                  4.7 s, 564 MiB        16.9 s, 1,544 MiB
 *   (peak RSS of the process; the 1,048,576-row file ends in IMPORT_TOO_MANY_ROWS after the parse)
 *
 * exceljs reads only .xlsx (SheetJS would stay for .xls anyway), brings ~200 packages, and reads
 * cells with other semantics (dates, merged ranges, formulas without cached values, hidden sheets,
 * numbers as shown), which the importer's tests pin down; its loading API is slower and larger,
 * and only its streaming reader is better, on the biggest file. So SheetJS stays, contained:
 *
 * npm's `xlsx` 0.18.5 has CVE-2023-30533 (prototype pollution when reading a crafted file, e.g. a
 * comment whose ref is `__proto__`) and CVE-2024-22363 (ReDoS); the fixed releases are not on the
 * npm registry.
 *   - prototype pollution: the worker is a separate V8 isolate, one per file, gone after it; its
 *     Object.prototype is frozen before any file is read (the CVE's write is dropped) and every
 *     common prototype is compared with a snapshot after the parse (any change refuses the file,
 *     IMPORT_FILE_CORRUPT); only JSON text and plain structured-clone data leave the worker.
 *   - ReDoS (and any other runaway parse): the deadline terminates the worker (IMPORT_TIMEOUT);
 *     the server's event loop never runs SheetJS on an uploaded file.
 *   - zip bombs: the zip directory is checked before the worker starts (container.ts) and the
 *     inflation inside the worker is capped at the stated total (below); the heap is capped by
 *     resourceLimits (IMPORT_FILE_TOO_COMPLEX when exceeded).
 */
import { parentPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import XLSX from 'xlsx';
import { isAppError } from '@choucha/core';
import type { FileType } from './filetype.ts';
import type { SourceRow } from './row.ts';
import { buildWorkbookTable } from './workbook-table.ts';
import type { TableChoice, TableMeta } from './workbook-table.ts';

export interface ParseJob {
  readonly bytes: Uint8Array;
  readonly fileType: FileType;
  readonly choice: TableChoice;
  /** the most bytes that inflating the zip's parts may produce, together */
  readonly inflateBudget: number;
  readonly batchRows: number;
}

export type WireError = { code: string; message: string; details?: Record<string, unknown> };

export type WorkerMessage =
  | { type: 'rows'; data: Uint8Array }
  | { type: 'done'; ok: true; table: TableMeta; totalRows: number }
  | { type: 'done'; ok: false; error: WireError };

const job = workerData as ParseJob;

// SheetJS inflates with its own JavaScript inflater, without bound. Give it Node's zlib instead,
// capped: together, the parts may not inflate to more than the directory stated.
let budget = job.inflateBudget;
class BoundedInflateRaw extends zlib.InflateRaw {
  constructor() {
    super({ maxOutputLength: Math.max(1, budget) });
  }
  // SheetJS reads how much input the stream used (the non-deprecated name of it)
  override get bytesRead(): number {
    return this.bytesWritten;
  }
  _processChunk(chunk: Uint8Array, flushFlag: number): Buffer {
    const out = (
      zlib.InflateRaw.prototype as unknown as {
        _processChunk: (this: zlib.InflateRaw, c: Uint8Array, f: number) => Buffer;
      }
    )._processChunk.call(this, chunk, flushFlag);
    budget -= out.length;
    return out;
  }
}
(XLSX.CFB.utils as unknown as { use_zlib: (z: unknown) => void }).use_zlib({ InflateRaw: BoundedInflateRaw });

/**
 * Contain prototype pollution (CVE-2023-30533 writes through `sheet["__proto__"]`, which is
 * Object.prototype): Object.prototype is frozen, and after the parse every common prototype is
 * compared with a snapshot taken before it (any change refuses the file). Only Object.prototype is
 * frozen because freezing more was measured to cripple V8's array code: on the 1,048,576-row
 * workbook, frozen intrinsics or non-extensible Array/Function/String prototypes took 93–160 s and
 * 6.4 GiB peak RSS instead of 19 s and 1.6 GiB (frozen Object.prototype alone: no measurable cost).
 */
const GUARDED: readonly object[] = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  RegExp.prototype,
  Date.prototype,
  Map.prototype,
  Set.prototype,
  Promise.prototype,
];
type Snapshot = readonly (readonly [PropertyKey, unknown])[][];
function snapshot(): Snapshot {
  return GUARDED.map((p) =>
    Reflect.ownKeys(p).map((k) => {
      const d = Object.getOwnPropertyDescriptor(p, k);
      return [k, d && ('value' in d ? d.value : d.get)] as const;
    }),
  );
}
function unchanged(before: Snapshot): boolean {
  const now = snapshot();
  return before.every((props, i) => {
    const cur = now[i] as Snapshot[number];
    return cur.length === props.length && props.every(([k, v], j) => cur[j]?.[0] === k && cur[j]?.[1] === v);
  });
}
Object.freeze(Object.prototype);
const intrinsics = snapshot();

function send(msg: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(msg, transfer);
}

function wireError(e: unknown): WireError {
  if (isAppError(e))
    return { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) };
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError)
    return { code: 'IMPORT_FILE_TOO_COMPLEX', message, details: { cause: message } };
  return { code: 'IMPORT_FILE_CORRUPT', message, details: { cause: message } };
}

const enc = new TextEncoder();
function postRows(rows: readonly SourceRow[]): void {
  for (let i = 0; i < rows.length; i += job.batchRows) {
    const batch = rows
      .slice(i, i + job.batchRows)
      .map((r) => (r.notes ? [r.rowNumber, r.cells, r.notes] : [r.rowNumber, r.cells]));
    const data = enc.encode(JSON.stringify(batch));
    send({ type: 'rows', data }, [data.buffer as ArrayBuffer]);
  }
}

try {
  const r = buildWorkbookTable(job.bytes, job.fileType, job.choice);
  if (!unchanged(intrinsics)) {
    send({
      type: 'done',
      ok: false,
      error: {
        code: 'IMPORT_FILE_CORRUPT',
        message: '文件试图修改解析器的内部对象，已拒绝',
        details: { cause: 'prototype pollution' },
      },
    });
  } else if (r.ok) {
    postRows(r.value.rows);
    send({ type: 'done', ok: true, table: r.value.table, totalRows: r.value.totalRows });
  } else send({ type: 'done', ok: false, error: wireError(r.error) });
} catch (e) {
  send({ type: 'done', ok: false, error: wireError(e) });
}
