/**
 * A joint task's departments contribute their items (进一门、查多项): from their own published list,
 * or rows of the joint item list (部门联合抽查事项清单) — a row stands for the items of the
 * department's published list linked to it (the import links items of the same name). Either when
 * a cooperating department accepts the invitation (answerTaskInvitation), or later while the task
 * has no draw (the lead's or the partner's department admin, or the joint office).
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { draws, itemEditions, items, jointItems, taskItems, taskPartners, tasks, type Tx } from '@choucha/db';
import { assertMayWriteDepartment, authorize } from '../access.ts';
import { inTransaction } from '../audit.ts';
import type { Actor, Services } from '../context.ts';

export interface ItemContribution {
  itemIds?: number[] | undefined;
  /** Rows of the published joint item list. */
  jointItemIds?: number[] | undefined;
}

/**
 * Add a department's items to a task inside the caller's transaction. Every item must be on the
 * department's published list (清单之外无检查), every joint row must name the department and link
 * at least one of its items. Refused once a draw is committed. Returns the item ids added.
 */
export async function addDepartmentItems(
  tx: Tx,
  taskId: number,
  departmentId: number,
  input: ItemContribution,
): Promise<number[]> {
  const [drawn] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(draws)
    .where(eq(draws.taskId, taskId));
  if (Number(drawn?.n ?? 0) > 0)
    throw new AppError('JOINT_ITEMS_CLOSED', `Task ${taskId} has a committed draw`);
  const wanted = new Set(input.itemIds ?? []);
  const rowIds = [...new Set(input.jointItemIds ?? [])];
  const published = async (ids: number[]) =>
    ids.length === 0
      ? []
      : tx
          .select({ id: items.id, departmentId: items.departmentId })
          .from(items)
          .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
          .where(and(inArray(items.id, ids), eq(itemEditions.status, 'published')));
  if (rowIds.length) {
    const rows = await tx
      .select({
        id: jointItems.id,
        lead: jointItems.leadDepartmentId,
        cooperating: jointItems.cooperatingDepartmentIds,
        itemIds: jointItems.itemIds,
      })
      .from(jointItems)
      .innerJoin(itemEditions, eq(itemEditions.id, jointItems.editionId))
      .where(and(inArray(jointItems.id, rowIds), eq(itemEditions.status, 'published')));
    for (const id of rowIds) {
      const r = rows.find((x) => x.id === id);
      if (!r || (r.lead !== departmentId && !r.cooperating.includes(departmentId)))
        throw new AppError(
          'ITEM_NOT_IN_LIST',
          `Joint list row ${id} does not name department ${departmentId}`,
          {
            jointItemId: id,
          },
        );
      const own = (await published(r.itemIds)).filter((i) => i.departmentId === departmentId);
      if (own.length === 0)
        throw new AppError(
          'JOINT_ITEM_NOT_LINKED',
          `Joint list row ${id} links no item of department ${departmentId}`,
          {
            jointItemId: id,
          },
        );
      for (const i of own) wanted.add(i.id);
    }
  }
  const ids = [...wanted].sort((a, b) => a - b);
  const found = await published(ids);
  for (const id of ids) {
    const it = found.find((f) => f.id === id);
    if (!it || it.departmentId !== departmentId)
      throw new AppError(
        'ITEM_NOT_IN_LIST',
        `Item ${id} is not on the published list of department ${departmentId}`,
        {
          itemId: id,
        },
      );
  }
  if (ids.length === 0) return [];
  const before = await tx
    .select({ id: taskItems.itemId })
    .from(taskItems)
    .where(and(eq(taskItems.taskId, taskId), inArray(taskItems.itemId, ids)));
  const add = ids.filter((id) => !before.some((b) => b.id === id));
  if (add.length) await tx.insert(taskItems).values(add.map((itemId) => ({ taskId, itemId })));
  return add;
}

/**
 * A participating department (the lead, or a partner that has not declined) adds its items to a
 * task that has no draw yet. Audited.
 */
export async function contributeTaskItems(
  svc: Services,
  actor: Actor,
  taskId: number,
  departmentId: number,
  input: ItemContribution,
) {
  authorize(actor, 'task.write');
  return inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select id from ${tasks} where id = ${taskId} for update`);
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, taskId));
    if (!task) throw new AppError('TASK_NOT_FOUND', `No task ${taskId}`);
    const partners = await tx
      .select({ d: taskPartners.departmentId })
      .from(taskPartners)
      .where(and(eq(taskPartners.taskId, taskId), ne(taskPartners.state, 'declined')));
    const participants = [task.departmentId, ...partners.map((p) => p.d)];
    // a department that takes no part learns nothing of the task
    if (
      actor.kind === 'user' &&
      actor.role === 'dept_admin' &&
      !participants.includes(actor.departmentId ?? -1)
    )
      throw new AppError('TASK_NOT_FOUND', `No task ${taskId}`);
    if (!participants.includes(departmentId))
      throw new AppError('NOT_FOUND', `Department ${departmentId} takes no part in task ${taskId}`);
    assertMayWriteDepartment(actor, departmentId);
    const added = await addDepartmentItems(tx, taskId, departmentId, input);
    await audit({
      action: 'task.items_contributed',
      subjectType: 'task',
      subjectId: taskId,
      departmentId,
      after: { itemIds: added, jointItemIds: input.jointItemIds ?? [] },
    });
    return { added };
  });
}
