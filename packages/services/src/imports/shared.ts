/** Shared pieces of the import: types, reading a file into per-row verdicts, the stored mapping. */
import { AppError } from '@choucha/core';
import {
  FIELDS_BY_KIND,
  importError,
  isBlankRow,
  readTable,
  RowProcessor,
  tableTextError,
  SPECS,
  verdictOf,
  type ColumnMapping,
  type ImportCounts,
  type MappingOverride,
  type RowReason as ImporterReason,
  type RowReport as ImporterRowReport,
} from '@choucha/importer';
import type { Services } from '../context.ts';
import type { DepartmentNamesReport } from './department-map.ts';

export type ImportKindName = 'entities' | 'inspectors' | 'items' | 'joint_items';
export const IMPORT_KINDS: readonly ImportKindName[] = ['entities', 'inspectors', 'items', 'joint_items'];

/** Reports of every row are kept up to this many data rows; beyond it only the problem rows. */
export const REPORT_ALL_ROWS = 10_000;
/** At most this many problem rows are stored for a huge file (the counts stay exact). */
export const REPORT_MAX_PROBLEM_ROWS = 20_000;

export interface StoredReason {
  code: string;
  severity: 'error' | 'warning' | 'info';
  field?: string;
  header?: string;
  value?: string;
  /** Chinese, specific to the row */
  message: string;
}

/** One row of the stored report (jsonb). */
export interface StoredRow {
  rowNumber: number;
  verdict: 'accepted' | 'warned' | 'rejected' | 'merged';
  reasons: StoredReason[];
  key: string | null;
  name: string | null;
  mergedInto?: number;
  /** the few key fields the xlsx report shows */
  record?: Record<string, unknown>;
}

/** The API's row shape (verdict 'warning' for the importer's 'warned', kept for the web UI). */
export interface RowReport {
  rowNumber: number;
  verdict: 'accepted' | 'warning' | 'rejected' | 'merged';
  reasons: {
    code: string;
    severity: string;
    field?: string;
    header?: string;
    value?: string;
    message: string;
  }[];
  key: string | null;
  name: string | null;
  mergedInto?: number;
}

export interface StoredCounts extends ImportCounts {
  created?: number;
  updated?: number;
  unchanged?: number;
  editions?: number;
}

export interface ImportRequest {
  kind: ImportKindName;
  fileName: string;
  /** The file's bytes (uploads), or … */
  data?: Buffer | undefined;
  /** … a path to stream from (CLI, benchmarks: a CSV is never read whole). */
  path?: string | undefined;
  sheet?: string | number | undefined;
  mapping?: MappingOverride | undefined;
  /**
   * Department names of the file the directory does not know → the local department(s), or
   * 'skip' (department-map.ts). Applied to items, joint items and inspectors.
   */
  departmentMap?: Readonly<Record<string, readonly number[] | 'skip'>> | undefined;
  /** internal: the department of rows that name none, as decided at the dry run (null: none) */
  fallbackDepartmentId?: number | null | undefined;
  /** The department the rows belong to when the file does not say (default: the actor's). */
  departmentId?: number | undefined;
  /** items / joint items: the new edition's name (default `<year>版`). */
  editionName?: string | undefined;
  onProgress?: ((rowsDone: number, total: number | null) => void) | undefined;
}

export interface FileMeta {
  fileType: string;
  encoding: string | null;
  sheets: readonly string[];
  sheet: string | null;
  notices: readonly string[];
  headerRowNumbers: readonly number[];
  headers: readonly string[];
  mapping: ColumnMapping;
}

export interface Processed<R> {
  meta: FileMeta;
  counts: ImportCounts;
  rows: StoredRow[];
  scope: 'all' | 'problems' | 'problems_truncated';
  /** accepted and warned records, in row order (not kept for entities: they stream to the sink) */
  records: { rowNumber: number; record: R; ref: Record<string, number | number[] | null> }[];
  /** rows per reason code, over the whole file (the stored rows of a big file are a subset) */
  reasonCounts: Record<string, number>;
  /** department names of the file: resolved, mapped by the user, unresolved (department-map.ts) */
  departmentNames?: DepartmentNamesReport;
}

export type Resolver<R> = (
  record: R,
  reasons: ImporterReason[],
  meta: FileMeta,
  rowNumber: number,
) => Record<string, number | number[] | null>;

export function header(meta: { mapping: ColumnMapping }, field: string, fallback: string): string {
  return meta.mapping.fields[field]?.header ?? fallback;
}

// ---------------------------------------------------------------------------------------------
// reading a file into verdicts

function keyRecord(
  kind: ImportKindName,
  r: Record<string, unknown> | null,
): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const pick = (...ks: string[]) => Object.fromEntries(ks.map((k) => [k, r[k] ?? null]));
  switch (kind) {
    case 'entities':
      return pick('name', 'uscc', 'regNo', 'rawCode', 'codeStatus');
    case 'inspectors':
      return pick('name', 'certNo', 'departmentName');
    case 'items':
      return pick('departmentName', 'category', 'name');
    case 'joint_items':
      return pick('domain', 'name', 'leadDepartmentName');
  }
}

function nameOf(kind: ImportKindName, r: Record<string, unknown> | null): string | null {
  if (!r) return null;
  const v = r['name'];
  return typeof v === 'string' ? v : null;
}

function storedReason(r: ImporterReason): StoredReason {
  return {
    code: r.code,
    severity: r.severity,
    ...(r.field !== undefined ? { field: r.field } : {}),
    ...(r.header !== undefined ? { header: r.header } : {}),
    ...(r.value !== undefined ? { value: r.value } : {}),
    message: r.zh,
  };
}

export async function processFile<R>(
  svc: Services,
  req: ImportRequest,
  opts: {
    resolve?: Resolver<R>;
    /** receives accepted/warned records as they come (entities); otherwise they are collected */
    sink?: (rowNumber: number, record: R, reasons: readonly ImporterReason[]) => Promise<void> | void;
    /** multi-valued department cells: keep a value containing a separator when this knows it whole */
    keepWhole?: (s: string) => boolean;
  },
): Promise<Processed<R>> {
  const input = req.data ?? req.path;
  if (input === undefined) throw new AppError('IMPORT_FILE_EMPTY', 'No file was given');
  const t = await readTable(input, {
    kind: req.kind,
    fileName: req.fileName,
    ...(req.sheet !== undefined ? { sheet: req.sheet } : {}),
    ...(req.mapping !== undefined ? { mapping: req.mapping } : {}),
  });
  if (!t.ok) throw t.error;
  const table = t.value;
  const textError = tableTextError(table);
  if (textError) throw textError;
  if (table.missingRequired.length) {
    throw importError('IMPORT_MAPPING_INVALID', `缺少必需列：${table.missingRequired.join('、')}`, {
      missing: table.missingRequired,
      headers: table.headers,
      mapping: table.mapping,
      // for the wizard's column mapping editor
      fields: FIELDS_BY_KIND[req.kind].map((f) => ({
        key: f.key,
        label: f.label,
        required: f.required === true,
      })),
    });
  }
  const meta: FileMeta = {
    fileType: table.fileType,
    encoding: table.encoding,
    sheets: table.sheets,
    sheet: table.sheet,
    notices: table.notices,
    headerRowNumbers: table.headerRowNumbers,
    headers: table.headers,
    mapping: table.mapping,
  };
  const spec = SPECS[req.kind] as unknown as ConstructorParameters<typeof RowProcessor<R>>[0];
  const validateOptions = {
    today: svc.clock().toISOString().slice(0, 10),
    ...(opts.keepWhole ? { keepWhole: opts.keepWhole } : {}),
  };
  const processor = new RowProcessor<R>(spec, table.mapping, validateOptions);
  const counts: ImportCounts = { rows: 0, accepted: 0, warned: 0, rejected: 0, merged: 0, blank: 0 };
  const out: Processed<R> = { meta, counts, rows: [], scope: 'all', records: [], reasonCounts: {} };
  let problems = 0;
  const handle = async (reports: ImporterRowReport<R>[]) => {
    for (const r of reports) {
      let verdict = r.verdict;
      let record = r.record;
      let ref: Record<string, number | number[] | null> = {};
      if (record !== null && verdict !== 'rejected' && verdict !== 'merged' && opts.resolve) {
        ref = opts.resolve(record, r.reasons, meta, r.rowNumber);
        verdict = verdictOf(r.reasons);
        if (verdict === 'rejected') record = null;
      }
      counts[verdict]++;
      for (const code of new Set(r.reasons.map((x) => x.code)))
        out.reasonCounts[code] = (out.reasonCounts[code] ?? 0) + 1;
      // the stored report: every row of a small file, the problem rows of a big one
      if (out.scope === 'all' && counts.rows > REPORT_ALL_ROWS) {
        out.rows = out.rows.filter((x) => x.verdict !== 'accepted');
        problems = out.rows.length;
        out.scope = 'problems';
      }
      const keep = out.scope === 'all' || (verdict !== 'accepted' && problems < REPORT_MAX_PROBLEM_ROWS);
      if (out.scope !== 'all' && verdict !== 'accepted' && problems >= REPORT_MAX_PROBLEM_ROWS)
        out.scope = 'problems_truncated';
      if (keep) {
        if (verdict !== 'accepted') problems++;
        const rec = (record ?? r.record) as Record<string, unknown> | null;
        const row: StoredRow = {
          rowNumber: r.rowNumber,
          verdict,
          reasons: r.reasons.map(storedReason),
          key: r.key,
          name: nameOf(req.kind, rec),
        };
        if (r.mergedInto !== undefined) row.mergedInto = r.mergedInto;
        const kr = keyRecord(req.kind, rec);
        if (kr) row.record = kr;
        out.rows.push(row);
      }
      if (record !== null && (verdict === 'accepted' || verdict === 'warned')) {
        if (opts.sink) await opts.sink(r.rowNumber, record, r.reasons);
        else out.records.push({ rowNumber: r.rowNumber, record, ref });
      }
    }
  };
  for await (const row of table.rows) {
    if (isBlankRow(row)) {
      counts.blank++;
      continue;
    }
    counts.rows++;
    await handle(processor.push(row));
    if (req.onProgress && counts.rows % 10_000 === 0) req.onProgress(counts.rows, table.totalRows);
  }
  await handle(processor.finish());
  req.onProgress?.(counts.rows, table.totalRows);
  return out;
}

/** What is stored in imports.mapping (jsonb): the file's columns, the user's choices, the department names. */
export function storedMapping(
  p: Processed<unknown>,
  req: Pick<ImportRequest, 'mapping' | 'departmentMap' | 'fallbackDepartmentId'>,
) {
  const meta = p.meta;
  return {
    fields: Object.fromEntries(Object.entries(meta.mapping.fields).map(([k, v]) => [k, v])),
    unmapped: meta.mapping.unmapped,
    headerRowNumbers: meta.headerRowNumbers,
    headers: meta.headers,
    notices: meta.notices,
    sheets: meta.sheets,
    fileType: meta.fileType,
    encoding: meta.encoding,
    /** the user's column override (re-applied by the commit) */
    override: req.mapping ?? null,
    /** the user's department mapping (re-applied by the commit unless it brings its own) */
    departmentMap: req.departmentMap ?? null,
    departmentNames: p.departmentNames ?? null,
    /** the department of rows naming none (decided at the dry run, kept for the commit) */
    fallbackDepartmentId: req.fallbackDepartmentId ?? null,
    reasonCounts: p.reasonCounts,
  };
}

export const timingStart = { t: 0 };
export function timing(what: string) {
  if (process.env.CHOUCHA_IMPORT_TIMING)
    process.stderr.write(`  [import] ${what} ${Date.now() - timingStart.t} ms\n`);
}
