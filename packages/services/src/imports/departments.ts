/** Departments named in a file: matching by name, short name or code, and the per-row reasons. */
import { eq, sql } from 'drizzle-orm';
import { departments, inspectors, type Tx } from '@choucha/db';
import type { InspectorRecord, JointItemRecord, RowReason as ImporterReason } from '@choucha/importer';
import { mayWriteDepartment } from '../access.ts';
import type { Actor, Services } from '../context.ts';
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

function unknownDept(field: string, header: string, value: string): ImporterReason {
  return {
    code: 'DEPARTMENT_UNKNOWN' as ImporterReason['code'],
    severity: 'error',
    field,
    header,
    value,
    zh: `【${header}】部门“${value}”不在部门名录中（按全称、简称或代码匹配）`,
  };
}

function noDept(field: string, header: string): ImporterReason {
  return {
    code: 'DEPARTMENT_MISSING' as ImporterReason['code'],
    severity: 'error',
    field,
    header,
    zh: `【${header}】缺少部门，且导入人没有所属部门`,
  };
}

/** A row naming a department the uploader may not write (access.ts: mayWriteDepartment). */
function forbiddenDept(field: string, header: string, value: string, what: string): ImporterReason {
  return {
    code: 'DEPARTMENT_FORBIDDEN' as ImporterReason['code'],
    severity: 'error',
    field,
    header,
    value,
    zh: `【${header}】“${value}”不是导入人所在的部门：只能导入本部门的${what}（其他部门的数据由该部门或联合办公室导入）`,
  };
}

/** An inspector file row whose certificate number is another department's inspector. */
function otherDeptInspector(header: string, certNo: string, deptName: string): ImporterReason {
  return {
    code: 'INSPECTOR_OTHER_DEPARTMENT' as ImporterReason['code'],
    severity: 'error',
    field: 'certNo',
    header,
    value: certNo,
    zh: `【${header}】执法证号 ${certNo} 属于${deptName}的执法人员：不能由本部门导入修改或调入本部门`,
  };
}

/**
 * Inspectors (所属部门) and items (编制单位) name their department the same way. A row naming a
 * department the uploader may not write is rejected with DEPARTMENT_FORBIDDEN (access.ts decides).
 */
export function departmentResolver<R extends { departmentName: string | null }>(
  label: string,
  what: string,
  actor: Actor,
  match: (t: string | null) => number | undefined,
  fallbackDept: number | undefined,
  extra?: (r: R, departmentId: number, reasons: ImporterReason[], meta: FileMeta) => void,
): Resolver<R> {
  return (r, reasons, meta) => {
    const h = header(meta, 'departmentName', label);
    let id: number | undefined;
    if (r.departmentName) {
      id = match(r.departmentName);
      if (id === undefined) reasons.push(unknownDept('departmentName', h, r.departmentName));
      else if (!mayWriteDepartment(actor, id))
        reasons.push(forbiddenDept('departmentName', h, r.departmentName, what));
    } else {
      id = fallbackDept;
      if (id === undefined) reasons.push(noDept('departmentName', h));
    }
    if (id !== undefined && extra && mayWriteDepartment(actor, id)) extra(r, id, reasons, meta);
    return { departmentId: id ?? null };
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

export function jointResolver(match: (t: string | null) => number | undefined): Resolver<JointItemRecord> {
  return (r, reasons, meta) => {
    const lead = match(r.leadDepartmentName);
    if (lead === undefined)
      reasons.push(
        unknownDept(
          'leadDepartmentName',
          header(meta, 'leadDepartmentName', '发起部门'),
          r.leadDepartmentName,
        ),
      );
    const coop: number[] = [];
    for (const n of r.cooperatingDepartmentNames) {
      const id = match(n);
      if (id === undefined)
        reasons.push(
          unknownDept(
            'cooperatingDepartmentNames',
            header(meta, 'cooperatingDepartmentNames', '配合部门'),
            n,
          ),
        );
      else if (id !== lead && !coop.includes(id)) coop.push(id);
    }
    return { leadDepartmentId: lead ?? null, cooperatingDepartmentIds: coop };
  };
}

export function actorDept(actor: Actor, req: { departmentId?: number | undefined }): number | undefined {
  if (req.departmentId !== undefined) return req.departmentId;
  return actor.kind === 'user' && actor.departmentId !== null ? actor.departmentId : undefined;
}
