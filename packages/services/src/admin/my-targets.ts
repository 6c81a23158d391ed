/**
 * An inspector's own targets: those of live draws whose team holds the inspector record linked to
 * his account (users.inspector_id), with his department's result if one was entered. An account
 * without a linked record has none — the same rule results.ts applies to entering a result.
 */
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { draws, entities, results, targetInspectors, targets, tasks } from '@choucha/db';
import { authorize } from '../access.ts';
import type { Actor, Services } from '../context.ts';
import { linkedInspectorId } from './users.ts';
import { resultDeadlines } from '../campaigns/results/deadlines.ts';
import { publicityStanding } from '../campaigns/results/review-queue.ts';

export interface MyTarget {
  targetId: number;
  taskId: number;
  taskName: string;
  windowStart: string;
  windowEnd: string;
  entityId: number;
  entityName: string;
  entityCode: string | null;
  address: string | null;
  /** this department's result: null (not entered), submitted, approved, published, rejected … */
  resultStatus: string | null;
  resultId: number | null;
  /** why the result was sent back (the enterer answers it when submitting again) */
  reviewNote: string | null;
  response: string | null;
  /** the publicity deadline (inspection + 20 working days) once a result is entered */
  deadline: { dueOn: string; state: 'ok' | 'due_soon' | 'overdue'; remaining: number } | null;
}

export async function listMyTargets(svc: Services, actor: Actor): Promise<MyTarget[]> {
  authorize(actor, 'result.enter');
  const db = svc.database.db;
  const inspectorId = await linkedInspectorId(db, actor);
  if (inspectorId === null) return [];
  const rows = await db
    .select({
      targetId: targets.id,
      taskId: tasks.id,
      taskName: tasks.name,
      windowStart: tasks.windowStart,
      windowEnd: tasks.windowEnd,
      entityId: entities.id,
      entityName: entities.name,
      uscc: entities.uscc,
      regNo: entities.regNo,
      address: entities.address,
      departmentId: targetInspectors.departmentId,
    })
    .from(targetInspectors)
    .innerJoin(targets, eq(targets.id, targetInspectors.targetId))
    .innerJoin(draws, eq(draws.id, targets.drawId))
    .innerJoin(tasks, eq(tasks.id, targets.taskId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(and(eq(targetInspectors.inspectorId, inspectorId), ne(draws.status, 'superseded')))
    .orderBy(desc(tasks.windowStart), asc(targets.id));
  const ids = rows.map((r) => r.targetId);
  const res = ids.length
    ? await db
        .select({
          id: results.id,
          targetId: results.targetId,
          departmentId: results.departmentId,
          status: results.status,
          reviewNote: results.reviewNote,
          response: results.response,
          inspectedOn: results.inspectedOn,
          publishedAt: results.publishedAt,
        })
        .from(results)
        .where(inArray(results.targetId, ids))
    : [];
  const dl = res.length ? await resultDeadlines(svc) : null;
  return rows.map((r) => {
    const own = res.find((x) => x.targetId === r.targetId && x.departmentId === r.departmentId);
    return {
      targetId: r.targetId,
      taskId: r.taskId,
      taskName: r.taskName,
      windowStart: String(r.windowStart),
      windowEnd: String(r.windowEnd),
      entityId: r.entityId,
      entityName: r.entityName,
      entityCode: r.uscc ?? r.regNo,
      address: r.address,
      resultStatus: own?.status ?? null,
      resultId: own?.id ?? null,
      reviewNote: own?.status === 'rejected' ? own.reviewNote : null,
      response: own?.response ?? null,
      deadline:
        own && dl
          ? publicityStanding(dl, { inspectedOn: String(own.inspectedOn), publishedAt: own.publishedAt })
          : null,
    };
  });
}
