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
