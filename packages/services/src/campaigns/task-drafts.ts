/**
 * Draft tasks (issue 9 §1): edited and deleted only before any commitment (a published commitment
 * fixes the task: escalate or redraw with a reason instead), audited with before and after; and the
 * task form's preview of a task not yet saved (roster and per-class sizes for its maxMode).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import {
  departments,
  draws,
  itemEditions,
  items,
  taskItems,
  taskPartners,
  tasks,
  type Db,
  type PartnerState,
  type Tx,
} from '@choucha/db';
import { assertDepartment, authorize } from '../access.ts';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';
import { createTask, loadTask, validateSampling, type CreateTaskInput } from '../tasks.ts';
import { previewTask } from './draw-commit.ts';

/** The editable fields of a draft (the department that runs it is fixed; delete and recreate). */
export type UpdateTaskInput = Omit<CreateTaskInput, 'departmentId' | 'planId' | 'batchId'>;

async function lockDraft(tx: Tx, actor: Actor, taskId: number) {
  await tx.execute(sql`select id from ${tasks} where id = ${taskId} for update`);
  const task = await loadTask(tx, taskId);
  assertDepartment(actor, [task.departmentId], 'write');
  const [d] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(draws)
    .where(eq(draws.taskId, taskId));
  if (task.status !== 'draft' || Number(d?.n ?? 0) > 0)
    throw new AppError(
      'TASK_NOT_DRAFT',
      `Task ${taskId} is ${task.status} with ${Number(d?.n ?? 0)} draw(s): it can no longer be edited or deleted`,
      { status: task.status },
    );
  return task;
}

async function snapshot(tx: Tx, task: typeof tasks.$inferSelect) {
  const itemRows = await tx
    .select({ itemId: taskItems.itemId })
    .from(taskItems)
    .where(eq(taskItems.taskId, task.id))
    .orderBy(asc(taskItems.itemId));
  const partners = await tx
    .select({ departmentId: taskPartners.departmentId, state: taskPartners.state })
    .from(taskPartners)
    .where(eq(taskPartners.taskId, task.id))
    .orderBy(asc(taskPartners.departmentId));
  return {
    name: task.name,
    windowStart: task.windowStart,
    windowEnd: task.windowEnd,
    scope: task.scope ?? null,
    sampling: task.sampling,
    itemIds: itemRows.map((r) => r.itemId),
    partners,
  };
}

export async function updateTask(svc: Services, actor: Actor, taskId: number, input: UpdateTaskInput) {
  authorize(actor, 'task.write');
  if (input.windowEnd < input.windowStart)
    throw new AppError('DATE_RANGE_INVALID', 'The time window ends before it starts', { field: 'windowEnd' });
  validateSampling(input.sampling);
  if (input.itemIds.length === 0)
    throw new AppError('ITEM_NOT_IN_LIST', 'The task cites no item', { field: 'itemIds' });
  await inTransaction(svc, actor, async (tx, audit) => {
    const task = await lockDraft(tx, actor, taskId);
    const before = await snapshot(tx, task);
    const wanted = [...new Set(input.jointDepartmentIds.filter((d) => d !== task.departmentId))];
    if (wanted.length > 0) {
      const ds = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(inArray(departments.id, wanted));
      if (ds.length !== wanted.length)
        throw new AppError('VALIDATION_FAILED', 'Unknown cooperating department', {
          field: 'jointDepartmentIds',
        });
    }
    // partners: kept with their answer; a department no longer named leaves; a new one is invited
    const kept = before.partners.filter((p) => wanted.includes(p.departmentId));
    const removed = before.partners
      .filter((p) => !wanted.includes(p.departmentId))
      .map((p) => p.departmentId);
    const added = wanted.filter((d) => !before.partners.some((p) => p.departmentId === d));
    const bindsAtOnce = actor.kind === 'system';
    const allowed = [
      task.departmentId,
      ...kept.filter((p) => p.state !== 'declined').map((p) => p.departmentId),
      ...added,
    ];
    // 清单之外无检查: every item on a published edition of a participating department
    const found = await tx
      .select({ id: items.id, departmentId: items.departmentId, status: itemEditions.status })
      .from(items)
      .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
      .where(inArray(items.id, input.itemIds));
    for (const id of input.itemIds) {
      const it = found.find((f) => f.id === id);
      if (!it || it.status !== 'published' || !allowed.includes(it.departmentId))
        throw new AppError(
          'ITEM_NOT_IN_LIST',
          `Item ${id} is not on the published list of a participating department`,
          { itemId: id },
        );
    }
    if (removed.length)
      await tx
        .delete(taskPartners)
        .where(and(eq(taskPartners.taskId, taskId), inArray(taskPartners.departmentId, removed)));
    const now = svc.clock();
    if (added.length)
      await tx.insert(taskPartners).values(
        added.map((d) => ({
          taskId,
          departmentId: d,
          state: (bindsAtOnce ? 'accepted' : 'invited') as PartnerState,
          invitedBy: actor.kind === 'user' ? actor.id : null,
          invitedAt: now,
          answeredAt: bindsAtOnce ? now : null,
          note: bindsAtOnce ? 'bound by system' : null,
        })),
      );
    const bound = [
      ...task.jointDepartmentIds.filter((d) => wanted.includes(d)),
      ...(bindsAtOnce ? added : []),
    ];
    await tx
      .update(tasks)
      .set({
        name: input.name,
        year: Number(input.windowStart.slice(0, 4)),
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
        scope: input.scope ?? null,
        directed: input.scope !== undefined && Object.values(input.scope).some((v) => v && v.length > 0),
        sampling: input.sampling,
        usesRiskClass: input.sampling.classes !== undefined,
        jointDepartmentIds: [...new Set(bound)],
        isJoint: kept.some((p) => p.state !== 'declined') || added.length > 0,
      })
      .where(eq(tasks.id, taskId));
    await tx.delete(taskItems).where(eq(taskItems.taskId, taskId));
    await tx.insert(taskItems).values([...new Set(input.itemIds)].map((itemId) => ({ taskId, itemId })));
    const after = await snapshot(tx, await loadTask(tx, taskId));
    await audit({
      action: 'task.update',
      subjectType: 'task',
      subjectId: taskId,
      departmentId: task.departmentId,
      before,
      after,
    });
  });
}

export async function deleteTask(svc: Services, actor: Actor, taskId: number) {
  authorize(actor, 'task.write');
  await inTransaction(svc, actor, async (tx, audit) => {
    const task = await lockDraft(tx, actor, taskId);
    const before = await snapshot(tx, task);
    // items and partners go with the task (on delete cascade); a plan batch's link is cleared
    await tx.delete(tasks).where(eq(tasks.id, taskId));
    await audit({
      action: 'task.delete',
      subjectType: 'task',
      subjectId: taskId,
      departmentId: task.departmentId,
      before: { ...before, status: task.status, batchId: task.batchId ?? null, planId: task.planId ?? null },
      after: null,
    });
  });
  return { id: taskId, deleted: true as const };
}

class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * The task form's preview before the task is saved: the task is created and previewed in one
 * transaction that is rolled back (nothing is stored, nothing audited). Same answer as previewDraw.
 */
export async function previewTaskSampling(svc: Services, actor: Actor, input: CreateTaskInput) {
  authorize(actor, 'draw.write');
  try {
    await (svc.database.db as Db).transaction(async (tx) => {
      const id = await createTask(svc, actor, input, { tx, audit: async () => {} });
      throw new Rollback(await previewTask(tx, await loadTask(tx, id)));
    });
  } catch (e) {
    if (e instanceof Rollback) return e.value as Awaited<ReturnType<typeof previewTask>>;
    throw e;
  }
  throw new Error('Invariant: the preview transaction must roll back');
}
