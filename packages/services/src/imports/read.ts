/** Reading imports: one import with its report, the list, the report as .xlsx. */
import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { imports } from '@choucha/db';
import { FIELDS_BY_KIND, writeReportXlsx, type ImportKind, type ImportReport } from '@choucha/importer';
import { assertMayReadDepartmentRecord, authorize, departmentRecordCondition } from '../access.ts';
import type { Actor, Services } from '../context.ts';
import type { DepartmentNamesReport } from './department-map.ts';
import {
  REPORT_ALL_ROWS,
  REPORT_MAX_PROBLEM_ROWS,
  type RowReport,
  type StoredCounts,
  type StoredRow,
  type storedMapping,
} from './shared.ts';

function apiRow(r: StoredRow): RowReport {
  return {
    rowNumber: r.rowNumber,
    verdict: r.verdict === 'warned' ? 'warning' : r.verdict,
    reasons: (r.reasons ?? []).map((x) => ({
      code: x.code,
      severity: x.severity ?? 'warning',
      message: x.message,
      ...(x.field !== undefined ? { field: x.field } : {}),
      ...(x.header !== undefined ? { header: x.header } : {}),
      ...(x.value !== undefined ? { value: x.value } : {}),
    })),
    key: r.key,
    name: r.name,
    ...(r.mergedInto !== undefined ? { mergedInto: r.mergedInto } : {}),
  };
}

function countsView(c: unknown) {
  const x = (c ?? {}) as Partial<StoredCounts>;
  return {
    rows: x.rows ?? 0,
    accepted: x.accepted ?? 0,
    warned: x.warned ?? 0,
    rejected: x.rejected ?? 0,
    merged: x.merged ?? 0,
    blank: x.blank ?? 0,
    ...(x.created !== undefined ? { created: x.created } : {}),
    ...(x.updated !== undefined ? { updated: x.updated } : {}),
    ...(x.unchanged !== undefined ? { unchanged: x.unchanged } : {}),
    ...(x.editions !== undefined ? { editions: x.editions } : {}),
  };
}

const SCOPE_NOTE = {
  all: null,
  problems: `文件超过 ${REPORT_ALL_ROWS} 行：报告只列出有警告、被拒绝或被合并的行（计数为全部行）`,
  problems_truncated: `文件超过 ${REPORT_ALL_ROWS} 行：报告只列出前 ${REPORT_MAX_PROBLEM_ROWS} 个有问题的行（计数为全部行）`,
} as const;

type StoredMapping = Partial<ReturnType<typeof storedMapping>>;

/**
 * The columns of the file for the mapping editor: every field of the kind with the column it
 * reads (or null), the file's headers, and the columns nothing reads.
 */
export function columnsView(kind: string, m: StoredMapping) {
  const defs = FIELDS_BY_KIND[kind as ImportKind] ?? [];
  const mapped = (m.fields ?? {}) as Record<string, { column: number; header: string } | undefined>;
  return {
    headers: [...(m.headers ?? [])],
    fields: defs.map((f) => ({
      key: f.key,
      label: f.label,
      required: f.required === true,
      column: mapped[f.key]?.column ?? null,
      header: mapped[f.key]?.header ?? null,
    })),
    unused: (m.unmapped ?? []).map((u) => ({ column: u.column, header: u.header })),
    override: m.override ? { ...m.override } : null,
  };
}

function reasonCountsOf(m: StoredMapping, rows: StoredRow[]): Record<string, number> {
  if (m.reasonCounts) return m.reasonCounts;
  const out: Record<string, number> = {};
  for (const r of rows)
    for (const c of new Set((r.reasons ?? []).map((x) => x.code))) out[c] = (out[c] ?? 0) + 1;
  return out;
}

export async function getImport(svc: Services, actor: Actor, importId: number) {
  authorize(actor, 'directory.import');
  const [imp] = await svc.database.db.select().from(imports).where(eq(imports.id, importId));
  if (!imp) throw new AppError('IMPORT_NOT_FOUND');
  assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
  const scope = (imp.reportScope ?? 'all') as keyof typeof SCOPE_NOTE;
  const m = (imp.mapping ?? {}) as StoredMapping;
  const stored = (imp.report ?? []) as StoredRow[];
  return {
    id: imp.id,
    kind: imp.kind,
    fileName: imp.fileName,
    fileSha256: imp.fileSha256,
    status: imp.status,
    sheet: imp.sheet,
    counts: countsView(imp.counts),
    createdAt: imp.createdAt.toISOString(),
    committedAt: imp.committedAt?.toISOString() ?? null,
    mapping: (imp.mapping ?? null) as Record<string, unknown> | null,
    reportScope: scope,
    reportNote: SCOPE_NOTE[scope],
    columns: columnsView(imp.kind, m),
    departmentNames: (m.departmentNames ?? null) as DepartmentNamesReport | null,
    departmentMap: (m.departmentMap ?? null) as Record<string, number[] | 'skip'> | null,
    reasonCounts: reasonCountsOf(m, stored),
    rows: stored.map(apiRow),
  };
}

export async function listImports(svc: Services, actor: Actor, q: { kind?: string | undefined } = {}) {
  authorize(actor, 'directory.import');
  const rows = await svc.database.db
    .select({
      id: imports.id,
      kind: imports.kind,
      fileName: imports.fileName,
      status: imports.status,
      counts: imports.counts,
      reportScope: imports.reportScope,
      createdAt: imports.createdAt,
      committedAt: imports.committedAt,
    })
    .from(imports)
    .where(
      and(
        q.kind ? eq(imports.kind, q.kind) : undefined,
        departmentRecordCondition(actor, imports.departmentId, imports.createdBy),
      ),
    )
    .orderBy(desc(imports.id))
    .limit(200);
  return rows.map((r) => ({
    ...r,
    counts: countsView(r.counts),
    createdAt: r.createdAt.toISOString(),
    committedAt: r.committedAt?.toISOString() ?? null,
  }));
}

/** The stored report as .xlsx (导入结果 + 汇总), via the importer's writer. */
export async function importReportXlsx(svc: Services, actor: Actor, importId: number): Promise<Buffer> {
  authorize(actor, 'directory.import');
  const [imp] = await svc.database.db.select().from(imports).where(eq(imports.id, importId));
  if (!imp) throw new AppError('IMPORT_NOT_FOUND');
  assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
  const m = (imp.mapping ?? {}) as StoredMapping;
  const scope = (imp.reportScope ?? 'all') as keyof typeof SCOPE_NOTE;
  const report = {
    kind: imp.kind,
    fileName: imp.fileName,
    fileType: m.fileType ?? 'csv',
    encoding: m.encoding ?? null,
    sheets: m.sheets ?? [],
    sheet: imp.sheet,
    notices: [...(m.notices ?? []), ...(SCOPE_NOTE[scope] ? [SCOPE_NOTE[scope]] : [])],
    headerRowNumbers: m.headerRowNumbers ?? [],
    headers: m.headers ?? [],
    detectedMapping: { fields: m.fields ?? {}, unmapped: m.unmapped ?? [] },
    mapping: { fields: m.fields ?? {}, unmapped: m.unmapped ?? [] },
    counts: countsView(imp.counts),
    rows: ((imp.report ?? []) as StoredRow[]).map((r) => ({
      rowNumber: r.rowNumber,
      verdict: (r.verdict as string) === 'warning' ? 'warned' : r.verdict,
      reasons: (r.reasons ?? []).map((x) => ({ ...x, zh: x.message })),
      record: r.record ?? (r.name ? { name: r.name } : null),
      key: r.key,
    })),
  } as unknown as ImportReport;
  return writeReportXlsx(report);
}
