/**
 * The department directory (联席会议成员单位): create, edit, deactivate / reactivate, delete one
 * without history. Only the joint office writes; everyone signed in reads (a department's staff
 * see their own department and those below it, read-only). Every change is audited in the same
 * transaction; the one lead bureau changes only when the caller says so (`replaceLead`).
 */
import { asc, eq, sql } from 'drizzle-orm';
import {
  AppError,
  DEPARTMENT_LEVELS,
  departmentProblem,
  foldDepartmentName,
  normalisePhone,
  type DepartmentLevel,
  type DepartmentProblem,
  type ErrorCode,
} from '@choucha/core';
import { departments, type Executor } from '@choucha/db';
import { authorize, seesAllDepartments } from '../access.ts';
import { inTransaction, type AuditInput } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { visibleDepartmentIds } from '../directories.ts';
import { assertJointAdmin } from './organisation.ts';

export type DepartmentRecord = typeof departments.$inferSelect;

export interface DepartmentInput {
  name: string;
  shortName?: string | null | undefined;
  /** generated (D001 …) when absent */
  code?: string | null | undefined;
  aliases?: readonly string[] | undefined;
  level?: DepartmentLevel | undefined;
  parentId?: number | null | undefined;
  isLead?: boolean | undefined;
  /** make this the lead bureau even though another one is (that one stops being the lead) */
  replaceLead?: boolean | undefined;
  regionCode?: string | null | undefined;
  contactName?: string | null | undefined;
  contactPhone?: string | null | undefined;
}

export type DepartmentPatch = { [K in keyof DepartmentInput]?: DepartmentInput[K] | undefined };

const LEVEL_RANK: Record<string, number> = { province: 0, city: 1, district: 2 };
export const levelRank = (l: string): number => LEVEL_RANK[l] ?? 2;

const CODE_RE = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_TEXT = 100;

/** Serialises every write of the department directory (lead uniqueness, codes, parents). */
export async function lockDepartments(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7215003)`);
}

const text = (s: string | null | undefined): string => (s ?? '').normalize('NFKC').trim();

/** The department as it would be stored, and what is wrong with it, against the others. */
export interface CheckedDepartment {
  values: {
    name: string;
    shortName: string;
    code: string;
    aliases: string[];
    level: DepartmentLevel;
    parentId: number | null;
    isLead: boolean;
    regionCode: string | null;
    contactName: string | null;
    contactPhone: string | null;
  };
  problems: DepartmentProblem[];
  /** the other active lead this one would replace */
  replacesLead: number | null;
}

/**
 * Check a department (new, or `selfId` with its changes applied) against all the others. `all`
 * holds every department (active or not). The parent's level and the absence of a cycle are checked.
 */
export function checkDepartment(
  input: DepartmentInput,
  all: readonly DepartmentRecord[],
  selfId: number | null,
  opts: { generatedCode?: string } = {},
): CheckedDepartment {
  const problems: DepartmentProblem[] = [];
  const name = text(input.name);
  const shortName = text(input.shortName) || name;
  let code = text(input.code);
  if (code.length === 0) code = opts.generatedCode ?? nextCode(all);
  const aliases: string[] = [];
  for (const a of input.aliases ?? []) {
    const t = text(a);
    if (t.length > 0 && t !== name && !aliases.includes(t)) aliases.push(t);
  }
  const level = input.level ?? 'district';
  const others = all.filter((d) => d.id !== selfId);
  if (name.length === 0) problems.push(departmentProblem('NAME_REQUIRED', 'name'));
  if (name.length > MAX_TEXT) problems.push(departmentProblem('TOO_LONG', 'name'));
  if (shortName.length > MAX_TEXT) problems.push(departmentProblem('TOO_LONG', 'shortName'));
  if (!CODE_RE.test(code)) problems.push(departmentProblem('CODE_FORMAT', 'code'));
  if (aliases.length > 50 || aliases.some((a) => a.length > MAX_TEXT))
    problems.push(departmentProblem('TOO_LONG', 'aliases'));
  if (!(DEPARTMENT_LEVELS as readonly string[]).includes(level))
    problems.push(departmentProblem('LEVEL_UNKNOWN', 'level'));
  const fCode = code.toLowerCase();
  if (others.some((d) => d.code.toLowerCase() === fCode))
    problems.push(departmentProblem('CODE_TAKEN', 'code'));
  const fName = foldDepartmentName(name);
  if (name.length > 0 && others.some((d) => foldDepartmentName(d.name) === fName))
    problems.push(departmentProblem('NAME_TAKEN', 'name'));
  const taken = new Set<string>();
  for (const d of others) {
    taken.add(foldDepartmentName(d.name));
    for (const a of d.aliases) taken.add(foldDepartmentName(a));
  }
  if (aliases.some((a) => taken.has(foldDepartmentName(a))))
    problems.push(departmentProblem('ALIAS_TAKEN', 'aliases'));

  let contactPhone: string | null = null;
  const rawPhone = text(input.contactPhone);
  if (rawPhone.length > 0) {
    const p = normalisePhone(rawPhone);
    if (p === undefined) problems.push(departmentProblem('PHONE_INVALID', 'contactPhone'));
    else contactPhone = p;
  }
  const contactName = text(input.contactName) || null;
  if (contactName && contactName.length > 50) problems.push(departmentProblem('TOO_LONG', 'contactName'));
  const regionCode = text(input.regionCode) || null;
  if (regionCode !== null && !/^[0-9]{6}$/.test(regionCode))
    problems.push(departmentProblem('CODE_FORMAT', 'regionCode'));

  const parentId = input.parentId ?? null;
  if (parentId !== null) {
    const parent = others.find((d) => d.id === parentId);
    if (!parent || !parent.active) problems.push(departmentProblem('PARENT_UNKNOWN', 'parentId'));
    else if (levelRank(parent.level) >= levelRank(level))
      problems.push(departmentProblem('PARENT_LEVEL', 'parentId'));
    else if (selfId !== null) {
      // no cycle: walking up from the parent never reaches this department
      const byId = new Map(all.map((d) => [d.id, d]));
      let cur: number | null = parentId;
      for (let n = 0; cur !== null && n <= all.length; n++) {
        if (cur === selfId) {
          problems.push(departmentProblem('PARENT_LEVEL', 'parentId'));
          break;
        }
        cur = byId.get(cur)?.parentId ?? null;
      }
    }
  }
  const isLead = input.isLead ?? false;
  let replacesLead: number | null = null;
  if (isLead) {
    const other = others.find((d) => d.isLead && d.active);
    if (other) {
      if (input.replaceLead) replacesLead = other.id;
      else problems.push(departmentProblem('LEAD_MULTIPLE', 'isLead'));
    }
  }
  return {
    values: {
      name,
      shortName,
      code,
      aliases,
      level,
      parentId,
      isLead,
      regionCode,
      contactName,
      contactPhone,
    },
    problems,
    replacesLead,
  };
}

/** The next free generated code D001, D002 … */
export function nextCode(all: readonly { code: string }[], taken: ReadonlySet<string> = new Set()): string {
  const used = new Set([...all.map((d) => d.code.toLowerCase()), ...[...taken].map((c) => c.toLowerCase())]);
  for (let n = all.length + 1; ; n++) {
    const c = `D${String(n).padStart(3, '0')}`;
    if (!used.has(c.toLowerCase())) return c;
  }
}

const PROBLEM_ERROR: Partial<Record<DepartmentProblem['code'], ErrorCode>> = {
  PHONE_INVALID: 'DEPARTMENT_PHONE_INVALID',
  CODE_TAKEN: 'DEPARTMENT_CODE_TAKEN',
  NAME_TAKEN: 'DEPARTMENT_NAME_TAKEN',
  LEAD_MULTIPLE: 'DEPARTMENT_LEAD_EXISTS',
  PARENT_UNKNOWN: 'DEPARTMENT_PARENT_INVALID',
  PARENT_LEVEL: 'DEPARTMENT_PARENT_INVALID',
};

function throwProblems(problems: DepartmentProblem[]): void {
  if (problems.length === 0) return;
  const code =
    problems.length === 1 ? (PROBLEM_ERROR[problems[0]!.code] ?? 'DEPARTMENT_INVALID') : 'DEPARTMENT_INVALID';
  throw new AppError(code, problems.map((p) => `${p.field}: ${p.en}`).join('; '), { problems });
}

export async function allDepartments(ex: Executor): Promise<DepartmentRecord[]> {
  return ex.select().from(departments).orderBy(asc(departments.id));
}

function auditView(d: DepartmentRecord | CheckedDepartment['values']) {
  return {
    code: d.code,
    name: d.name,
    shortName: d.shortName,
    aliases: d.aliases,
    level: d.level,
    parentId: d.parentId,
    isLead: d.isLead,
    regionCode: d.regionCode,
    contactName: d.contactName,
    contactPhone: d.contactPhone,
    ...('active' in d ? { active: d.active } : {}),
  };
}

export interface DepartmentList {
  items: DepartmentRecord[];
  /** whether the caller may change the directory */
  canWrite: boolean;
}

/**
 * The directory as the management page shows it: all departments for the joint office and
 * leaders, the own department and those below it for everyone else; inactive ones on request.
 */
export async function listDepartmentDirectory(
  svc: Services,
  actor: Actor,
  opts: { includeInactive?: boolean } = {},
): Promise<DepartmentList> {
  authorize(actor, 'directory.read');
  const db = svc.database.db as Executor;
  const visible = await visibleDepartmentIds(db, actor);
  const all = await allDepartments(db);
  const items = all.filter(
    (d) => (opts.includeInactive || d.active) && (visible === undefined || visible.includes(d.id)),
  );
  const canWrite = actor.kind === 'system' || (actor.kind === 'user' && actor.role === 'joint_admin');
  return { items, canWrite };
}

export async function getDepartmentRecord(
  svc: Services,
  actor: Actor,
  id: number,
): Promise<DepartmentRecord> {
  authorize(actor, 'directory.read');
  const db = svc.database.db as Executor;
  const [row] = await db.select().from(departments).where(eq(departments.id, id)).limit(1);
  const visible = seesAllDepartments(actor) ? undefined : await visibleDepartmentIds(db, actor);
  if (!row || (visible !== undefined && !visible.includes(id))) throw new AppError('DEPARTMENT_NOT_FOUND');
  return row;
}

async function unsetLead(
  tx: Executor,
  svc: Services,
  audit: (i: AuditInput) => Promise<void>,
  id: number,
  newLead: number | null,
): Promise<void> {
  await tx.update(departments).set({ isLead: false, updatedAt: svc.clock() }).where(eq(departments.id, id));
  await audit({
    action: 'department.lead',
    subjectType: 'department',
    subjectId: id,
    before: { isLead: true },
    after: { isLead: false, replacedBy: newLead },
  });
}

export async function createDepartment(
  svc: Services,
  actor: Actor,
  input: DepartmentInput,
): Promise<DepartmentRecord> {
  assertJointAdmin(actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    await lockDepartments(tx);
    const all = await allDepartments(tx);
    const c = checkDepartment(input, all, null);
    throwProblems(c.problems);
    const [row] = await tx
      .insert(departments)
      .values({ ...c.values, createdAt: svc.clock(), updatedAt: svc.clock() })
      .returning();
    if (c.replacesLead !== null) await unsetLead(tx, svc, audit, c.replacesLead, row!.id);
    await audit({
      action: 'department.create',
      subjectType: 'department',
      subjectId: row!.id,
      after: auditView(row!),
    });
    return row!;
  });
}

export async function updateDepartment(
  svc: Services,
  actor: Actor,
  id: number,
  patch: DepartmentPatch,
): Promise<DepartmentRecord> {
  assertJointAdmin(actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    await lockDepartments(tx);
    const all = await allDepartments(tx);
    const cur = all.find((d) => d.id === id);
    if (!cur) throw new AppError('DEPARTMENT_NOT_FOUND');
    const merged: DepartmentInput = {
      name: patch.name ?? cur.name,
      shortName: patch.shortName !== undefined ? patch.shortName : cur.shortName,
      code: patch.code ?? cur.code,
      aliases: patch.aliases ?? cur.aliases,
      level: patch.level ?? (cur.level as DepartmentLevel),
      parentId: patch.parentId !== undefined ? patch.parentId : cur.parentId,
      isLead: patch.isLead ?? cur.isLead,
      replaceLead: patch.replaceLead,
      regionCode: patch.regionCode !== undefined ? patch.regionCode : cur.regionCode,
      contactName: patch.contactName !== undefined ? patch.contactName : cur.contactName,
      contactPhone: patch.contactPhone !== undefined ? patch.contactPhone : cur.contactPhone,
    };
    const c = checkDepartment(merged, all, id);
    // an unchanged parent that has since been deactivated does not block other edits
    const problems = c.problems.filter(
      (p) => !(p.code === 'PARENT_UNKNOWN' && patch.parentId === undefined && cur.parentId !== null),
    );
    if (c.values.isLead && !cur.active) problems.push(departmentProblem('LEAD_MULTIPLE', 'isLead'));
    throwProblems(problems);
    if (c.replacesLead !== null) await unsetLead(tx, svc, audit, c.replacesLead, id);
    const [row] = await tx
      .update(departments)
      .set({ ...c.values, updatedAt: svc.clock() })
      .where(eq(departments.id, id))
      .returning();
    await audit({
      action: 'department.update',
      subjectType: 'department',
      subjectId: id,
      before: auditView(cur),
      after: auditView(row!),
    });
    return row!;
  });
}

/**
 * Deactivate (it leaves the pickers, keeps its history and its name in old records) or
 * reactivate. The lead bureau and a department with active departments below it stay active.
 */
export async function setDepartmentActive(
  svc: Services,
  actor: Actor,
  id: number,
  active: boolean,
): Promise<DepartmentRecord> {
  assertJointAdmin(actor);
  return inTransaction(svc, actor, async (tx, audit) => {
    await lockDepartments(tx);
    const all = await allDepartments(tx);
    const cur = all.find((d) => d.id === id);
    if (!cur) throw new AppError('DEPARTMENT_NOT_FOUND');
    if (cur.active === active) return cur;
    if (!active) {
      if (cur.isLead)
        throw new AppError(
          'DEPARTMENT_IN_USE',
          'The lead bureau cannot be deactivated; make another one the lead first',
          {
            reason: 'lead',
          },
        );
      const children = all.filter((d) => d.parentId === id && d.active).map((d) => d.id);
      if (children.length > 0)
        throw new AppError('DEPARTMENT_IN_USE', 'Active departments are below this one', {
          reason: 'children',
          children,
        });
    } else if (cur.parentId !== null && !all.find((d) => d.id === cur.parentId)?.active) {
      throw new AppError('DEPARTMENT_PARENT_INVALID', 'Reactivate the parent department first', {
        parentId: cur.parentId,
      });
    }
    const [row] = await tx
      .update(departments)
      .set({ active, updatedAt: svc.clock() })
      .where(eq(departments.id, id))
      .returning();
    await audit({
      action: active ? 'department.reactivate' : 'department.deactivate',
      subjectType: 'department',
      subjectId: id,
      before: { active: cur.active },
      after: { active },
    });
    return row!;
  });
}

/**
 * The tables and columns that mention a department (found in the catalogue, so a table added
 * later counts too): its history. departments.parent_id counts as well.
 */
export async function departmentHistory(ex: Executor, id: number): Promise<string[]> {
  const cols = (await ex.execute(sql`
    select table_name as t, column_name as c, data_type as dt from information_schema.columns
    where table_schema = current_schema()
      and (column_name like '%department_id' or column_name like '%department_ids' or (table_name = 'departments' and column_name = 'parent_id'))
      and not (table_name = 'departments' and column_name <> 'parent_id')
    order by table_name, column_name`)) as unknown as
    { rows: { t: string; c: string; dt: string }[] } | { t: string; c: string; dt: string }[];
  const list = Array.isArray(cols) ? cols : cols.rows;
  const found: string[] = [];
  for (const { t, c, dt } of list) {
    const cond = dt === 'ARRAY' ? sql`${id} = any(${sql.identifier(c)})` : sql`${sql.identifier(c)} = ${id}`;
    const r = (await ex.execute(
      sql`select 1 as x from ${sql.identifier(t)} where ${cond} limit 1`,
    )) as unknown as { rows: unknown[] } | unknown[];
    if ((Array.isArray(r) ? r : r.rows).length > 0) found.push(`${t}.${c}`);
  }
  return found;
}

/** Delete a department that nothing refers to (a typo of the setup); one with history is refused. */
export async function deleteDepartment(svc: Services, actor: Actor, id: number): Promise<void> {
  assertJointAdmin(actor);
  await inTransaction(svc, actor, async (tx, audit) => {
    await lockDepartments(tx);
    const [cur] = await tx.select().from(departments).where(eq(departments.id, id)).limit(1);
    if (!cur) throw new AppError('DEPARTMENT_NOT_FOUND');
    const history = await departmentHistory(tx, id);
    if (history.length > 0) throw new AppError('DEPARTMENT_HAS_HISTORY', undefined, { references: history });
    await tx.delete(departments).where(eq(departments.id, id));
    await audit({
      action: 'department.delete',
      subjectType: 'department',
      subjectId: id,
      before: auditView(cur),
    });
  });
}
