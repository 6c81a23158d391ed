/**
 * Workbooks are parsed off the event loop: one worker thread per file (parse-worker.ts), with a
 * heap limit and a deadline, after the container's stated sizes were checked (container.ts). The
 * rows come back as JSON batches (transferred, not copied) and are handed out with a pause on
 * the event loop every few milliseconds, so the server keeps answering while a big file is read.
 */
import diagnostics from 'node:diagnostics_channel';
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_TABLE, err, ok } from '@choucha/core';
import type { ErrorCode, Result } from '@choucha/core';
import { checkZipLimits, readZipDirectory } from './container.ts';
import { importError } from './errors.ts';
import type { FileType } from './filetype.ts';
import {
  MAX_INFLATED_BYTES,
  PARSE_TIME_BASE_MS,
  PARSE_TIME_MAX_MS,
  PARSE_TIME_PER_MIB_MS,
  PARSE_WORKER_HEAP_MB,
} from './limits.ts';
import type { CellNote, SourceRow } from './row.ts';
import type { ParseJob, WireError, WorkerMessage } from './parse-worker.ts';
import type { TableChoice, TableMeta } from './workbook-table.ts';

export interface ParseLimits {
  /** the worker's V8 heap (old generation), MiB */
  readonly heapMb?: number;
  /** the deadline, ms (default: by the inflated size, see limits.ts) */
  readonly timeoutMs?: number;
}

export interface ParsedWorkbook {
  readonly table: TableMeta;
  readonly totalRows: number;
  readonly rows: AsyncIterable<SourceRow>;
}

/**
 * Published when a worker starts parsing ({ fileType, bytes }) and when it has answered
 * ({ fileType, ok, code, ms }): for logs and for tests that check the event loop meanwhile.
 */
export const PARSE_START_CHANNEL = diagnostics.channel('choucha:import:parse-start');
export const PARSE_END_CHANNEL = diagnostics.channel('choucha:import:parse-end');

const WORKER_URL = new URL('./parse-worker.mjs', import.meta.url);
const BATCH_ROWS = 2000;
/** Hand the event loop back after this long of handing out rows. */
const SLICE_MS = 8;
const MiB = 1024 * 1024;

function fromWire(e: WireError): AppError {
  const code = (e.code in ERROR_TABLE ? e.code : 'IMPORT_FILE_CORRUPT') as ErrorCode;
  return new AppError(code, e.message, e.details);
}

type Batch = [number, string[], (CellNote | null)[]?][];

async function* batchRows(batches: (Uint8Array | null)[]): AsyncGenerator<SourceRow> {
  const dec = new TextDecoder();
  let since = performance.now();
  for (let i = 0; i < batches.length; i++) {
    const data = batches[i] as Uint8Array;
    batches[i] = null; // let it go as soon as it is decoded
    for (const [rowNumber, cells, notes] of JSON.parse(dec.decode(data)) as Batch) {
      yield { rowNumber, cells, notes: notes ? notes.map((n) => n ?? undefined) : undefined };
    }
    if (performance.now() - since > SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      since = performance.now();
    }
  }
}

/** Parse a workbook (bytes already identified as xlsx or xls) in a bounded worker. */
export async function parseWorkbookInWorker(
  bytes: Uint8Array,
  fileType: FileType,
  choice: TableChoice,
  limits: ParseLimits = {},
): Promise<Result<ParsedWorkbook, AppError>> {
  let inflated = bytes.length;
  let inflateBudget = MAX_INFLATED_BYTES;
  if (fileType === 'xlsx') {
    const dir = readZipDirectory(bytes);
    if (!dir.ok) return dir;
    const checked = checkZipLimits(dir.value);
    if (!checked.ok) return checked;
    inflated = dir.value.inflated;
    inflateBudget = dir.value.inflated + 64 * 1024;
  }
  const timeoutMs =
    limits.timeoutMs ??
    Math.min(PARSE_TIME_MAX_MS, PARSE_TIME_BASE_MS + Math.ceil((inflated / MiB) * PARSE_TIME_PER_MIB_MS));
  const heapMb = limits.heapMb ?? PARSE_WORKER_HEAP_MB;
  const job: ParseJob = { bytes, fileType, choice, inflateBudget, batchRows: BATCH_ROWS };
  const batches: (Uint8Array | null)[] = [];
  const started = performance.now();
  PARSE_START_CHANNEL.publish({ fileType, bytes: bytes.length });
  return new Promise<Result<ParsedWorkbook, AppError>>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_URL, {
      workerData: job,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
    });
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(() => {
      settle(() =>
        resolve(
          err(
            importError('IMPORT_TIMEOUT', `超过 ${Math.round(timeoutMs / 1000)} 秒`, {
              limitMs: timeoutMs,
            }),
          ),
        ),
      );
    }, timeoutMs);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'rows') batches.push(m.data);
      else if (m.ok) {
        const { table, totalRows } = m;
        settle(() => resolve(ok({ table, totalRows, rows: batchRows(batches) })));
      } else {
        const e = m.error;
        settle(() => resolve(err(fromWire(e))));
      }
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        settle(() =>
          resolve(
            err(
              importError('IMPORT_FILE_TOO_COMPLEX', `读取所需内存超过 ${heapMb} MiB`, {
                reason: 'memory',
                limitMb: heapMb,
              }),
            ),
          ),
        );
      } else settle(() => reject(e));
    });
    worker.on('exit', (code) => {
      settle(() => reject(new Error(`The parse worker exited (code ${code}) without an answer`)));
    });
  }).finally(() => {
    PARSE_END_CHANNEL.publish({ fileType, ms: Math.round(performance.now() - started) });
  });
}
