/**
 * Importing a department list from a spreadsheet: a dry run that says, row by row, what would be
 * created, updated or left as it is, and every problem by code; then the commit of the same file,
 * all or nothing (nothing is written while any row has a problem).
 */
import {
  AppError,
  createDepartmentNameResolver,
  departmentProblem,
  foldDepartmentName,
  parseDepartmentLevel,
  splitNameList,
  textProblem,
  type DepartmentLevel,
  type DepartmentNameEntry,
  type DepartmentProblem,
} from '@choucha/core';
import { departments, type Executor } from '@choucha/db';
import { eq } from 'drizzle-orm';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { readDepartmentSheet, type DepartmentColumn, type DepartmentSheet } from './department-file.ts';
import {
  allDepartments,
  checkDepartment,
  levelRank,
  lockDepartments,
  nextCode,
  type DepartmentInput,
  type DepartmentRecord,
} from './departments.ts';
import { assertJointAdmin, organisationPlaceNames, readOrganisation } from './organisation.ts';

export type DepartmentImportAction = 'create' | 'update' | 'unchanged' | 'rejected';

export interface DepartmentImportRow {
  rowNumber: number;
  action: DepartmentImportAction;
  name: string;
  shortName: string;
  code: string;
  level: string;
  parentName: string | null;
  /** the department updated (update / unchanged) */
  departmentId: number | null;
  problems: DepartmentProblem[];
}

export interface DepartmentImportReport {
  fileName: string;
  headerRow: number;
  columns: DepartmentColumn[];
  unusedHeaders: string[];
  rows: DepartmentImportRow[];
  counts: Record<DepartmentImportAction, number>;
  committed: boolean;
}

const YES = new Set(['是', '√', '✓', 'y', 'yes', '1', 'true', '牵头', '牵头单位', '牵头部门']);

interface PlannedRow {
  report: DepartmentImportRow;
  input: DepartmentInput;
  /** file row index of the parent when the parent is a row of this file */
  parentRow: number | null;
  existing: DepartmentRecord | null;
}

function cell(sheet: DepartmentSheet, cells: string[], col: DepartmentColumn): string {
  const i = sheet.columns[col];
  return i === undefined ? '' : (cells[i] ?? '').trim();
}

/** A short name when the file has none: the full name without the organisation's place name in front. */
function defaultShortName(name: string, places: readonly string[]): string {
  for (const p of [...places].sort((a, b) => b.length - a.length))
    if (name.startsWith(p) && name.length - p.length >= 2) return name.slice(p.length);
  return name;
}

function plan(
  sheet: DepartmentSheet,
  all: DepartmentRecord[],
  places: string[],
  replaceLead: boolean,
): PlannedRow[] {
  const planned: PlannedRow[] = [];
  const seenNames = new Map<string, number>();
  const seenCodes = new Map<string, number>();
  const generated = new Set<string>();
  // entries for parent resolution: the directory (ids > 0) and this file's rows (ids ≤ 0: -index)
  const entries: DepartmentNameEntry[] = all.map((d) => ({
    id: d.id,
    name: d.name,
    shortName: d.shortName,
    code: d.code,
    aliases: d.aliases,
  }));
  const fileEntries: DepartmentNameEntry[] = [];
  sheet.rows.forEach((r, i) => {
    const name = cell(sheet, r.cells, 'name');
    if (name)
      fileEntries.push({
        id: -i - 1,
        name,
        shortName: cell(sheet, r.cells, 'shortName') || null,
        code: cell(sheet, r.cells, 'code') || null,
      });
  });
  const fileNames = new Set(fileEntries.map((e) => foldDepartmentName(e.name)));
  const resolve = createDepartmentNameResolver(
    [...entries.filter((e) => !fileNames.has(foldDepartmentName(e.name))), ...fileEntries],
    { placeNames: places },
  );
  const leadRows: number[] = [];

  sheet.rows.forEach((r, i) => {
    const problems: DepartmentProblem[] = [];
    // the text rule of every upload (issue 7): such a cell never reaches the database
    for (const [col, at] of Object.entries(sheet.columns))
      if (at !== undefined && textProblem(r.cells[at] ?? '')) {
        problems.push(departmentProblem('TEXT_INVALID', col));
        r.cells[at] = '';
      }
    const name = cell(sheet, r.cells, 'name');
    const code = cell(sheet, r.cells, 'code');
    const fName = foldDepartmentName(name);
    const byCode = code ? all.find((d) => d.code.toLowerCase() === code.toLowerCase()) : undefined;
    const byName = name ? all.find((d) => foldDepartmentName(d.name) === fName) : undefined;
    const existing = byCode ?? byName ?? null;
    if (byCode && byName && byCode.id !== byName.id) problems.push(departmentProblem('NAME_TAKEN', 'name'));
    if (name && seenNames.has(fName)) problems.push(departmentProblem('DUPLICATE_IN_FILE', 'name'));
    if (code && seenCodes.has(code.toLowerCase()))
      problems.push(departmentProblem('DUPLICATE_IN_FILE', 'code'));
    if (name) seenNames.set(fName, i);
    if (code) seenCodes.set(code.toLowerCase(), i);

    const levelText = cell(sheet, r.cells, 'level');
    let level: DepartmentLevel | undefined = existing ? (existing.level as DepartmentLevel) : 'district';
    if (levelText) {
      level = parseDepartmentLevel(levelText);
      if (!level) problems.push(departmentProblem('LEVEL_UNKNOWN', 'level'));
    }
    const parentName = cell(sheet, r.cells, 'parent') || null;
    let parentId: number | null = existing?.parentId ?? null;
    let parentRow: number | null = null;
    if (parentName) {
      const res = resolve(parentName);
      if (res.kind === 'none') problems.push(departmentProblem('PARENT_UNKNOWN', 'parent'));
      else if (res.kind === 'ambiguous') problems.push(departmentProblem('PARENT_AMBIGUOUS', 'parent'));
      else if (res.id > 0) parentId = res.id;
      else {
        parentRow = -res.id - 1;
        parentId = null;
      }
    }
    const leadText = cell(sheet, r.cells, 'lead').toLowerCase();
    const isLead = leadText ? YES.has(leadText) : (existing?.isLead ?? false);
    if (isLead) leadRows.push(i);
    const aliases = [...(existing?.aliases ?? [])];
    for (const a of splitNameList(cell(sheet, r.cells, 'aliases'))) if (!aliases.includes(a)) aliases.push(a);
    const shortName =
      cell(sheet, r.cells, 'shortName') || existing?.shortName || defaultShortName(name, places);
    const phone = cell(sheet, r.cells, 'contactPhone');
    const contact = cell(sheet, r.cells, 'contactName');
    const input: DepartmentInput = {
      name,
      shortName,
      code: code || existing?.code || null,
      aliases,
      level: level ?? 'district',
      // a parent that is a row of this file is checked below, once its level is known
      parentId: parentRow === null ? parentId : null,
      isLead,
      replaceLead,
      regionCode: existing?.regionCode ?? null,
      contactName: contact || existing?.contactName || null,
      contactPhone: phone || existing?.contactPhone || null,
    };
    let genCode: string | undefined;
    if (!input.code) {
      genCode = nextCode(all, generated);
      generated.add(genCode);
    }
    // the other rows of the file are not in `all` yet: check against the directory, minus this row's department
    const c = checkDepartment(
      { ...input, isLead: false },
      all,
      existing?.id ?? null,
      genCode !== undefined ? { generatedCode: genCode } : {},
    );
    for (const p of c.problems)
      if (!(p.code === 'NAME_TAKEN' && problems.some((q) => q.code === 'NAME_TAKEN'))) problems.push(p);
    if (genCode !== undefined) input.code = genCode;
    const report: DepartmentImportRow = {
      rowNumber: r.rowNumber,
      action: 'create',
      name: c.values.name,
      shortName: c.values.shortName,
      code: c.values.code,
      level: c.values.level,
      parentName,
      departmentId: existing?.id ?? null,
      problems,
    };
    planned.push({ report, input: { ...input, shortName: c.values.shortName }, parentRow, existing });
  });

  // a parent that is a row of the file: its level must be higher
  for (const p of planned) {
    if (p.parentRow === null) continue;
    const parent = planned[p.parentRow];
    if (
      !parent ||
      parent === p ||
      levelRank(parent.input.level ?? 'district') >= levelRank(p.input.level ?? 'district')
    )
      p.report.problems.push(departmentProblem('PARENT_LEVEL', 'parent'));
  }
  // one lead: in the file, and beside the directory's (unless the caller replaces it)
  const currentLead = all.find((d) => d.isLead && d.active);
  for (const i of leadRows) {
    const p = planned[i]!;
    const isCurrent = currentLead !== undefined && p.existing?.id === currentLead.id;
    if (leadRows.length > 1 || (currentLead && !isCurrent && !replaceLead))
      p.report.problems.push(departmentProblem('LEAD_MULTIPLE', 'lead'));
  }
  for (const p of planned) {
    if (p.report.problems.length > 0) p.report.action = 'rejected';
    else if (p.existing) {
      // a parent that is a row of this file: its department when it exists already, else a new one
      const parentId =
        p.parentRow === null ? (p.input.parentId ?? null) : (planned[p.parentRow]?.existing?.id ?? -1);
      p.report.action = changed(p.existing, { ...p.input, parentId }) ? 'update' : 'unchanged';
    }
  }
  return planned;
}

function changed(d: DepartmentRecord, i: DepartmentInput): boolean {
  return (
    d.name !== i.name ||
    d.shortName !== i.shortName ||
    d.code !== i.code ||
    d.level !== i.level ||
    (i.parentId ?? null) !== d.parentId ||
    d.isLead !== (i.isLead ?? false) ||
    (i.contactName ?? null) !== d.contactName ||
    (i.contactPhone ?? null) !== d.contactPhone ||
    JSON.stringify(d.aliases) !== JSON.stringify(i.aliases ?? []) ||
    !d.active
  );
}

function reportOf(
  sheet: DepartmentSheet,
  fileName: string,
  planned: PlannedRow[],
  committed: boolean,
): DepartmentImportReport {
  const counts: Record<DepartmentImportAction, number> = { create: 0, update: 0, unchanged: 0, rejected: 0 };
  for (const p of planned) counts[p.report.action]++;
  return {
    fileName,
    headerRow: sheet.headerRow,
    columns: Object.keys(sheet.columns) as DepartmentColumn[],
    unusedHeaders: sheet.unusedHeaders,
    rows: planned.map((p) => p.report),
    counts,
    committed,
  };
}

export interface DepartmentImportOptions {
  fileName: string;
  commit: boolean;
  /** the file's lead replaces the directory's */
  replaceLead?: boolean;
}

/** Dry run (commit false) or commit, all or nothing, of a department list. */
export async function importDepartments(
  svc: Services,
  actor: Actor,
  bytes: Uint8Array,
  opts: DepartmentImportOptions,
): Promise<DepartmentImportReport> {
  assertJointAdmin(actor);
  const sheet = await readDepartmentSheet(bytes, opts.fileName);
  const replaceLead = opts.replaceLead ?? false;
  if (!opts.commit) {
    const db = svc.database.db as Executor;
    const places = organisationPlaceNames(await readOrganisation(db));
    return reportOf(sheet, opts.fileName, plan(sheet, await allDepartments(db), places, replaceLead), false);
  }
  return inTransaction(svc, actor, async (tx, audit) => {
    await lockDepartments(tx);
    const places = organisationPlaceNames(await readOrganisation(tx));
    const planned = plan(sheet, await allDepartments(tx), places, replaceLead);
    const rejected = planned.filter((p) => p.report.action === 'rejected').length;
    if (rejected > 0)
      throw new AppError(
        'DEPARTMENT_IMPORT_INVALID',
        `${rejected} rows have problems; nothing was imported`,
        {
          rejected,
          report: reportOf(sheet, opts.fileName, planned, false),
        },
      );
    const now = svc.clock();
    if (replaceLead && planned.some((p) => p.input.isLead)) {
      const leadRow = planned.find((p) => p.input.isLead)!;
      for (const d of await allDepartments(tx))
        if (d.isLead && d.id !== leadRow.existing?.id) {
          await tx.update(departments).set({ isLead: false, updatedAt: now }).where(eq(departments.id, d.id));
          await audit({
            action: 'department.lead',
            subjectType: 'department',
            subjectId: d.id,
            before: { isLead: true },
            after: { isLead: false },
          });
        }
    }
    // parents before children: by level, then file order
    const order = planned
      .map((p, i) => ({ p, i }))
      .sort(
        (a, b) =>
          levelRank(a.p.input.level ?? 'district') - levelRank(b.p.input.level ?? 'district') || a.i - b.i,
      );
    const idOfRow = new Map<number, number>();
    for (const { p, i } of order) {
      const parentId = p.parentRow !== null ? (idOfRow.get(p.parentRow) ?? null) : (p.input.parentId ?? null);
      const values = {
        name: p.input.name,
        shortName: p.input.shortName ?? p.input.name,
        code: p.input.code!,
        aliases: [...(p.input.aliases ?? [])],
        level: p.input.level ?? 'district',
        parentId,
        isLead: p.input.isLead ?? false,
        contactName: p.input.contactName ?? null,
        contactPhone: p.input.contactPhone ?? null,
      };
      if (p.existing) {
        idOfRow.set(i, p.existing.id);
        if (p.report.action === 'unchanged' && parentId === p.existing.parentId) continue;
        await tx
          .update(departments)
          .set({ ...values, active: true, updatedAt: now })
          .where(eq(departments.id, p.existing.id));
        await audit({
          action: 'department.update',
          subjectType: 'department',
          subjectId: p.existing.id,
          before: {
            name: p.existing.name,
            code: p.existing.code,
            aliases: p.existing.aliases,
            parentId: p.existing.parentId,
          },
          after: { ...values, source: opts.fileName },
        });
      } else {
        const [row] = await tx
          .insert(departments)
          .values({ ...values, createdAt: now, updatedAt: now })
          .returning({ id: departments.id });
        idOfRow.set(i, row!.id);
        p.report.departmentId = row!.id;
        await audit({
          action: 'department.create',
          subjectType: 'department',
          subjectId: row!.id,
          after: { ...values, source: opts.fileName },
        });
      }
    }
    const report = reportOf(sheet, opts.fileName, planned, true);
    await audit({
      action: 'department.import',
      subjectType: 'department',
      after: { fileName: opts.fileName, counts: report.counts },
    });
    return report;
  });
}
