import { eq, isNull, or, type Column, type SQL } from 'drizzle-orm';
import { AppError, type ErrorCode } from '@choucha/core';
import { departments, type Executor, type Role } from '@choucha/db';
import type { Actor } from './context.ts';

/**
 * The one place where access is decided. Every service calls `authorize` before it reads or
 * changes anything; department scoping is `assertDepartment` (tasks, draws, results),
 * `assertMayWriteDepartment` (a row that belongs to a department: an inspector, an item list, an
 * import, an exclusion, a partner's answer) and `assertMayWriteMasterData` (shared master data:
 * an entity's registration facts, the 重错码 queue, the joint item list). The matrix test in
 * apps/server/src/access-matrix.test.ts checks every role against every route, with the
 * department carried in the URL, in the body, in the query and in the rows of an uploaded file.
 *
 * Who writes what (docs/security.md):
 * - the joint office (joint_admin) and the system actor (CLI, demo replay): every department's rows
 *   and the shared master data;
 * - a department admin: its own department's rows only; the shared master data only when the
 *   department is the lead bureau (departments.is_lead, the market-supervision bureau);
 * - an inspector: results of targets whose team he is on; leaders and supervisors: nothing;
 *   anonymous: nothing but logging in.
 *
 * The supervisor (监督员: the discipline-inspection office or a notary, draw-protocol-v2 §1) reads
 * the tasks, draws and results of every department and the audit log, and downloads a draw's
 * FULL bundle (`draw.verify`: each entity's stratum, the real inspector pool) to verify it; he
 * writes nothing (the matrix test asserts 403 on every write route).
 */
export const PERMISSIONS = {
  'user.manage': ['joint_admin'],
  'directory.read': ['joint_admin', 'dept_admin', 'inspector', 'leader', 'supervisor'],
  'directory.import': ['joint_admin', 'dept_admin'],
  /** the supervisor too: the full bundle names each entity's stratum, the draw its label → class map */
  'directory.riskClass': ['joint_admin', 'dept_admin', 'leader', 'supervisor'],
  'task.read': ['joint_admin', 'dept_admin', 'inspector', 'leader', 'supervisor'],
  'task.write': ['joint_admin', 'dept_admin'],
  'draw.write': ['joint_admin', 'dept_admin'],
  /**
   * A draw's full bundle (draw-protocol-v2 §1, §11: the openings and the private matching record):
   * the supervisor and the joint office for every draw, a department admin for his department's.
   */
  'draw.verify': ['joint_admin', 'dept_admin', 'supervisor'],
  'plan.read': ['joint_admin', 'dept_admin', 'leader'],
  'plan.write': ['joint_admin', 'dept_admin'],
  'plan.approve': ['joint_admin'],
  'result.enter': ['joint_admin', 'dept_admin', 'inspector'],
  /** the department's review of its results (审核): approve or send back */
  'result.approve': ['joint_admin', 'dept_admin'],
  /** the joint office's publication (公示) and corrections (更正) */
  'result.review': ['joint_admin'],
  'dashboard.read': ['joint_admin', 'dept_admin', 'inspector', 'leader'],
  'audit.read': ['joint_admin', 'leader', 'supervisor'],
  'settings.write': ['joint_admin'],
  /** 相同对象、相近时间: detect merges, accept or decline them (the joint office). */
  'joint.merge': ['joint_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export type UserActor = Extract<Actor, { kind: 'user' }>;

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}

export function authorize(
  actor: Actor,
  permission: Permission,
): asserts actor is UserActor | Extract<Actor, { kind: 'system' }> {
  if (actor.kind === 'anonymous') throw new AppError('AUTH_REQUIRED');
  if (!can(actor, permission))
    throw new AppError('FORBIDDEN', `Role ${actorRole(actor)} may not ${permission}`);
}

function actorRole(actor: Actor): string {
  return actor.kind === 'user' ? actor.role : actor.kind;
}

/** Roles that only read, never write: leaders and supervisors. */
export function isReadOnlyRole(role: Role): boolean {
  return role === 'leader' || role === 'supervisor';
}

/** Roles that read across all departments. */
export function seesAllDepartments(actor: Actor): boolean {
  return (
    actor.kind === 'system' ||
    (actor.kind === 'user' && (actor.role === 'joint_admin' || isReadOnlyRole(actor.role)))
  );
}

/**
 * A department's staff read and change only their own department's plans, tasks, drafts and
 * unpublished results; a joint task belongs to its lead and to each cooperating department.
 * Answers 404 rather than 403 for reads, so that other departments' work is not even revealed.
 */
export function assertDepartment(
  actor: Actor,
  departmentIds: readonly number[],
  mode: 'read' | 'write',
): void {
  if (actor.kind === 'system') return;
  if (actor.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  if (actor.role === 'joint_admin') return;
  if (isReadOnlyRole(actor.role)) {
    if (mode === 'read') return;
    throw new AppError('FORBIDDEN', `Role ${actor.role} has read-only access`);
  }
  if (actor.departmentId !== null && departmentIds.includes(actor.departmentId)) return;
  if (mode === 'read') throw new AppError('NOT_FOUND');
  throw new AppError('FORBIDDEN_DEPARTMENT');
}

/** The department filter for list queries: undefined = all. */
export function departmentFilter(actor: Actor): number | undefined {
  if (seesAllDepartments(actor)) return undefined;
  if (actor.kind === 'user' && actor.departmentId !== null) return actor.departmentId;
  return -1; // a user without a department sees no department's work
}

/**
 * Rows that belong to one department (its inspectors, its item list, its supervision tags, its
 * exclusions, its answer to a joint-task invitation): the joint office and the system write any
 * department's; a department admin writes only his own department's.
 */
export function mayWriteDepartment(actor: Actor, departmentId: number | null): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  if (actor.role === 'joint_admin') return true;
  return actor.role === 'dept_admin' && departmentId !== null && actor.departmentId === departmentId;
}

export function assertMayWriteDepartment(actor: Actor, departmentId: number | null): void {
  if (actor.kind === 'anonymous') throw new AppError('AUTH_REQUIRED');
  if (mayWriteDepartment(actor, departmentId)) return;
  if (actor.kind === 'user' && actor.role !== 'dept_admin')
    throw new AppError('FORBIDDEN', `Role ${actor.role} may not write department data`);
  throw new AppError(
    'FORBIDDEN_DEPARTMENT',
    `Department ${departmentId ?? '(none)'} is not the department of the acting user`,
    { departmentId },
  );
}

/**
 * Shared master data (an entity's registration facts — name, codes, status, address …; the
 * 重错码 queue that corrects them; the joint item list) is written by the joint office, the system,
 * and the department admin of the lead bureau (departments.is_lead). Needs the database for the
 * flag; call it after `authorize`.
 */
export async function mayWriteMasterData(db: Executor, actor: Actor): Promise<boolean> {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  if (actor.role === 'joint_admin') return true;
  if (actor.role !== 'dept_admin' || actor.departmentId === null) return false;
  const [d] = await db
    .select({ isLead: departments.isLead })
    .from(departments)
    .where(eq(departments.id, actor.departmentId));
  return d?.isLead === true;
}

export async function assertMayWriteMasterData(db: Executor, actor: Actor): Promise<void> {
  if (actor.kind === 'anonymous') throw new AppError('AUTH_REQUIRED');
  if (await mayWriteMasterData(db, actor)) return;
  throw new AppError(
    'FORBIDDEN_MASTER_DATA',
    'Registration facts and the joint list are maintained by the joint office or the lead bureau',
  );
}

/**
 * The department whose supervised entities bound what an actor sees of the shared master data's
 * work queues (the 重错码 queue): undefined = everything (master-data writers, leaders); else
 * the actor's department (-1: none).
 */
export async function masterDataReadScope(db: Executor, actor: Actor): Promise<number | undefined> {
  if (seesAllDepartments(actor) || (await mayWriteMasterData(db, actor))) return undefined;
  return actor.kind === 'user' && actor.departmentId !== null ? actor.departmentId : -1;
}

/**
 * Records of one department (an import, an exclusion): the joint office, leaders and the system
 * read all; a department's staff read their own department's, the joint office's (department
 * null) only when `sharedVisible`, and what they created themselves. Answers `notFound` (404)
 * otherwise, so that another department's records are not even revealed.
 */
export function assertMayReadDepartmentRecord(
  actor: Actor,
  record: { departmentId: number | null; createdBy?: number | null },
  notFound: ErrorCode = 'NOT_FOUND',
  sharedVisible = false,
): void {
  if (mayReadDepartmentRecord(actor, record, sharedVisible)) return;
  if (actor.kind === 'anonymous') throw new AppError('AUTH_REQUIRED');
  throw new AppError(notFound);
}

export function mayReadDepartmentRecord(
  actor: Actor,
  record: { departmentId: number | null; createdBy?: number | null },
  sharedVisible = false,
): boolean {
  if (seesAllDepartments(actor)) return true;
  if (actor.kind !== 'user') return false;
  if (record.createdBy !== undefined && record.createdBy !== null && record.createdBy === actor.id)
    return true;
  if (record.departmentId === null) return sharedVisible;
  return actor.departmentId !== null && actor.departmentId === record.departmentId;
}

/**
 * `mayReadDepartmentRecord` as a query condition (undefined = no restriction): the actor's
 * department's records, the joint office's (department null) when `sharedVisible`, and those the
 * actor created.
 */
export function departmentRecordCondition(
  actor: Actor,
  departmentColumn: Column,
  createdByColumn?: Column,
  sharedVisible = false,
): SQL | undefined {
  const d = departmentFilter(actor);
  if (d === undefined) return undefined;
  const conds: SQL[] = [eq(departmentColumn, d)];
  if (sharedVisible) conds.push(isNull(departmentColumn));
  if (createdByColumn && actor.kind === 'user') conds.push(eq(createdByColumn, actor.id));
  return or(...conds);
}
