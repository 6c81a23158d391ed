/**
 * Entity import: a dry run first (per-row verdicts, nothing written but the report), then a
 * commit in one transaction. Re-importing the same file updates rather than duplicates.
 * Interim parser for UTF-8 CSV; the full spreadsheet reader lives in @choucha/importer.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { AppError, bigrams, classifyCode } from '@choucha/core';
import { entities, imports } from '@choucha/db';
import { authorize } from './access.ts';
import { inTransaction } from './audit.ts';
import type { Actor, Services } from './context.ts';

export interface RowReason {
  code: string;
  field?: string;
  message: string;
}
export interface RowReport {
  rowNumber: number;
  verdict: 'accepted' | 'warning' | 'rejected' | 'merged';
  reasons: RowReason[];
  key: string | null;
  name: string | null;
}
export interface EntityRecord {
  uscc: string | null;
  regNo: string | null;
  rawCode: string | null;
  codeStatus: string;
  name: string;
  entityType: string | null;
  industryCode: string | null;
  industryName: string | null;
  regionCode: string | null;
  street: string | null;
  address: string | null;
  legalRep: string | null;
  registeredCapital: string | null;
  establishedOn: string | null;
  status: string;
  phone: string | null;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const HEADERS: Record<keyof EntityRecord | 'code', string[]> = {
  name: ['企业名称', '名称', '主体名称', '市场主体名称'],
  code: ['统一社会信用代码', '信用代码', '社会信用代码'],
  regNo: ['注册号'],
  entityType: ['主体类型', '企业类型', '类型'],
  industryCode: ['行业代码'],
  industryName: ['行业名称', '行业'],
  street: ['所属街道', '街道'],
  address: ['住所', '地址', '经营场所'],
  legalRep: ['法定代表人', '负责人', '经营者'],
  registeredCapital: ['注册资本（万元）', '注册资本'],
  establishedOn: ['成立日期'],
  status: ['登记状态', '经营状态', '状态'],
  phone: ['联系电话', '电话'],
  regionCode: ['区划代码'],
  uscc: [],
  rawCode: [],
  codeStatus: [],
};

export interface EntityValidation {
  report: RowReport;
  record: EntityRecord | null;
}

export function validateEntityCsv(buf: Buffer): {
  mapping: Record<string, number>;
  rows: EntityValidation[];
} {
  if (buf.length === 0) throw new AppError('IMPORT_FILE_EMPTY');
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  const table = parseCsv(text).filter((r) => r.some((c) => c.trim() !== ''));
  if (table.length === 0) throw new AppError('IMPORT_FILE_EMPTY');
  const headerIdx = table.findIndex((r) => r.some((c) => HEADERS.name.includes(c.trim())));
  if (headerIdx < 0) throw new AppError('IMPORT_NO_HEADER', 'No header row with 企业名称 / 名称 was found');
  const header = (table[headerIdx] as string[]).map((h) => h.trim());
  const mapping: Record<string, number> = {};
  for (const [field, aliases] of Object.entries(HEADERS)) {
    const i = header.findIndex((h) => aliases.includes(h));
    if (i >= 0) mapping[field] = i;
  }
  const get = (r: string[], f: string) => {
    const i = mapping[f];
    const v = i === undefined ? '' : (r[i] ?? '').trim();
    return v === '' ? null : v;
  };
  const rows = table.slice(headerIdx + 1).map((r, i): EntityValidation => {
    const rowNumber = headerIdx + 2 + i;
    const reasons: RowReason[] = [];
    const name = get(r, 'name');
    if (!name) {
      return {
        report: {
          rowNumber,
          verdict: 'rejected',
          reasons: [{ code: 'NAME_MISSING', field: '企业名称', message: '缺少企业名称' }],
          key: null,
          name: null,
        },
        record: null,
      };
    }
    const regionCode = get(r, 'regionCode');
    const v = classifyCode(get(r, 'code') ?? get(r, 'regNo'), regionCode ?? undefined);
    let uscc: string | null = null;
    let regNo: string | null = null;
    let rawCode: string | null = null;
    let codeStatus = 'valid';
    switch (v.kind) {
      case 'uscc':
        uscc = v.code;
        codeStatus = v.warnings.includes('USCC_CHECK_FAILED') ? 'check_failed' : 'valid';
        for (const w of v.warnings)
          reasons.push({
            code: w,
            field: '统一社会信用代码',
            message: w === 'USCC_CHECK_FAILED' ? '校验位不符（早期试点代码可能合法）' : w,
          });
        break;
      case 'reg_no':
        regNo = v.code;
        codeStatus = 'reg_no_only';
        reasons.push({ code: 'REGNO_ONLY', field: '注册号', message: '无统一社会信用代码，以注册号为准' });
        break;
      case 'missing':
        codeStatus = 'missing';
        reasons.push({
          code: 'CODE_MISSING',
          field: '统一社会信用代码',
          message: '缺少统一社会信用代码和注册号',
        });
        break;
      case 'unrecoverable':
        rawCode = v.raw;
        codeStatus = 'unrecoverable';
        reasons.push({
          code: v.reason,
          field: '统一社会信用代码',
          message: `代码已被 Excel 损坏，无法恢复：${v.raw}`,
        });
        break;
      case 'malformed':
        rawCode = v.raw;
        codeStatus = 'malformed';
        reasons.push({
          code: 'USCC_MALFORMED',
          field: '统一社会信用代码',
          message: `代码格式错误：${v.reason}`,
        });
        break;
    }
    if (!regNo) {
      const rn = get(r, 'regNo');
      if (rn && /^\d{15}$/.test(rn)) regNo = rn;
    }
    const record: EntityRecord = {
      uscc,
      regNo,
      rawCode,
      codeStatus,
      name,
      entityType: get(r, 'entityType'),
      industryCode: get(r, 'industryCode'),
      industryName: get(r, 'industryName'),
      regionCode,
      street: get(r, 'street'),
      address: get(r, 'address'),
      legalRep: get(r, 'legalRep'),
      registeredCapital: get(r, 'registeredCapital')?.match(/^\d+(\.\d+)?$/)
        ? get(r, 'registeredCapital')
        : null,
      establishedOn: get(r, 'establishedOn')?.match(/^\d{4}-\d{2}-\d{2}$/) ? get(r, 'establishedOn') : null,
      status: get(r, 'status') ?? '存续',
      phone: get(r, 'phone'),
    };
    return {
      report: {
        rowNumber,
        verdict: reasons.length ? 'warning' : 'accepted',
        reasons,
        key: uscc ?? regNo,
        name,
      },
      record,
    };
  });
  return { mapping, rows };
}

function countsOf(rows: RowReport[]) {
  return {
    rows: rows.length,
    accepted: rows.filter((r) => r.verdict === 'accepted').length,
    warned: rows.filter((r) => r.verdict === 'warning').length,
    rejected: rows.filter((r) => r.verdict === 'rejected').length,
  };
}

// Dry runs keep their parsed records in memory until committed (bounded, newest kept).
const pending = new Map<number, EntityRecord[]>();

export async function dryRunEntityImport(svc: Services, actor: Actor, file: { name: string; data: Buffer }) {
  authorize(actor, 'directory.import');
  const { mapping, rows } = validateEntityCsv(file.data);
  const report = rows.map((r) => r.report);
  const [row] = await svc.database.db
    .insert(imports)
    .values({
      kind: 'entities',
      fileName: file.name,
      fileSha256: createHash('sha256').update(file.data).digest('hex'),
      status: 'dry_run',
      mapping,
      counts: countsOf(report),
      report,
      createdBy: actor.kind === 'user' ? actor.id : null,
      createdAt: svc.clock(),
    })
    .returning();
  if (!row) throw new Error('Invariant: no row');
  pending.set(
    row.id,
    rows.flatMap((r) => (r.record ? [r.record] : [])),
  );
  if (pending.size > 20) pending.delete(pending.keys().next().value as number);
  return getImport(svc, actor, row.id);
}

export async function commitEntityImport(svc: Services, actor: Actor, importId: number) {
  authorize(actor, 'directory.import');
  const records = pending.get(importId);
  const deptId = actor.kind === 'user' ? actor.departmentId : null;
  await inTransaction(svc, actor, async (tx, audit) => {
    const [imp] = await tx.select().from(imports).where(eq(imports.id, importId)).for('update');
    if (!imp) throw new AppError('IMPORT_NOT_FOUND');
    if (imp.status !== 'dry_run') throw new AppError('IMPORT_ALREADY_COMMITTED');
    if (!records) throw new AppError('CONFLICT', 'The dry run has expired; upload the file again');
    if (records.length === 0) throw new AppError('IMPORT_NOTHING_ACCEPTED');
    let created = 0;
    let updated = 0;
    const keys = records.map((r) => r.uscc ?? r.regNo).filter((k): k is string => k !== null);
    const existing = new Map<string, number>();
    for (let i = 0; i < keys.length; i += 5000) {
      const chunk = keys.slice(i, i + 5000);
      const a = await tx
        .select({ id: entities.id, uscc: entities.uscc })
        .from(entities)
        .where(inArray(entities.uscc, chunk));
      for (const e of a) if (e.uscc && !existing.has(e.uscc)) existing.set(e.uscc, e.id);
      const b = await tx
        .select({ id: entities.id, regNo: entities.regNo })
        .from(entities)
        .where(and(inArray(entities.regNo, chunk)));
      for (const e of b) if (e.regNo && !existing.has(e.regNo)) existing.set(e.regNo, e.id);
    }
    const inserts: (typeof entities.$inferInsert)[] = [];
    for (const r of records) {
      const key = r.uscc ?? r.regNo;
      const values = { ...r, nameBigrams: bigrams(r.name), importId, updatedAt: svc.clock() };
      const id = key ? existing.get(key) : undefined;
      if (id !== undefined) {
        await tx.update(entities).set(values).where(eq(entities.id, id));
        updated++;
      } else {
        inserts.push({ ...values, supervisingDeptIds: deptId ? [deptId] : [], createdAt: svc.clock() });
        if (key) existing.set(key, -1);
        created++;
      }
    }
    for (let i = 0; i < inserts.length; i += 1000)
      await tx.insert(entities).values(inserts.slice(i, i + 1000));
    const counts = { ...(imp.counts as Record<string, number>), created, updated };
    await tx
      .update(imports)
      .set({ status: 'committed', committedAt: svc.clock(), counts })
      .where(eq(imports.id, importId));
    await audit({
      action: 'import.commit',
      subjectType: 'import',
      subjectId: importId,
      departmentId: deptId,
      after: { kind: imp.kind, fileName: imp.fileName, counts },
    });
  });
  pending.delete(importId);
  return getImport(svc, actor, importId);
}

export async function getImport(svc: Services, actor: Actor, importId: number) {
  authorize(actor, 'directory.import');
  const [imp] = await svc.database.db.select().from(imports).where(eq(imports.id, importId));
  if (!imp) throw new AppError('IMPORT_NOT_FOUND');
  return {
    id: imp.id,
    kind: imp.kind,
    fileName: imp.fileName,
    status: imp.status,
    counts: imp.counts as { rows: number; accepted: number; warned: number; rejected: number },
    createdAt: imp.createdAt.toISOString(),
    committedAt: imp.committedAt?.toISOString() ?? null,
    mapping: (imp.mapping ?? null) as Record<string, unknown> | null,
    rows: imp.report as RowReport[],
  };
}

export async function listImports(svc: Services, actor: Actor) {
  authorize(actor, 'directory.import');
  const rows = await svc.database.db
    .select({
      id: imports.id,
      kind: imports.kind,
      fileName: imports.fileName,
      status: imports.status,
      counts: imports.counts,
      createdAt: imports.createdAt,
      committedAt: imports.committedAt,
    })
    .from(imports)
    .orderBy(desc(imports.id))
    .limit(200);
  return rows.map((r) => ({
    ...r,
    counts: r.counts as { rows: number; accepted: number; warned: number; rejected: number },
    createdAt: r.createdAt.toISOString(),
    committedAt: r.committedAt?.toISOString() ?? null,
  }));
}
