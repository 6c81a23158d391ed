import { err, isAppError, ok } from '@choucha/core';
import type { AppError, Result } from '@choucha/core';
import type { TextEncoding } from './encoding.ts';
import { importError } from './errors.ts';
import type { ImportKind } from './fields.ts';
import type { FileType } from './filetype.ts';
import type { ColumnMapping } from './header.ts';
import { RowProcessor } from './processor.ts';
import type { RowReport } from './processor.ts';
import { isBlankRow } from './row.ts';
import { readTable } from './table.ts';
import { tableTextError } from './text-check.ts';
import type { ImportInput, ReadTableOptions } from './table.ts';
import { ENTITY_SPEC, INSPECTOR_SPEC, ITEM_SPEC, JOINT_ITEM_SPEC } from './validate.ts';
import type {
  EntityRecord,
  InspectorRecord,
  ItemRecord,
  JointItemRecord,
  KindSpec,
  ValidateOptions,
} from './validate.ts';

export interface RecordOf {
  entities: EntityRecord;
  inspectors: InspectorRecord;
  items: ItemRecord;
  joint_items: JointItemRecord;
}

export const SPECS: { readonly [K in ImportKind]: KindSpec<RecordOf[K]> } = {
  entities: ENTITY_SPEC,
  inspectors: INSPECTOR_SPEC,
  items: ITEM_SPEC,
  joint_items: JOINT_ITEM_SPEC,
};

/**
 * rows = accepted + warned + rejected + merged, always (tested). `rows` counts the non-blank rows
 * below the header; blank rows are counted apart (`blank`) and get no report row. A continuation
 * row (a second 检查依据 …) is `merged`: its content is in the item it continues.
 */
export interface ImportCounts {
  rows: number;
  accepted: number;
  warned: number;
  rejected: number;
  merged: number;
  blank: number;
}

export interface ImportReport<K extends ImportKind = ImportKind> {
  readonly kind: K;
  readonly fileName: string | null;
  readonly fileType: FileType;
  readonly encoding: TextEncoding | null;
  readonly sheets: readonly string[];
  readonly sheet: string | null;
  readonly notices: readonly string[];
  readonly headerRowNumbers: readonly number[];
  readonly headers: readonly string[];
  readonly detectedMapping: ColumnMapping;
  readonly mapping: ColumnMapping;
  readonly counts: ImportCounts;
  /** One report per data row, in row order (subject to `keepRows`). */
  readonly rows: RowReport<RecordOf[K]>[];
}

export interface ImportOptions<K extends ImportKind> extends ReadTableOptions, ValidateOptions {
  readonly kind: K;
  /** Called every 1,000 rows and at the end; `total` is known for workbooks, null for CSV. */
  readonly onProgress?: (rowsDone: number, total: number | null) => void;
  /** Every row report, as soon as it is final (for streaming consumers). */
  readonly onRow?: (row: RowReport<RecordOf[K]>) => void;
  /**
   * Which reports to keep in the result: all (default), problems (warned, rejected, merged: a
   * million-row import then stays small), or none (use onRow).
   */
  readonly keepRows?: 'all' | 'problems' | 'none';
}

/** Read, map and validate a whole file: one verdict per data row. */
export async function importFile<K extends ImportKind>(
  input: ImportInput,
  opts: ImportOptions<K>,
): Promise<Result<ImportReport<K>, AppError>> {
  const t = await readTable(input, opts);
  if (!t.ok) return t;
  const table = t.value;
  const textError = tableTextError(table);
  if (textError) return err(textError);
  if (table.missingRequired.length) {
    return err(
      importError('IMPORT_MAPPING_INVALID', `缺少必需列：${table.missingRequired.join('、')}`, {
        missing: table.missingRequired,
        headers: table.headers,
        mapping: table.mapping,
      }),
    );
  }
  const spec = SPECS[opts.kind] as KindSpec<RecordOf[K]>;
  const processor = new RowProcessor(spec, table.mapping, {
    ...(opts.regionCode !== undefined ? { regionCode: opts.regionCode } : {}),
    ...(opts.today !== undefined ? { today: opts.today } : {}),
    ...(opts.keepWhole !== undefined ? { keepWhole: opts.keepWhole } : {}),
  });
  const counts: ImportCounts = { rows: 0, accepted: 0, warned: 0, rejected: 0, merged: 0, blank: 0 };
  const keep = opts.keepRows ?? 'all';
  const rows: RowReport<RecordOf[K]>[] = [];
  const emit = (reports: RowReport<RecordOf[K]>[]): void => {
    for (const r of reports) {
      counts[r.verdict]++;
      if (keep === 'all' || (keep === 'problems' && r.verdict !== 'accepted')) rows.push(r);
      opts.onRow?.(r);
    }
  };
  try {
    for await (const row of table.rows) {
      if (isBlankRow(row)) {
        counts.blank++;
        continue;
      }
      counts.rows++;
      emit(processor.push(row));
      if (opts.onProgress && counts.rows % 1000 === 0) opts.onProgress(counts.rows, table.totalRows);
    }
    emit(processor.finish());
  } catch (e) {
    if (isAppError(e)) return err(e);
    throw e;
  }
  opts.onProgress?.(counts.rows, table.totalRows);
  return ok({
    kind: opts.kind,
    fileName: opts.fileName ?? (typeof input === 'string' ? input : null),
    fileType: table.fileType,
    encoding: table.encoding,
    sheets: table.sheets,
    sheet: table.sheet,
    notices: table.notices,
    headerRowNumbers: table.headerRowNumbers,
    headers: table.headers,
    detectedMapping: table.detectedMapping,
    mapping: table.mapping,
    counts,
    rows,
  });
}
