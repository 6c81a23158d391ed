/** Departments named in a file: matching by name, short name or code, and the per-row reasons. */
import { eq, sql } from 'drizzle-orm';
import { departments, inspectors, type Tx } from '@choucha/db';
import {
  ROW_REASONS,
  type InspectorRecord,
  type JointItemRecord,
  type RowReason as ImporterReason,
} from '@choucha/importer';
import { mayWriteDepartment } from '../access.ts';
import type { Actor, Services } from '../context.ts';
import type { DepartmentNames } from './department-map.ts';
import { header, type FileMeta, type Resolver } from './shared.ts';

// ---------------------------------------------------------------------------------------------
// departments: matched by name, short name or code

export function normDept(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .toLowerCase();
}

export async function departmentMatcher(tx: Tx | Services['database']['db']) {
  const rows = await tx
    .select({
      id: departments.id,
      code: departments.code,
      name: departments.name,
      short: departments.shortName,
    })
    .from(departments);
  const byText = new Map<string, number>();
  for (const d of rows) for (const t of [d.code, d.name, d.short]) if (t) byText.set(normDept(t), d.id);
  return (text: string | null): number | undefined => {
    if (!text) return undefined;
    const direct = byText.get(normDept(text));
    if (direct !== undefined) return direct;
    // "碑林区市场监管局" is how a district's own files name "区市场监管局" (its short name).
    const local = /^[\u4e00-\u9fa5]{1,6}?([区县])(.+)$/.exec(normDept(text));
    return local ? byText.get(`${local[1]}${local[2]}`) : undefined;
  };
}

type DeptCode =
  | 'DEPARTMENT_UNMAPPED'
  | 'DEPARTMENT_AMBIGUOUS'
  | 'DEPARTMENT_SKIPPED'
  | 'DEPARTMENT_PART_SKIPPED'
  | 'DEPARTMENT_MAPPED'
  | 'DEPARTMENT_REQUIRED';

function deptReason(code: DeptCode, field: string, h: string, value?: string, more = ''): ImporterReason {
  const def = ROW_REASONS[code];
  return {
    code,
    severity: def.severity,
    field,
    header: h,
    ...(value !== undefined ? { value } : {}),
    zh: `【${h}】${value !== undefined ? `“${value}”：` : ''}${def.zh}${more}`,
  };
}

/** A row naming a department the uploader may not write (access.ts: mayWriteDepartment). */
function forbiddenDept(field: string, h: string, value: string, what: string): ImporterReason {
  return {
    code: 'DEPARTMENT_FORBIDDEN',
    severity: 'error',
    field,
    header: h,
    value,
    zh: `【${h}】“${value}”不是导入人所在的部门：只能导入本部门的${what}（其他部门的数据由该部门或联合办公室导入）`,
  };
}

/** An inspector file row whose certificate number is another department's inspector. */
function otherDeptInspector(header: string, certNo: string, deptName: string): ImporterReason {
  return {
    code: 'INSPECTOR_OTHER_DEPARTMENT',
    severity: 'error',
    field: 'certNo',
    header,
    value: certNo,
    zh: `【${header}】执法证号 ${certNo} 属于${deptName}的执法人员：不能由本部门导入修改或调入本部门`,
  };
}

/**
 * The departments a cell names: each name (co-leads split, `multiple`) decided by the user's
 * mapping, then the directory. Unresolved names reject the row (DEPARTMENT_UNMAPPED /
 * DEPARTMENT_AMBIGUOUS): nothing is filed under a department nobody chose.
 */
function cellDepartments(
  names: DepartmentNames,
  cell: string,
  at: { field: string; header: string; rowNumber: number; multiple: boolean },
  reasons: ImporterReason[],
): { ids: number[]; skipped: boolean } {
  const parts = at.multiple ? names.split(cell) : [cell.trim()];
  const ids: number[] = [];
  let skipped = 0;
  let mapped = false;
  for (const part of parts) {
    const o = names.outcome(part, at);
    if (o.kind === 'skip') skipped++;
    else if (o.kind === 'ids') {
      mapped ||= o.mapped;
      for (const id of o.ids) if (!ids.includes(id)) ids.push(id);
    } else if (o.resolution.kind === 'ambiguous') {
      const which = o.resolution.ids.map((id) => names.byId.get(id)?.name ?? String(id)).join('、');
      reasons.push(deptReason('DEPARTMENT_AMBIGUOUS', at.field, at.header, part, `（${which}）`));
    } else reasons.push(deptReason('DEPARTMENT_UNMAPPED', at.field, at.header, part));
  }
  if (mapped) reasons.push(deptReason('DEPARTMENT_MAPPED', at.field, at.header, cell.trim()));
  if (skipped > 0 && ids.length === 0 && !reasons.some((r) => r.severity === 'error' && r.field === at.field))
    reasons.push(deptReason('DEPARTMENT_SKIPPED', at.field, at.header, cell.trim()));
  else if (skipped > 0 && ids.length > 0)
    reasons.push(deptReason('DEPARTMENT_PART_SKIPPED', at.field, at.header, cell.trim()));
  return { ids, skipped: skipped > 0 && ids.length === 0 };
}

/**
 * Inspectors (所属部门) and items (编制单位) name their department the same way; an item row may
 * name co-lead departments (`multiple`: the item is listed for each). A row naming a department
 * the uploader may not write is rejected with DEPARTMENT_FORBIDDEN (access.ts decides). A row
 * without a department takes `fallbackDept` (the department chosen for the upload, or a
 * department admin's own) — never the joint office's own department by default.
 */
export function departmentResolver<R extends { departmentName: string | null }>(
  label: string,
  what: string,
  actor: Actor,
  names: DepartmentNames,
  fallbackDept: number | undefined,
  multiple: boolean,
  extra?: (r: R, departmentId: number, reasons: ImporterReason[], meta: FileMeta) => void,
): Resolver<R> {
  return (r, reasons, meta, rowNumber) => {
    const h = header(meta, 'departmentName', label);
    let ids: number[] = [];
    if (r.departmentName) {
      ids = cellDepartments(
        names,
        r.departmentName,
        { field: 'departmentName', header: h, rowNumber, multiple },
        reasons,
      ).ids;
      const forbidden = ids.filter((id) => !mayWriteDepartment(actor, id));
      if (forbidden.length) reasons.push(forbiddenDept('departmentName', h, r.departmentName, what));
    } else if (fallbackDept !== undefined) ids = [fallbackDept];
    else reasons.push(deptReason('DEPARTMENT_REQUIRED', 'departmentName', h));
    const first = ids[0];
    if (first !== undefined && extra && ids.every((id) => mayWriteDepartment(actor, id)))
      extra(r, first, reasons, meta);
    return { departmentId: first ?? null, departmentIds: ids };
  };
}

/**
 * The inspectors a row would update (writeInspectors: same certificate number and name) must be
 * the uploader's to write: another department's inspector is neither changed nor moved.
 */
export async function inspectorGuard(db: Tx | Services['database']['db'], actor: Actor) {
  if (mayWriteDepartment(actor, null)) return undefined; // the joint office and the system write any
  const rows = await db
    .select({
      certNo: inspectors.certNo,
      name: inspectors.name,
      departmentId: inspectors.departmentId,
      departmentName: departments.name,
    })
    .from(inspectors)
    .innerJoin(departments, eq(departments.id, inspectors.departmentId))
    .where(sql`${inspectors.certNo} is not null`);
  const byCert = new Map(rows.map((r) => [r.certNo!, r]));
  return (r: InspectorRecord, _departmentId: number, reasons: ImporterReason[], meta: FileMeta) => {
    const found = r.certNo ? byCert.get(r.certNo) : undefined;
    if (found && found.name === r.name && !mayWriteDepartment(actor, found.departmentId))
      reasons.push(otherDeptInspector(header(meta, 'certNo', '执法证号'), r.certNo!, found.departmentName));
  };
}

/** The joint list: 发起部门 (co-leads: the first leads, the others cooperate) and 配合部门. */
export function jointResolver(names: DepartmentNames): Resolver<JointItemRecord> {
  return (r, reasons, meta, rowNumber) => {
    const leadHeader = header(meta, 'leadDepartmentName', '发起部门');
    const leads = cellDepartments(
      names,
      r.leadDepartmentName,
      { field: 'leadDepartmentName', header: leadHeader, rowNumber, multiple: true },
      reasons,
    ).ids;
    const lead = leads[0];
    const coop: number[] = leads.slice(1);
    const coopHeader = header(meta, 'cooperatingDepartmentNames', '配合部门');
    for (const n of r.cooperatingDepartmentNames) {
      const { ids } = cellDepartments(
        names,
        n,
        { field: 'cooperatingDepartmentNames', header: coopHeader, rowNumber, multiple: true },
        reasons,
      );
      for (const id of ids) if (id !== lead && !coop.includes(id)) coop.push(id);
    }
    return { leadDepartmentId: lead ?? null, cooperatingDepartmentIds: coop };
  };
}

export function actorDept(actor: Actor, req: { departmentId?: number | undefined }): number | undefined {
  if (req.departmentId !== undefined) return req.departmentId;
  return actor.kind === 'user' && actor.departmentId !== null ? actor.departmentId : undefined;
}
