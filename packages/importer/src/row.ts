/** How a cell's text came about, where that matters to validation. */
export type CellNote =
  /** filled from the top-left cell of a merged range */
  | 'merged'
  /** the cell held a number; the text is its exact digits */
  | 'number'
  /** an integer beyond 15 significant digits: Excel already lost digits (text = what Excel shows) */
  | 'float_unsafe'
  /** a formula; the text is its cached value */
  | 'formula'
  /** a formula without a cached value: there is no value to read */
  | 'formula_no_value'
  /** an error value such as #N/A or #REF! */
  | 'error_value'
  /** a date cell (or a number formatted as a date), written as an ISO date */
  | 'date';

/** One row of the source, every cell as text. */
export interface SourceRow {
  /** As the spreadsheet shows it (1-based; for CSV the record number). */
  readonly rowNumber: number;
  /** 0-based column index → text (column A = 0). */
  readonly cells: readonly string[];
  /** Per-column notes; absent when no cell needed one (always absent for CSV). */
  readonly notes?: readonly (CellNote | undefined)[] | undefined;
}

/** A row with no own content: every cell blank, or only filled from a merged range above. */
export function isBlankRow(row: SourceRow): boolean {
  for (let c = 0; c < row.cells.length; c++) {
    const t = row.cells[c];
    if (t !== undefined && t.trim() !== '' && row.notes?.[c] !== 'merged') return false;
  }
  return true;
}
