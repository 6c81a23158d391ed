/** Stated limits of the importer (documented in the import dialog and the API). */

/** .xlsx / .xls files are materialised in memory by SheetJS: 50 MiB at most. */
export const MAX_WORKBOOK_BYTES = 50 * 1024 * 1024;
/** CSV files are streamed; the byte limit only guards against absurd uploads. */
export const MAX_CSV_BYTES = 1024 * 1024 * 1024;
/** Data rows (below the header) in one file, whatever its type. */
export const MAX_DATA_ROWS = 1_000_000;
/** The header row is looked for in the first rows of the sheet. */
export const HEADER_SCAN_ROWS = 10;
/** A row with at least this many recognised header cells can be the header row. */
export const MIN_HEADER_MATCHES = 2;
/** A single cell longer than this is cut (a CSV with a stray quote would otherwise eat the file). */
export const MAX_CELL_CHARS = 32_767;

/*
 * Hostile workbooks (docs/security.md). An .xlsx is a zip: its central directory states every
 * part's inflated size, and those are checked before anything is inflated; the inflation itself is
 * then capped at the stated total, so a lying header cannot inflate more. An .xls is a compound
 * file (CFB): its streams must fit in the file and its sector chains must not loop. The parse runs
 * in a worker thread with a heap limit and a deadline (see parse-worker.ts).
 */
/** All parts of an .xlsx together, inflated. */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;
/** One part inflated: SheetJS turns a part into one string, and V8 strings stop at 2^29 − 24 chars. */
export const MAX_PART_BYTES = 512 * 1024 * 1024 - 64;
/** Inflated / compressed, for parts above RATIO_MIN_BYTES (real sheets: 5–30; a zip bomb: ~1000). */
export const MAX_COMPRESSION_RATIO = 100;
export const RATIO_MIN_BYTES = 8 * 1024 * 1024;
/** Parts in an .xlsx, directory entries in an .xls. */
export const MAX_CONTAINER_ENTRIES = 10_000;
/** The parse worker's V8 heap (old generation), MiB. */
export const PARSE_WORKER_HEAP_MB = 4096;
/** The parse worker's deadline: a base plus a share per MiB that the workbook inflates to. */
export const PARSE_TIME_BASE_MS = 30_000;
export const PARSE_TIME_PER_MIB_MS = 1_000;
export const PARSE_TIME_MAX_MS = 10 * 60_000;
