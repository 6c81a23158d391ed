/**
 * Recusal declarations (回避, 行政处罚法 art. 43): an inspector declares a relation to an entity for
 * himself ('declared'); his department's admin confirms ('confirmed') or rejects it with a reason
 * ('rejected'). Only confirmed recusals bind the matching (draws.ts). An admin may also enter or
 * import recusals of his department's inspectors; those are confirmed at once (by him).
 *
 * Import from a spreadsheet — columns 执法证号 or 姓名, 统一社会信用代码 or 主体名称, 关系, 说明,
 * 申报日期 — as a dry run (stored in `imports`, kind 'recusals', with a coded verdict per row) and a
 * commit. The file is read with the importer's table reader; the rows are resolved here.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import { AppError, textProblem } from '@choucha/core';
import { auditEvents, entities, imports, inspectors, recusals, type Executor } from '@choucha/db';
import { isBlankRow, matchHeader, readTable, type FieldDef } from '@choucha/importer';
import {
  assertMayReadDepartmentRecord,
  assertMayWriteDepartment,
  authorize,
  mayWriteDepartment,
} from '../access.ts';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { visibleDepartmentIds } from '../directories.ts';
import { linkedInspectorId } from '../admin/users.ts';

export type RecusalStatus = 'declared' | 'confirmed' | 'rejected';

export interface RecusalView {
  id: number;
  inspectorId: number;
  inspectorName: string;
  departmentId: number;
  entityId: number;
  entityName: string;
  entityCode: string | null;
  relation: string;
  note: string | null;
  declaredOn: string;
  status: RecusalStatus;
  declaredBy: number | null;
  confirmedBy: number | null;
  confirmedAt: string | null;
  /** the admin's reason when rejected */
  rejectReason: string | null;
  importId: number | null;
}

async function selectRecusals(db: Executor, where: SQL | undefined): Promise<RecusalView[]> {
  const rows = await db
    .select({
      id: recusals.id,
      inspectorId: recusals.inspectorId,
      inspectorName: inspectors.name,
      departmentId: inspectors.departmentId,
      entityId: recusals.entityId,
      entityName: entities.name,
      uscc: entities.uscc,
      regNo: entities.regNo,
      relation: recusals.relation,
      note: recusals.note,
      declaredOn: recusals.declaredOn,
      status: recusals.status,
      declaredBy: recusals.declaredBy,
      confirmedBy: recusals.confirmedBy,
      confirmedAt: recusals.confirmedAt,
      importId: recusals.importId,
    })
    .from(recusals)
    .innerJoin(inspectors, eq(inspectors.id, recusals.inspectorId))
    .innerJoin(entities, eq(entities.id, recusals.entityId))
    .where(where)
    .orderBy(asc(recusals.id));
  const rejected = rows.filter((r) => r.status === 'rejected').map((r) => String(r.id));
  const reasons = new Map<string, string>();
  if (rejected.length) {
    const ev = await db
      .select({ subjectId: auditEvents.subjectId, after: auditEvents.after })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'recusal.reject'),
          eq(auditEvents.subjectType, 'recusal'),
          inArray(auditEvents.subjectId, rejected),
        ),
      )
      .orderBy(desc(auditEvents.seq));
    for (const e of ev) {
      const reason = (e.after as { reason?: unknown } | null)?.reason;
      if (e.subjectId && !reasons.has(e.subjectId) && typeof reason === 'string')
        reasons.set(e.subjectId, reason);
    }
  }
  return rows.map(({ uscc, regNo, ...r }) => ({
    ...r,
    entityCode: uscc ?? regNo,
    status: r.status as RecusalStatus,
    confirmedAt: r.confirmedAt?.toISOString() ?? null,
    rejectReason: reasons.get(String(r.id)) ?? null,
  }));
}

/** An inspector's recusals (all statuses), for his detail page. */
export async function recusalsOfInspector(db: Executor, inspectorId: number): Promise<RecusalView[]> {
  return selectRecusals(db, eq(recusals.inspectorId, inspectorId));
}

async function loadInspector(db: Executor, id: number) {
  const [ins] = await db.select().from(inspectors).where(eq(inspectors.id, id));
  if (!ins) throw new AppError('NOT_FOUND', undefined, { inspectorId: id });
  return ins;
}

async function assertEntity(db: Executor, id: number): Promise<void> {
  const [e] = await db.select({ id: entities.id }).from(entities).where(eq(entities.id, id));
  if (!e) throw new AppError('NOT_FOUND', undefined, { entityId: id });
}

async function assertNoDuplicate(db: Executor, inspectorId: number, entityId: number): Promise<void> {
  const [dup] = await db
    .select({ id: recusals.id })
    .from(recusals)
    .where(
      and(
        eq(recusals.inspectorId, inspectorId),
        eq(recusals.entityId, entityId),
        inArray(recusals.status, ['declared', 'confirmed']),
      ),
    );
  if (dup) throw new AppError('RECUSAL_DUPLICATE', undefined, { recusalId: dup.id });
}

export interface DeclareRecusalInput {
  entityId: number;
  relation: string;
  note?: string | null | undefined;
  declaredOn?: string | undefined;
}

const today = (svc: Services) => svc.clock().toISOString().slice(0, 10);

/** The acting inspector declares a recusal for himself (status 'declared'). */
export async function declareRecusal(svc: Services, actor: Actor, input: DeclareRecusalInput) {
  authorize(actor, 'directory.read');
  const db = svc.database.db;
  const inspectorId = await linkedInspectorId(db, actor);
  if (inspectorId === null) throw new AppError('USER_NOT_INSPECTOR');
  return inTransaction(svc, actor, async (tx, audit) => {
    const ins = await loadInspector(tx, inspectorId);
    await assertEntity(tx, input.entityId);
    await assertNoDuplicate(tx, inspectorId, input.entityId);
    const [row] = await tx
      .insert(recusals)
      .values({
        inspectorId,
        entityId: input.entityId,
        relation: input.relation.trim(),
        note: input.note?.trim() || null,
        declaredOn: input.declaredOn ?? today(svc),
        status: 'declared',
        declaredBy: actor.kind === 'user' ? actor.id : null,
      })
      .returning({ id: recusals.id });
    await audit({
      action: 'recusal.declare',
      subjectType: 'recusal',
      subjectId: row!.id,
      departmentId: ins.departmentId,
      after: { inspectorId, entityId: input.entityId, relation: input.relation.trim() },
    });
    return (await selectRecusals(tx, eq(recusals.id, row!.id)))[0]!;
  });
}

/** A department admin records a recusal of one of his inspectors (confirmed at once). */
export async function addRecusal(
  svc: Services,
  actor: Actor,
  input: DeclareRecusalInput & { inspectorId: number },
) {
  authorize(actor, 'directory.import');
  return inTransaction(svc, actor, async (tx, audit) => {
    const ins = await loadInspector(tx, input.inspectorId);
    assertMayWriteDepartment(actor, ins.departmentId);
    await assertEntity(tx, input.entityId);
    await assertNoDuplicate(tx, ins.id, input.entityId);
    const by = actor.kind === 'user' ? actor.id : null;
    const [row] = await tx
      .insert(recusals)
      .values({
        inspectorId: ins.id,
        entityId: input.entityId,
        relation: input.relation.trim(),
        note: input.note?.trim() || null,
        declaredOn: input.declaredOn ?? today(svc),
        status: 'confirmed',
        declaredBy: by,
        confirmedBy: by,
        confirmedAt: svc.clock(),
      })
      .returning({ id: recusals.id });
    await audit({
      action: 'recusal.add',
      subjectType: 'recusal',
      subjectId: row!.id,
      departmentId: ins.departmentId,
      after: { inspectorId: ins.id, entityId: input.entityId, relation: input.relation.trim() },
    });
    return (await selectRecusals(tx, eq(recusals.id, row!.id)))[0]!;
  });
}

/** The department admin (or the joint office) confirms or rejects a declaration. */
export async function decideRecusal(
  svc: Services,
  actor: Actor,
  recusalId: number,
  input: { decision: 'confirm' | 'reject'; reason?: string | undefined },
) {
  authorize(actor, 'directory.import');
  if (input.decision === 'reject' && !input.reason?.trim())
    throw new AppError('VALIDATION_FAILED', undefined, { field: 'reason' });
  return inTransaction(svc, actor, async (tx, audit) => {
    const [rec] = await tx.select().from(recusals).where(eq(recusals.id, recusalId)).for('update');
    if (!rec) throw new AppError('NOT_FOUND');
    const ins = await loadInspector(tx, rec.inspectorId);
    if (!mayWriteDepartment(actor, ins.departmentId)) throw new AppError('NOT_FOUND');
    if (rec.status !== 'declared') throw new AppError('RECUSAL_STATE', undefined, { status: rec.status });
    const status = input.decision === 'confirm' ? 'confirmed' : 'rejected';
    await tx
      .update(recusals)
      .set({ status, confirmedBy: actor.kind === 'user' ? actor.id : null, confirmedAt: svc.clock() })
      .where(eq(recusals.id, recusalId));
    await audit({
      action: input.decision === 'confirm' ? 'recusal.confirm' : 'recusal.reject',
      subjectType: 'recusal',
      subjectId: recusalId,
      departmentId: ins.departmentId,
      before: { status: rec.status },
      after: { status, ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}) },
    });
    return (await selectRecusals(tx, eq(recusals.id, recusalId)))[0]!;
  });
}

/** The acting inspector's own recusals (none for an account without an inspector record). */
export async function listMyRecusals(svc: Services, actor: Actor) {
  authorize(actor, 'directory.read');
  const inspectorId = await linkedInspectorId(svc.database.db, actor);
  if (inspectorId === null) return [];
  return selectRecusals(svc.database.db, eq(recusals.inspectorId, inspectorId));
}

/** Declarations awaiting a decision: a department admin's department's; the joint office's all. */
export async function listRecusals(
  svc: Services,
  actor: Actor,
  q: { status?: RecusalStatus | undefined; departmentId?: number | undefined } = {},
) {
  authorize(actor, 'directory.import');
  const where: SQL[] = [];
  if (actor.kind === 'user' && actor.role !== 'joint_admin')
    where.push(eq(inspectors.departmentId, actor.departmentId ?? -1));
  if (q.departmentId !== undefined) where.push(eq(inspectors.departmentId, q.departmentId));
  if (q.status !== undefined) where.push(eq(recusals.status, q.status));
  return selectRecusals(svc.database.db, where.length ? and(...where) : undefined);
}

// ---- import ----------------------------------------------------------------------------------

export const RECUSAL_FIELDS: readonly FieldDef[] = [
  {
    key: 'certNo',
    label: '执法证号',
    aliases: ['执法证号', '执法证件号', '执法证件号码', '执法证编号', '证件号', '证号'],
  },
  { key: 'name', label: '姓名', aliases: ['姓名', '执法人员', '执法人员姓名', '检查人员', '人员姓名'] },
  {
    key: 'uscc',
    label: '统一社会信用代码',
    aliases: ['统一社会信用代码', '信用代码', '社会信用代码', '注册号', '统一社会信用代码/注册号'],
  },
  {
    key: 'entityName',
    label: '主体名称',
    aliases: ['主体名称', '企业名称', '单位名称', '市场主体名称', '检查对象', '名称'],
  },
  { key: 'relation', label: '关系', aliases: ['关系', '回避关系', '关联关系', '利害关系', '回避事由'] },
  { key: 'note', label: '说明', aliases: ['说明', '备注', '情况说明'] },
  { key: 'declaredOn', label: '申报日期', aliases: ['申报日期', '声明日期', '日期', '填报日期'] },
];

/** Row reasons of the recusal import: a code, a severity, the Chinese and English texts. */
export const RECUSAL_ROW_REASONS = {
  RECUSAL_CELL_TEXT_INVALID: {
    severity: 'error',
    zh: '单元格含有空字符（U+0000）或孤立的 Unicode 代理项，不能保存',
    en: 'A cell holds a NUL character (U+0000) or a lone surrogate and cannot be stored',
  },
  RECUSAL_INSPECTOR_MISSING: {
    severity: 'error',
    zh: '缺少执法证号或姓名',
    en: 'No certificate number or name',
  },
  RECUSAL_INSPECTOR_UNKNOWN: {
    severity: 'error',
    zh: '可管理的执法人员名录中没有此人',
    en: 'No such inspector in the directory you manage',
  },
  RECUSAL_INSPECTOR_AMBIGUOUS: {
    severity: 'error',
    zh: '该姓名对应多名执法人员，请填写执法证号',
    en: 'Several inspectors have this name: give the certificate number',
  },
  RECUSAL_ENTITY_MISSING: {
    severity: 'error',
    zh: '缺少统一社会信用代码或主体名称',
    en: 'No USCC or entity name',
  },
  RECUSAL_ENTITY_UNKNOWN: {
    severity: 'error',
    zh: '主体名录中没有该主体',
    en: 'No such entity in the directory',
  },
  RECUSAL_ENTITY_AMBIGUOUS: {
    severity: 'error',
    zh: '该名称对应多个主体，请填写统一社会信用代码',
    en: 'Several entities have this name: give the USCC',
  },
  RECUSAL_RELATION_MISSING: { severity: 'error', zh: '缺少关系', en: 'No relation' },
  RECUSAL_DATE_INVALID: {
    severity: 'warning',
    zh: '申报日期无法识别，按导入当天记录',
    en: 'The declaration date is not recognised; the import day is used',
  },
  RECUSAL_EXISTS: {
    severity: 'info',
    zh: '已有该执法人员对该主体的回避声明，不重复导入',
    en: 'This recusal already exists; not imported again',
  },
} as const satisfies Record<string, { severity: 'error' | 'warning' | 'info'; zh: string; en: string }>;
export type RecusalReasonCode = keyof typeof RECUSAL_ROW_REASONS;

interface RecusalRecord {
  inspectorId: number;
  entityId: number;
  relation: string;
  note: string | null;
  declaredOn: string;
}

interface StoredRecusalRow {
  rowNumber: number;
  verdict: 'accepted' | 'warned' | 'rejected' | 'merged';
  reasons: { code: RecusalReasonCode; severity: string; message: string; field?: string; value?: string }[];
  key: string | null;
  name: string | null;
  record?: RecusalRecord;
}

const norm = (s: string | undefined) => (s ?? '').normalize('NFKC').trim();

/** YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, YYYYMMDD. */
export function parseDeclaredOn(s: string): string | null {
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s) ?? null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

export interface RecusalImportView {
  id: number;
  status: string;
  fileName: string;
  counts: {
    rows: number;
    accepted: number;
    warned: number;
    rejected: number;
    merged: number;
    created?: number;
  };
  /** which file column each field was read from (header text), and the columns not used */
  columns: Record<string, string>;
  unusedColumns: string[];
  rows: {
    rowNumber: number;
    verdict: 'accepted' | 'warning' | 'rejected' | 'merged';
    reasons: {
      code: string;
      severity: string;
      message: string;
      field?: string | undefined;
      value?: string | undefined;
    }[];
    key: string | null;
    name: string | null;
  }[];
}

function importView(imp: typeof imports.$inferSelect): RecusalImportView {
  const m = (imp.mapping ?? {}) as { columns?: Record<string, string>; unusedColumns?: string[] };
  const c = imp.counts as RecusalImportView['counts'];
  return {
    id: imp.id,
    status: imp.status,
    fileName: imp.fileName,
    counts: c,
    columns: m.columns ?? {},
    unusedColumns: m.unusedColumns ?? [],
    rows: (imp.report as StoredRecusalRow[]).map((r) => ({
      rowNumber: r.rowNumber,
      verdict: r.verdict === 'warned' ? 'warning' : r.verdict,
      reasons: r.reasons,
      key: r.key,
      name: r.name,
    })),
  };
}

/** Read the file, resolve every row against the directories the actor manages, store a dry run. */
export async function dryRunRecusalImport(
  svc: Services,
  actor: Actor,
  input: { fileName: string; data: Uint8Array },
): Promise<RecusalImportView> {
  authorize(actor, 'directory.import');
  const db = svc.database.db;
  // the table reader finds the header by the inspector fields (姓名, 执法证号); else row 1
  let t = await readTable(input.data, { kind: 'inspectors', fileName: input.fileName });
  if (!t.ok && t.error.code === 'IMPORT_NO_HEADER')
    t = await readTable(input.data, { kind: 'inspectors', fileName: input.fileName, headerRow: 1 });
  if (!t.ok) throw t.error;
  const table = t.value;
  const col: Record<string, number> = {};
  const columns: Record<string, string> = {};
  const unusedColumns: string[] = [];
  table.headers.forEach((h, i) => {
    const f = matchHeader(h, RECUSAL_FIELDS);
    if (f && col[f] === undefined) {
      col[f] = i;
      columns[f] = h;
    } else if (h.trim()) unusedColumns.push(h);
  });
  if (
    (col.certNo === undefined && col.name === undefined) ||
    (col.uscc === undefined && col.entityName === undefined) ||
    col.relation === undefined
  )
    throw new AppError('IMPORT_NO_HEADER', undefined, {
      expected: RECUSAL_FIELDS.map((f) => f.label),
      headers: table.headers,
    });
  // the inspectors the actor may write
  const visible = await visibleDepartmentIds(db, actor);
  const pool = (
    await db
      .select({
        id: inspectors.id,
        name: inspectors.name,
        certNo: inspectors.certNo,
        departmentId: inspectors.departmentId,
      })
      .from(inspectors)
      .where(
        visible === undefined ? undefined : inArray(inspectors.departmentId, visible.length ? visible : [-1]),
      )
  ).filter((i) => mayWriteDepartment(actor, i.departmentId));
  const byCert = new Map<string, typeof pool>();
  const byName = new Map<string, typeof pool>();
  for (const i of pool) {
    if (i.certNo)
      byCert.set(norm(i.certNo).toUpperCase(), [...(byCert.get(norm(i.certNo).toUpperCase()) ?? []), i]);
    byName.set(norm(i.name), [...(byName.get(norm(i.name)) ?? []), i]);
  }
  const cell = (cells: readonly string[], f: string) => (col[f] === undefined ? '' : norm(cells[col[f]!]));
  // the text rule of every upload (issue 7): a cell with a NUL or a lone surrogate is blanked here,
  // before any lookup, and its row refused (RECUSAL_CELL_TEXT_INVALID naming the column)
  const raw: { rowNumber: number; cells: readonly string[]; badFields: string[] }[] = [];
  for await (const r of table.rows) {
    if (isBlankRow(r)) continue;
    const badFields = Object.keys(col).filter((f) => textProblem(r.cells[col[f]!] ?? ''));
    const cells = badFields.length ? r.cells.map((c) => (textProblem(c) ? '' : c)) : r.cells;
    raw.push({ rowNumber: r.rowNumber, cells, badFields });
  }
  // entities named by the file, looked up in two queries
  const codes = [...new Set(raw.map((r) => cell(r.cells, 'uscc').toUpperCase()).filter(Boolean))];
  const names = [...new Set(raw.map((r) => cell(r.cells, 'entityName')).filter(Boolean))];
  const ents = [
    ...(codes.length
      ? await db
          .select({
            id: entities.id,
            uscc: entities.uscc,
            regNo: entities.regNo,
            name: entities.name,
            merged: entities.mergedIntoId,
          })
          .from(entities)
          .where(or(inArray(entities.uscc, codes), inArray(entities.regNo, codes)))
      : []),
    ...(names.length
      ? await db
          .select({
            id: entities.id,
            uscc: entities.uscc,
            regNo: entities.regNo,
            name: entities.name,
            merged: entities.mergedIntoId,
          })
          .from(entities)
          .where(inArray(entities.name, names))
      : []),
  ].filter((e) => e.merged === null);
  const existing = new Set(
    (
      await db
        .select({ i: recusals.inspectorId, e: recusals.entityId })
        .from(recusals)
        .where(
          and(
            inArray(recusals.inspectorId, pool.length ? pool.map((p) => p.id) : [-1]),
            inArray(recusals.status, ['declared', 'confirmed']),
          ),
        )
    ).map((x) => `${x.i}:${x.e}`),
  );
  const day = today(svc);
  const rows: StoredRecusalRow[] = [];
  const counts = { rows: raw.length, accepted: 0, warned: 0, rejected: 0, merged: 0 };
  for (const r of raw) {
    const reasons: StoredRecusalRow['reasons'] = [];
    const reason = (code: RecusalReasonCode, field?: string, value?: string) =>
      reasons.push({
        code,
        severity: RECUSAL_ROW_REASONS[code].severity,
        message: RECUSAL_ROW_REASONS[code].zh,
        ...(field ? { field } : {}),
        ...(value ? { value } : {}),
      });
    for (const f of r.badFields) reason('RECUSAL_CELL_TEXT_INVALID', f);
    const certNo = cell(r.cells, 'certNo');
    const pname = cell(r.cells, 'name');
    let inspector: (typeof pool)[number] | undefined;
    if (!certNo && !pname) reason('RECUSAL_INSPECTOR_MISSING', 'certNo');
    else {
      const found = certNo ? (byCert.get(certNo.toUpperCase()) ?? []) : (byName.get(pname) ?? []);
      if (found.length === 1) inspector = found[0];
      else if (found.length > 1) reason('RECUSAL_INSPECTOR_AMBIGUOUS', 'name', pname);
      else reason('RECUSAL_INSPECTOR_UNKNOWN', certNo ? 'certNo' : 'name', certNo || pname);
    }
    const code = cell(r.cells, 'uscc').toUpperCase();
    const ename = cell(r.cells, 'entityName');
    let entityId: number | undefined;
    if (!code && !ename) reason('RECUSAL_ENTITY_MISSING', 'uscc');
    else {
      const found = [
        ...new Set(
          (code
            ? ents.filter((e) => e.uscc === code || e.regNo === code)
            : ents.filter((e) => e.name === ename)
          ).map((e) => e.id),
        ),
      ];
      if (found.length === 1) entityId = found[0];
      else if (found.length > 1) reason('RECUSAL_ENTITY_AMBIGUOUS', 'entityName', ename);
      else reason('RECUSAL_ENTITY_UNKNOWN', code ? 'uscc' : 'entityName', code || ename);
    }
    const relation = cell(r.cells, 'relation');
    if (!relation) reason('RECUSAL_RELATION_MISSING', 'relation');
    const dateText = cell(r.cells, 'declaredOn');
    let declaredOn = day;
    if (dateText) {
      const d = parseDeclaredOn(dateText.slice(0, 10).length === 10 ? dateText.slice(0, 10) : dateText);
      if (d) declaredOn = d;
      else reason('RECUSAL_DATE_INVALID', 'declaredOn', dateText);
    }
    const row: StoredRecusalRow = {
      rowNumber: r.rowNumber,
      verdict: 'accepted',
      reasons,
      key: certNo || pname || null,
      name: ename || code || null,
    };
    if (reasons.some((x) => x.severity === 'error')) {
      row.verdict = 'rejected';
      counts.rejected++;
    } else if (existing.has(`${inspector!.id}:${entityId!}`)) {
      reason('RECUSAL_EXISTS');
      row.verdict = 'merged';
      counts.merged++;
    } else {
      existing.add(`${inspector!.id}:${entityId!}`);
      row.verdict = reasons.length ? 'warned' : 'accepted';
      if (reasons.length) counts.warned++;
      else counts.accepted++;
      row.record = {
        inspectorId: inspector!.id,
        entityId: entityId!,
        relation,
        note: cell(r.cells, 'note') || null,
        declaredOn,
      };
    }
    rows.push(row);
  }
  const [imp] = await db
    .insert(imports)
    .values({
      kind: 'recusals',
      fileName: input.fileName,
      fileSha256: createHash('sha256').update(input.data).digest('hex'),
      status: 'dry_run',
      mapping: { columns, unusedColumns },
      counts,
      report: rows,
      departmentId: actor.kind === 'user' ? actor.departmentId : null,
      createdBy: actor.kind === 'user' ? actor.id : null,
      createdAt: svc.clock(),
    })
    .returning();
  return importView(imp!);
}

export async function getRecusalImport(svc: Services, actor: Actor, importId: number) {
  authorize(actor, 'directory.import');
  const [imp] = await svc.database.db
    .select()
    .from(imports)
    .where(and(eq(imports.id, importId), eq(imports.kind, 'recusals')));
  if (!imp) throw new AppError('IMPORT_NOT_FOUND');
  assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
  return importView(imp);
}

/** Insert the dry run's accepted rows as confirmed recusals (by the committing admin). */
export async function commitRecusalImport(svc: Services, actor: Actor, importId: number) {
  authorize(actor, 'directory.import');
  return inTransaction(svc, actor, async (tx, audit) => {
    const [imp] = await tx
      .select()
      .from(imports)
      .where(and(eq(imports.id, importId), eq(imports.kind, 'recusals')))
      .for('update');
    if (!imp) throw new AppError('IMPORT_NOT_FOUND');
    assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
    if (imp.status !== 'dry_run') throw new AppError('IMPORT_ALREADY_COMMITTED');
    const rows = imp.report as StoredRecusalRow[];
    const by = actor.kind === 'user' ? actor.id : null;
    let created = 0;
    const depts = new Set<number>();
    for (const r of rows) {
      if (!r.record) continue;
      const ins = await loadInspector(tx, r.record.inspectorId);
      // the committing actor's rights decide; rows that became duplicates meanwhile are skipped
      assertMayWriteDepartment(actor, ins.departmentId);
      const [dup] = await tx
        .select({ id: recusals.id })
        .from(recusals)
        .where(
          and(
            eq(recusals.inspectorId, r.record.inspectorId),
            eq(recusals.entityId, r.record.entityId),
            inArray(recusals.status, ['declared', 'confirmed']),
          ),
        );
      if (dup) continue;
      await tx.insert(recusals).values({
        ...r.record,
        status: 'confirmed',
        declaredBy: by,
        confirmedBy: by,
        confirmedAt: svc.clock(),
        importId,
      });
      created++;
      depts.add(ins.departmentId);
    }
    const counts = { ...(imp.counts as RecusalImportView['counts']), created };
    const [done] = await tx
      .update(imports)
      .set({ status: 'committed', committedAt: svc.clock(), counts })
      .where(eq(imports.id, importId))
      .returning();
    await audit({
      action: 'import.commit',
      subjectType: 'import',
      subjectId: importId,
      departmentId: imp.departmentId,
      after: { kind: 'recusals', created, departments: [...depts] },
    });
    return importView(done!);
  });
}
