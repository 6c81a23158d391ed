/**
 * Temporarily excluded entities (e.g. under a case investigation): left out of every draw's roster
 * while the exclusion runs, each with its reason; every exclusion is audited and shows up in the
 * draw record as the reason the entity was not in the roster.
 */
import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { entities, entityExclusions } from '@choucha/db';
import {
  assertMayWriteDepartment,
  authorize,
  departmentFilter,
  departmentRecordCondition,
} from './access.ts';
import { inTransaction } from './audit.ts';
import type { Actor, Services } from './context.ts';

export interface ExclusionInput {
  reason: string;
  fromDate: string;
  toDate?: string | null | undefined;
}

export async function excludeEntity(svc: Services, actor: Actor, entityId: number, input: ExclusionInput) {
  authorize(actor, 'task.write');
  if (input.toDate && input.toDate < input.fromDate) {
    throw new AppError('DATE_RANGE_INVALID', 'The exclusion ends before it starts', { field: 'toDate' });
  }
  // A department excludes for its own draws; the joint office for everyone's.
  const departmentId = departmentFilter(actor) ?? null;
  assertMayWriteDepartment(actor, departmentId);
  return inTransaction(svc, actor, async (tx, audit) => {
    const [e] = await tx
      .select({ id: entities.id, name: entities.name })
      .from(entities)
      .where(eq(entities.id, entityId));
    if (!e) throw new AppError('NOT_FOUND', `No entity ${entityId}`);
    const [row] = await tx
      .insert(entityExclusions)
      .values({
        entityId,
        departmentId,
        reason: input.reason,
        fromDate: input.fromDate,
        toDate: input.toDate ?? null,
        createdBy: actor.kind === 'user' ? actor.id : null,
        createdAt: svc.clock(),
      })
      .returning();
    await audit({
      action: 'entity.exclude',
      subjectType: 'entity',
      subjectId: entityId,
      departmentId,
      after: {
        exclusionId: row!.id,
        reason: input.reason,
        fromDate: input.fromDate,
        toDate: input.toDate ?? null,
      },
    });
    return {
      id: row!.id,
      entityId,
      entityName: e.name,
      departmentId,
      reason: row!.reason,
      fromDate: row!.fromDate,
      toDate: row!.toDate,
    };
  });
}

/**
 * A department's exclusion reasons are internal to it: its staff (inspectors included) see their
 * own department's and the joint office's (department null, they apply to every draw); the joint
 * office and leaders see all.
 */
export async function listExclusions(svc: Services, actor: Actor, entityId?: number) {
  authorize(actor, 'task.read');
  const rows = await svc.database.db
    .select({
      id: entityExclusions.id,
      entityId: entityExclusions.entityId,
      entityName: entities.name,
      departmentId: entityExclusions.departmentId,
      reason: entityExclusions.reason,
      fromDate: entityExclusions.fromDate,
      toDate: entityExclusions.toDate,
    })
    .from(entityExclusions)
    .innerJoin(entities, eq(entities.id, entityExclusions.entityId))
    .where(
      and(
        entityId === undefined ? undefined : eq(entityExclusions.entityId, entityId),
        departmentRecordCondition(actor, entityExclusions.departmentId, undefined, true),
      ),
    )
    .orderBy(desc(entityExclusions.id))
    .limit(1000);
  return rows;
}
