import { AppError } from '@choucha/core';
import type { Role } from '@choucha/db';
import type { Actor } from './context.ts';

/**
 * The one place where access is decided. Every service calls `authorize` before it reads or
 * changes anything; department scoping is `assertDepartment`. The matrix test in
 * access.test.ts and apps/server/src/routes/access-matrix.test.ts checks every role against it.
 */
export const PERMISSIONS = {
  'user.manage': ['joint_admin'],
  'directory.read': ['joint_admin', 'dept_admin', 'inspector', 'leader'],
  'directory.import': ['joint_admin', 'dept_admin'],
  'directory.riskClass': ['joint_admin', 'dept_admin', 'leader'],
  'task.read': ['joint_admin', 'dept_admin', 'inspector', 'leader'],
  'task.write': ['joint_admin', 'dept_admin'],
  'draw.write': ['joint_admin', 'dept_admin'],
  'result.enter': ['joint_admin', 'dept_admin', 'inspector'],
  'result.review': ['joint_admin'],
  'dashboard.read': ['joint_admin', 'dept_admin', 'inspector', 'leader'],
  'audit.read': ['joint_admin', 'leader'],
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

/** Roles that read across all departments. */
export function seesAllDepartments(actor: Actor): boolean {
  return (
    actor.kind === 'system' ||
    (actor.kind === 'user' && (actor.role === 'joint_admin' || actor.role === 'leader'))
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
  if (actor.role === 'leader') {
    if (mode === 'read') return;
    throw new AppError('FORBIDDEN', 'Leaders have read-only access');
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
