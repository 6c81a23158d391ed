import { err, ok } from '@choucha/core';
import type { Result } from '@choucha/core';
import type { AppError } from '@choucha/core';
import { importError } from './errors.ts';
import { matchHeader } from './fields.ts';
import type { FieldDef } from './fields.ts';
import { HEADER_SCAN_ROWS, MIN_HEADER_MATCHES } from './limits.ts';
import type { SourceRow } from './row.ts';

export interface MappedColumn {
  /** 0-based column index (column A = 0). */
  readonly column: number;
  /** The header text as read (a two-row header is shown "抽查项目/抽查类别"). */
  readonly header: string;
}

/** field → column, plus the columns nobody reads (shown to the user so they can map them). */
export interface ColumnMapping {
  readonly fields: Readonly<Record<string, MappedColumn>>;
  readonly unmapped: readonly MappedColumn[];
}

/** A user's correction: field → column index, or null to ignore a column that was detected. */
export type MappingOverride = Readonly<Record<string, number | null>>;

export interface HeaderDetection {
  /** 0-based indexes into the scanned rows (one, or two for a two-row header). */
  readonly rowIndexes: readonly number[];
  readonly headers: readonly string[];
  readonly mapping: ColumnMapping;
}

/** A title row (one text, merged across the table) has a single distinct value. */
function distinctTexts(row: SourceRow): number {
  return new Set(row.cells.map((c) => c.trim()).filter((c) => c !== '')).size;
}

function cellAt(row: SourceRow | undefined, c: number): string {
  return (row?.cells[c] ?? '').trim();
}

function buildMapping(
  top: SourceRow,
  second: SourceRow | undefined,
  fields: readonly FieldDef[],
): { headers: string[]; mapping: ColumnMapping; score: number } {
  const width = Math.max(top.cells.length, second?.cells.length ?? 0);
  const headers: string[] = [];
  const mapped: Record<string, MappedColumn> = {};
  const unmapped: MappedColumn[] = [];
  for (let c = 0; c < width; c++) {
    const p = cellAt(top, c);
    const ch = second ? cellAt(second, c) : '';
    let header: string;
    let candidates: string[];
    if (ch === '' || ch === p) {
      header = p;
      candidates = [p];
    } else if (p === '') {
      header = ch;
      candidates = [ch];
    } else {
      header = `${p}/${ch}`;
      candidates = [header, p + ch, ch, p];
    }
    headers.push(header);
    let field: string | undefined;
    for (const cand of candidates) {
      const f = matchHeader(cand, fields);
      if (f !== undefined && !(f in mapped)) {
        field = f;
        break;
      }
    }
    if (field !== undefined) mapped[field] = { column: c, header };
    else if (header !== '') unmapped.push({ column: c, header });
  }
  return { headers, mapping: { fields: mapped, unmapped }, score: Object.keys(mapped).length };
}

/**
 * The header is the first row (of the first HEADER_SCAN_ROWS) where at least MIN_HEADER_MATCHES
 * known headers match; it spans two rows when the row below adds recognised headers
 * (a parent such as 抽查项目 over 抽查类别 + 抽查事项, merged cells already filled).
 * `forcedRow` (0-based index into `rows`) skips the search.
 */
export function detectHeader(
  rows: readonly SourceRow[],
  fields: readonly FieldDef[],
  forcedRow?: number,
): HeaderDetection | undefined {
  const limit = Math.min(rows.length, HEADER_SCAN_ROWS);
  const candidates = forcedRow !== undefined ? [forcedRow] : Array.from({ length: limit }, (_, i) => i);
  for (const r of candidates) {
    const top = rows[r];
    if (!top) continue;
    const single = buildMapping(top, undefined, fields);
    const next = rows[r + 1];
    const double = next ? buildMapping(top, next, fields) : undefined;
    let best: typeof single | undefined;
    if (single.score >= MIN_HEADER_MATCHES || forcedRow !== undefined) {
      best = double && double.score > single.score ? double : single;
    } else if (
      next &&
      double &&
      distinctTexts(top) >= 2 &&
      double.score >= MIN_HEADER_MATCHES &&
      double.score > buildMapping(next, undefined, fields).score
    ) {
      // a parent row of group labels only (基本信息 | 登记信息 …) over the real headers
      best = double;
    }
    if (best) {
      return {
        rowIndexes: best === single ? [r] : [r, r + 1],
        headers: best.headers,
        mapping: best.mapping,
      };
    }
  }
  return undefined;
}

/** Apply the user's override to a detected mapping; validates fields and column indexes. */
export function applyMappingOverride(
  detected: ColumnMapping,
  headers: readonly string[],
  override: MappingOverride | undefined,
  fields: readonly FieldDef[],
): Result<ColumnMapping, AppError> {
  if (!override) return ok(detected);
  const known = new Set(fields.map((f) => f.key));
  const result: Record<string, MappedColumn> = { ...detected.fields };
  for (const [field, column] of Object.entries(override)) {
    if (!known.has(field)) {
      return err(importError('IMPORT_MAPPING_INVALID', `未知字段 ${field}`, { field, known: [...known] }));
    }
    if (column === null) {
      delete result[field];
      continue;
    }
    if (!Number.isInteger(column) || column < 0 || column >= Math.max(headers.length, 1)) {
      return err(
        importError('IMPORT_MAPPING_INVALID', `列号 ${column} 超出范围`, {
          field,
          column,
          width: headers.length,
        }),
      );
    }
    result[field] = { column, header: headers[column] ?? '' };
  }
  const used = new Set(Object.values(result).map((m) => m.column));
  const unmapped: MappedColumn[] = [];
  headers.forEach((header, column) => {
    if (!used.has(column) && header !== '') unmapped.push({ column, header });
  });
  return ok({ fields: result, unmapped });
}

export function missingRequired(mapping: ColumnMapping, fields: readonly FieldDef[]): string[] {
  return fields.filter((f) => f.required && !(f.key in mapping.fields)).map((f) => f.key);
}
