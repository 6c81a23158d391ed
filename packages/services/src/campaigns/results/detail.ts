/**
 * One result as staff see it: its codes, its per-item results, its follow-ups, its attachments
 * (names only), its corrections, the last rejection reason and the enterer's answer, and where it
 * stands against its publicity deadline.
 */
import { asc, eq } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import {
  entities,
  followUps,
  items,
  resultCorrections,
  resultItems,
  results,
  targets,
  tasks,
} from '@choucha/db';
import type { Actor, Services } from '../../context.ts';
import { assertMayReadResult, listAttachments } from './attachments.ts';
import { resultDeadlines } from './deadlines.ts';
import { publicityStanding } from './review-queue.ts';

export async function getResult(svc: Services, actor: Actor, resultId: number) {
  const db = svc.database.db;
  const [r] = await db
    .select({
      result: results,
      taskName: tasks.name,
      entityName: entities.name,
      key: targets.key,
    })
    .from(results)
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(eq(results.id, resultId));
  if (!r) throw new AppError('NOT_FOUND', `No result ${resultId}`);
  await assertMayReadResult(db, actor, r.result);
  const x = r.result;
  const [its, fus, atts, corr, dl] = await Promise.all([
    db
      .select({
        itemId: resultItems.itemId,
        name: items.name,
        outcome: resultItems.outcome,
        codes: resultItems.codes,
        note: resultItems.note,
      })
      .from(resultItems)
      .innerJoin(items, eq(items.id, resultItems.itemId))
      .where(eq(resultItems.resultId, x.id))
      .orderBy(asc(resultItems.itemId)),
    db.select().from(followUps).where(eq(followUps.resultId, x.id)).orderBy(asc(followUps.id)),
    listAttachments(db, x.id),
    db
      .select()
      .from(resultCorrections)
      .where(eq(resultCorrections.resultId, x.id))
      .orderBy(asc(resultCorrections.version)),
    resultDeadlines(svc),
  ]);
  return {
    id: x.id,
    targetId: x.targetId,
    taskId: x.taskId,
    taskName: r.taskName,
    entityName: r.entityName,
    key: r.key,
    departmentId: x.departmentId,
    codes: x.codes,
    followUps: x.followUps,
    note: x.note,
    inspectedOn: String(x.inspectedOn),
    status: x.status,
    reviewNote: x.reviewNote,
    response: x.response,
    approvedAt: x.approvedAt?.toISOString() ?? null,
    publishedAt: x.publishedAt?.toISOString() ?? null,
    version: x.version,
    deadline: publicityStanding(dl, { inspectedOn: String(x.inspectedOn), publishedAt: x.publishedAt }),
    items: its,
    followUpActions: fus.map((f) => ({
      id: f.id,
      action: f.action,
      state: f.state,
      dueOn: f.dueOn === null ? null : String(f.dueOn),
      receivingDepartment: f.receivingDepartment,
      recheckOn: f.recheckOn === null ? null : String(f.recheckOn),
      recheckResult: f.recheckResult,
      deadline: f.state === 'open' && f.dueOn !== null ? dl.state(String(f.dueOn)) : null,
    })),
    attachments: atts,
    corrections: corr.map((c) => ({
      version: c.version,
      reason: c.reason,
      correctedAt: c.correctedAt.toISOString(),
      before: c.before,
    })),
  };
}
