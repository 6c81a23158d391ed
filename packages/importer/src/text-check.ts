/**
 * The text rule of issue 7 for spreadsheets: a cell that holds a NUL or a lone surrogate (an xlsx
 * can carry both, as `&#0;`-style references or `_x0000_` escapes) never enters the database. Its
 * row is rejected with CELL_TEXT_INVALID naming the row and the column, and the cell text is not
 * repeated in the report. A header or sheet name breaking the rule refuses the whole file with
 * INPUT_TEXT_INVALID (headers and sheet names are stored with the import).
 */
import { textProblem } from '@choucha/core';
import type { AppError } from '@choucha/core';
import { importError } from './errors.ts';
import type { ColumnMapping } from './header.ts';
import { reason } from './reasons.ts';
import type { RowReason } from './reasons.ts';
import type { SourceRow } from './row.ts';

/** Column letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const WHAT = { nul: '空字符（U+0000）', lone_surrogate: '孤立的 Unicode 代理项' } as const;

/** One reason per cell of the row that breaks the rule (empty when the row is clean). */
export function invalidCells(row: SourceRow, mapping: ColumnMapping): RowReason[] {
  let out: RowReason[] | undefined;
  for (let c = 0; c < row.cells.length; c++) {
    const t = row.cells[c];
    if (t === undefined || t === '') continue;
    const problem = textProblem(t);
    if (!problem) continue;
    let field: string | undefined;
    let header: string | undefined;
    for (const [f, m] of Object.entries(mapping.fields)) {
      if (m.column === c) {
        field = f;
        header = m.header;
        break;
      }
    }
    header ??= mapping.unmapped.find((m) => m.column === c)?.header;
    (out ??= []).push(
      reason('CELL_TEXT_INVALID', {
        ...(field !== undefined ? { field } : {}),
        ...(header !== undefined && !textProblem(header) ? { header } : {}),
        detail: `第 ${row.rowNumber} 行 ${columnLetter(c)} 列含有${WHAT[problem]}`,
      }),
    );
  }
  return out ?? [];
}

/** INPUT_TEXT_INVALID when a header or a sheet name breaks the rule, else null. */
export function tableTextError(table: {
  readonly headers: readonly string[];
  readonly sheets: readonly string[];
  readonly headerRowNumbers: readonly number[];
}): AppError | null {
  for (let c = 0; c < table.headers.length; c++) {
    const problem = textProblem(table.headers[c] ?? '');
    if (problem) {
      const rows = table.headerRowNumbers.join('、');
      return importError(
        'INPUT_TEXT_INVALID',
        `表头（第 ${rows} 行）${columnLetter(c)} 列含有${WHAT[problem]}`,
        {
          field: 'file.header',
          row: table.headerRowNumbers[0] ?? null,
          column: columnLetter(c),
          problem,
        },
      );
    }
  }
  for (let i = 0; i < table.sheets.length; i++) {
    const problem = textProblem(table.sheets[i] ?? '');
    if (problem)
      return importError('INPUT_TEXT_INVALID', `第 ${i + 1} 个工作表的名称含有${WHAT[problem]}`, {
        field: 'file.sheet',
        sheet: i,
        problem,
      });
  }
  return null;
}
