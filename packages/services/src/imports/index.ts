/**
 * Import of the four directories/lists (entities, inspectors, items, joint items) on
 * @choucha/importer: a dry run first (per-row verdicts with reasons, stored with the uploaded
 * bytes), then a commit that re-reads the file and writes everything in ONE transaction with one
 * audit event. Re-importing the same file updates rather than duplicates.
 *
 * Entities stream: rows are validated one by one and COPYed into a staging table in chunks, then
 * merged with INSERT … SELECT / UPDATE … FROM — a million rows fit in well under 1 GiB.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import type { MappingOverride } from '@choucha/importer';
import { departments, importFiles, imports, type Tx } from '@choucha/db';
import {
  assertMayReadDepartmentRecord,
  assertMayWriteDepartment,
  assertMayWriteMasterData,
  authorize,
  mayWriteMasterData,
} from '../access.ts';
import { inTransaction, type AuditInput } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { actorDept } from './departments.ts';
import { getImport } from './read.ts';
import { rowFallbackDepartment, runKind } from './run-kind.ts';
import { saveMappedAliases, type DepartmentMap } from './department-map.ts';
import {
  IMPORT_KINDS,
  storedMapping,
  type ImportKindName,
  type ImportRequest,
  type Processed,
  type StoredCounts,
} from './shared.ts';

export {
  IMPORT_KINDS,
  REPORT_ALL_ROWS,
  REPORT_MAX_PROBLEM_ROWS,
  type ImportKindName,
  type ImportRequest,
  type RowReport,
  type StoredCounts,
  type StoredReason,
  type StoredRow,
} from './shared.ts';
export { departmentMatcher } from './departments.ts';
export { entityMatchKey, HashMap32 } from './entities.ts';
export { getImport, importReportXlsx, listImports } from './read.ts';
export {
  DepartmentNames,
  normaliseDepartmentMap,
  type DepartmentMap,
  type DepartmentNamesReport,
  type UnresolvedDepartmentName,
} from './department-map.ts';
export { parseDepartmentMapCsv, resolveDepartmentArg } from './department-args.ts';

// ---------------------------------------------------------------------------------------------
// the commands

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function sha256OfPath(path: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * The names the user mapped to one department become its aliases (the next file resolves by
 * itself); one audit event per alias, on the department.
 */
async function saveAliases(
  tx: Tx,
  audit: (e: AuditInput) => Promise<void>,
  p: Processed<unknown>,
  importId: number,
  now: Date,
): Promise<{ departmentId: number; alias: string }[]> {
  if (!p.departmentNames) return [];
  const added = await saveMappedAliases(tx, p.departmentNames, now);
  for (const a of added)
    await audit({
      action: 'department.alias_added',
      subjectType: 'department',
      subjectId: a.departmentId,
      departmentId: a.departmentId,
      after: { alias: a.alias, importId },
    });
  return added;
}

function assertSomethingAccepted(p: Processed<unknown>): void {
  if (p.counts.accepted + p.counts.warned > 0) return;
  const first = p.rows
    .filter((r) => r.verdict === 'rejected')
    .slice(0, 5)
    .map(
      (r) =>
        `第 ${r.rowNumber} 行：${r.reasons
          .filter((x) => x.severity === 'error')
          .map((x) => x.message)
          .join('；')}`,
    );
  throw new AppError(
    'IMPORT_NOTHING_ACCEPTED',
    `没有可导入的行（共 ${p.counts.rows} 行，拒绝 ${p.counts.rejected} 行）${first.length ? `：${first.join(' / ')}` : ''}`,
    { counts: p.counts, rows: p.rows.slice(0, 50) },
  );
}

function checkKind(kind: string): asserts kind is ImportKindName {
  if (!IMPORT_KINDS.includes(kind as ImportKindName))
    throw new AppError('VALIDATION_FAILED', `Unknown import kind ${kind}`, { field: 'kind' });
}

/**
 * Before a file is read: the department named by `?departmentId=` must be the uploader's to
 * write (FORBIDDEN_DEPARTMENT); the joint list is master data (FORBIDDEN_MASTER_DATA); a
 * department's entity rows need a department to supervise them. Rows naming a department are
 * checked one by one while the file is read (DEPARTMENT_FORBIDDEN).
 */
async function assertImportScope(
  db: Tx | Services['database']['db'],
  actor: Actor,
  kind: ImportKindName,
  departmentId: number | null | undefined,
  dept: number | undefined,
): Promise<void> {
  if (departmentId !== undefined && departmentId !== null) {
    const [d] = await db
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, departmentId));
    if (!d)
      throw new AppError('VALIDATION_FAILED', `No department ${departmentId}`, { field: 'departmentId' });
    assertMayWriteDepartment(actor, departmentId);
  }
  if (kind === 'joint_items') await assertMayWriteMasterData(db, actor);
  if (kind === 'entities' && dept === undefined && !(await mayWriteMasterData(db, actor)))
    assertMayWriteDepartment(actor, null);
}

/**
 * Dry run: read and validate the whole file, store the per-row report and the uploaded bytes.
 * Nothing else is written.
 */
export async function dryRunImport(svc: Services, actor: Actor, req: ImportRequest) {
  authorize(actor, 'directory.import');
  checkKind(req.kind);
  await assertImportScope(svc.database.db, actor, req.kind, req.departmentId, actorDept(actor, req));
  const data = req.data ?? (req.path ? (await import('node:fs')).readFileSync(req.path) : undefined);
  if (!data) throw new AppError('IMPORT_FILE_EMPTY', 'No file was given');
  const run: ImportRequest = {
    ...req,
    data,
    path: undefined,
    fallbackDepartmentId: rowFallbackDepartment(actor, req) ?? null,
  };
  const { processed } = await runKind(svc, actor, undefined, run, undefined);
  const dept = actorDept(actor, req);
  const id = await inTransaction(svc, actor, async (tx, audit) => {
    const [row] = await tx
      .insert(imports)
      .values({
        kind: req.kind,
        fileName: req.fileName,
        fileSha256: sha256(data),
        status: 'dry_run',
        mapping: storedMapping(processed, run),
        counts: processed.counts,
        report: processed.rows,
        reportScope: processed.scope,
        sheet: processed.meta.sheet,
        departmentId: dept ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
        createdAt: svc.clock(),
      })
      .returning({ id: imports.id });
    await tx.insert(importFiles).values({ importId: row!.id, bytes: data });
    await audit({
      action: 'import.dry_run',
      subjectType: 'import',
      subjectId: row!.id,
      departmentId: dept ?? null,
      after: { kind: req.kind, fileName: req.fileName, counts: processed.counts },
    });
    return row!.id;
  });
  return getImport(svc, actor, id);
}

/**
 * Run a dry run again on the stored file with the user's column mapping and department mapping
 * (the wizard's mapping editors): the same import record, its report replaced. Nothing else is
 * written. `mapping` / `departmentMap` left out keep what the import had; null clears them.
 */
export async function rerunDryRun(
  svc: Services,
  actor: Actor,
  importId: number,
  body: {
    mapping?: MappingOverride | null | undefined;
    departmentMap?: DepartmentMap | null | undefined;
  },
) {
  authorize(actor, 'directory.import');
  const [imp] = await svc.database.db.select().from(imports).where(eq(imports.id, importId));
  if (!imp) throw new AppError('IMPORT_NOT_FOUND');
  assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
  if (imp.status !== 'dry_run') throw new AppError('IMPORT_ALREADY_COMMITTED');
  if (actor.kind === 'user' && actor.role !== 'joint_admin' && imp.createdBy !== actor.id)
    throw new AppError(
      'FORBIDDEN',
      'Only the person who uploaded the file (or the joint admin) may change it',
    );
  const [file] = await svc.database.db.select().from(importFiles).where(eq(importFiles.importId, importId));
  if (!file) throw new AppError('CONFLICT', 'The uploaded file is no longer kept; upload it again');
  const m = (imp.mapping ?? {}) as Partial<ReturnType<typeof storedMapping>>;
  const mapping = body.mapping === undefined ? (m.override ?? undefined) : (body.mapping ?? undefined);
  const departmentMap =
    body.departmentMap === undefined
      ? ((m.departmentMap as DepartmentMap | null | undefined) ?? undefined)
      : (body.departmentMap ?? undefined);
  const run: ImportRequest = {
    kind: imp.kind as ImportKindName,
    fileName: imp.fileName,
    data: file.bytes,
    ...(imp.sheet !== null ? { sheet: imp.sheet } : {}),
    ...(imp.departmentId !== null ? { departmentId: imp.departmentId } : {}),
    ...(mapping ? { mapping } : {}),
    ...(departmentMap ? { departmentMap } : {}),
    fallbackDepartmentId: 'fallbackDepartmentId' in m ? (m.fallbackDepartmentId ?? null) : null,
  };
  const { processed } = await runKind(svc, actor, undefined, run, undefined);
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx
      .update(imports)
      .set({
        mapping: storedMapping(processed, run),
        counts: processed.counts,
        report: processed.rows,
        reportScope: processed.scope,
      })
      .where(and(eq(imports.id, importId), eq(imports.status, 'dry_run')));
    await audit({
      action: 'import.dry_run',
      subjectType: 'import',
      subjectId: importId,
      departmentId: imp.departmentId,
      after: {
        kind: imp.kind,
        fileName: imp.fileName,
        counts: processed.counts,
        mapping: mapping ?? null,
        departmentMap: departmentMap ?? null,
      },
    });
  });
  return getImport(svc, actor, importId);
}

/**
 * Commit a dry run: the stored file is read again and written in ONE transaction with one audit
 * event; any failure leaves nothing behind. The bytes are dropped once committed (the sha-256 stays).
 */
export async function commitImport(
  svc: Services,
  actor: Actor,
  importId: number,
  opts: {
    onProgress?: (rowsDone: number, total: number | null) => void;
    /** the department mapping (default: the one the dry run was given) */
    departmentMap?: DepartmentMap | undefined;
  } = {},
) {
  authorize(actor, 'directory.import');
  await inTransaction(svc, actor, async (tx, audit) => {
    const [imp] = await tx.select().from(imports).where(eq(imports.id, importId)).for('update');
    if (!imp) throw new AppError('IMPORT_NOT_FOUND');
    assertMayReadDepartmentRecord(actor, imp, 'IMPORT_NOT_FOUND');
    if (imp.status !== 'dry_run') throw new AppError('IMPORT_ALREADY_COMMITTED');
    if (actor.kind === 'user' && actor.role !== 'joint_admin' && imp.createdBy !== actor.id)
      throw new AppError(
        'FORBIDDEN',
        'Only the person who uploaded the file (or the joint admin) may commit it',
      );
    const [file] = await tx.select().from(importFiles).where(eq(importFiles.importId, importId));
    if (!file) throw new AppError('CONFLICT', 'The uploaded file is no longer kept; upload it again');
    const kind = imp.kind as ImportKindName;
    // the committing actor's rights decide (the joint admin may commit a department's upload)
    const stored = imp.departmentId !== null ? { departmentId: imp.departmentId } : {};
    await assertImportScope(tx, actor, kind, imp.departmentId, actorDept(actor, stored));
    const m = (imp.mapping ?? {}) as Partial<ReturnType<typeof storedMapping>>;
    const departmentMap =
      opts.departmentMap ?? (m.departmentMap as DepartmentMap | null | undefined) ?? undefined;
    const req: ImportRequest = {
      kind,
      fileName: imp.fileName,
      data: file.bytes,
      ...(imp.sheet !== null ? { sheet: imp.sheet } : {}),
      ...(imp.departmentId !== null ? { departmentId: imp.departmentId } : {}),
      ...(m.override ? { mapping: m.override } : {}),
      ...(departmentMap ? { departmentMap } : {}),
      ...('fallbackDepartmentId' in m ? { fallbackDepartmentId: m.fallbackDepartmentId ?? null } : {}),
      onProgress: opts.onProgress,
    };
    const { processed, written } = await runKind(svc, actor, tx, req, importId);
    assertSomethingAccepted(processed);
    const aliases = await saveAliases(tx, audit, processed, importId, svc.clock());
    const counts: StoredCounts = { ...processed.counts, ...written };
    await tx
      .update(imports)
      .set({
        status: 'committed',
        committedAt: svc.clock(),
        counts,
        mapping: storedMapping(processed, req),
        report: processed.rows,
        reportScope: processed.scope,
      })
      .where(eq(imports.id, importId));
    await tx.delete(importFiles).where(eq(importFiles.importId, importId));
    await audit({
      action: 'import.commit',
      subjectType: 'import',
      subjectId: importId,
      departmentId: imp.departmentId,
      after: { kind, fileName: imp.fileName, fileSha256: imp.fileSha256, counts, aliases },
    });
  });
  return getImport(svc, actor, importId);
}

/**
 * Dry run and commit in one pass over the file (`choucha import … --commit`, benchmarks): the
 * import record, its report and the rows are written in one transaction.
 */
export async function runImport(svc: Services, actor: Actor, req: ImportRequest & { commit: boolean }) {
  if (!req.commit) return dryRunImport(svc, actor, req);
  authorize(actor, 'directory.import');
  checkKind(req.kind);
  await assertImportScope(svc.database.db, actor, req.kind, req.departmentId, actorDept(actor, req));
  const fileSha256 = req.data ? sha256(req.data) : req.path ? await sha256OfPath(req.path) : '';
  const dept = actorDept(actor, req);
  const run: ImportRequest & { commit: boolean } = {
    ...req,
    fallbackDepartmentId: rowFallbackDepartment(actor, req) ?? null,
  };
  const id = await inTransaction(svc, actor, async (tx, audit) => {
    const [row] = await tx
      .insert(imports)
      .values({
        kind: req.kind,
        fileName: req.fileName,
        fileSha256,
        status: 'dry_run',
        counts: {},
        report: [],
        departmentId: dept ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
        createdAt: svc.clock(),
      })
      .returning({ id: imports.id });
    const importId = row!.id;
    const { processed, written } = await runKind(svc, actor, tx, run, importId);
    assertSomethingAccepted(processed);
    const aliases = await saveAliases(tx, audit, processed, importId, svc.clock());
    const counts: StoredCounts = { ...processed.counts, ...written };
    await tx
      .update(imports)
      .set({
        status: 'committed',
        committedAt: svc.clock(),
        counts,
        mapping: storedMapping(processed, run),
        report: processed.rows,
        reportScope: processed.scope,
        sheet: processed.meta.sheet,
      })
      .where(eq(imports.id, importId));
    await audit({
      action: 'import.commit',
      subjectType: 'import',
      subjectId: importId,
      departmentId: dept ?? null,
      after: { kind: req.kind, fileName: req.fileName, fileSha256, counts, aliases },
    });
    return importId;
  });
  return getImport(svc, actor, id);
}

// ---- kept for the CLI start-up and other sessions' tests ---------------------------------------

export async function dryRunEntityImport(svc: Services, actor: Actor, file: { name: string; data: Buffer }) {
  return dryRunImport(svc, actor, { kind: 'entities', fileName: file.name, data: file.data });
}

export async function commitEntityImport(svc: Services, actor: Actor, importId: number) {
  return commitImport(svc, actor, importId);
}
