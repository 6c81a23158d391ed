/**
 * Follow-up actions (后续处置) tracked to completion: the list of open ones with their deadline
 * (责令改正's deadline, 经营异常名录 within 10 working days), and their completion — 责令改正 by a
 * re-check (复查: date and outcome), 移送/抄告 with the receiving department.
 */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { AppError, type DeadlineStateName } from '@choucha/core';
import { entities, followUps, results, targets, tasks, type FollowUpState } from '@choucha/db';
import { authorize, departmentFilter } from '../../access.ts';
import { inTransaction } from '../../audit.ts';
import type { Actor, Services } from '../../context.ts';
import { resultDeadlines } from './deadlines.ts';

export const RECHECK_RESULTS = ['已改正', '未改正'] as const;

export interface FollowUpFilter {
  state?: FollowUpState | undefined;
  departmentId?: number | undefined;
  deadline?: DeadlineStateName | undefined;
}

export async function listFollowUps(svc: Services, actor: Actor, filter: FollowUpFilter = {}) {
  authorize(actor, 'task.read');
  const db = svc.database.db;
  const own = departmentFilter(actor);
  const conds: SQL[] = [eq(followUps.state, filter.state ?? 'open')];
  if (own !== undefined) conds.push(eq(followUps.departmentId, own));
  if (filter.departmentId !== undefined) conds.push(eq(followUps.departmentId, filter.departmentId));
  const rows = await db
    .select({
      id: followUps.id,
      resultId: followUps.resultId,
      departmentId: followUps.departmentId,
      action: followUps.action,
      state: followUps.state,
      dueOn: followUps.dueOn,
      receivingDepartment: followUps.receivingDepartment,
      recheckOn: followUps.recheckOn,
      recheckResult: followUps.recheckResult,
      note: followUps.note,
      completedAt: followUps.completedAt,
      resultStatus: results.status,
      inspectedOn: results.inspectedOn,
      codes: results.codes,
      taskId: tasks.id,
      taskName: tasks.name,
      entityName: entities.name,
      key: targets.key,
    })
    .from(followUps)
    .innerJoin(results, eq(results.id, followUps.resultId))
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .where(and(...conds))
    .orderBy(asc(followUps.dueOn), asc(followUps.id))
    .limit(5000);
  const dl = await resultDeadlines(svc);
  const items = rows
    .map((r) => ({
      ...r,
      dueOn: r.dueOn === null ? null : String(r.dueOn),
      recheckOn: r.recheckOn === null ? null : String(r.recheckOn),
      inspectedOn: String(r.inspectedOn),
      completedAt: r.completedAt?.toISOString() ?? null,
      deadline: r.state === 'open' && r.dueOn !== null ? dl.state(String(r.dueOn)) : null,
    }))
    .filter((r) => filter.deadline === undefined || r.deadline?.state === filter.deadline)
    .sort(
      (a, b) =>
        (a.deadline?.remaining ?? Number.MAX_SAFE_INTEGER) -
          (b.deadline?.remaining ?? Number.MAX_SAFE_INTEGER) || a.id - b.id,
    );
  return { items: items.slice(0, 500), total: items.length, today: dl.today };
}

export interface CompleteFollowUpInput {
  recheckOn?: string | undefined;
  recheckResult?: (typeof RECHECK_RESULTS)[number] | undefined;
  receivingDepartment?: string | undefined;
  note?: string | undefined;
}

/** Complete a follow-up: the staff of its department (admin or inspector) or the joint office. */
export async function completeFollowUp(
  svc: Services,
  actor: Actor,
  id: number,
  input: CompleteFollowUpInput,
) {
  authorize(actor, 'result.enter');
  return inTransaction(svc, actor, async (tx, audit) => {
    const [f] = await tx.select().from(followUps).where(eq(followUps.id, id)).for('update');
    if (!f) throw new AppError('NOT_FOUND', `No follow-up ${id}`);
    if (actor.kind === 'user' && actor.role !== 'joint_admin' && actor.departmentId !== f.departmentId)
      throw new AppError('FORBIDDEN_DEPARTMENT', `Follow-up ${id} is another department's`, {
        departmentId: f.departmentId,
      });
    if (f.state === 'done') throw new AppError('FOLLOW_UP_DONE');
    if (f.action === '责令改正' && (!input.recheckOn || !input.recheckResult))
      throw new AppError('FOLLOW_UP_RECHECK_REQUIRED', undefined, { field: 'recheckResult' });
    const receiving = input.receivingDepartment?.trim() || f.receivingDepartment;
    if (['移送案件线索', '抄告相关部门'].includes(f.action) && !receiving)
      throw new AppError('RESULT_FOLLOW_UP_RECEIVER_REQUIRED', undefined, { field: 'receivingDepartment' });
    const now = svc.clock();
    const [row] = await tx
      .update(followUps)
      .set({
        state: 'done',
        recheckOn: input.recheckOn ?? null,
        recheckResult: input.recheckResult ?? null,
        receivingDepartment: receiving,
        note: input.note?.trim() || f.note,
        completedAt: now,
        completedBy: actor.kind === 'user' ? actor.id : null,
      })
      .where(eq(followUps.id, id))
      .returning();
    if (!row) throw new Error('Invariant: no row');
    await audit({
      action: 'follow_up.complete',
      subjectType: 'follow_up',
      subjectId: id,
      departmentId: f.departmentId,
      before: { state: f.state },
      after: {
        state: 'done',
        action: f.action,
        recheckOn: row.recheckOn,
        recheckResult: row.recheckResult,
        receivingDepartment: row.receivingDepartment,
      },
    });
    return {
      id: row.id,
      state: row.state,
      recheckOn: row.recheckOn === null ? null : String(row.recheckOn),
      recheckResult: row.recheckResult,
      receivingDepartment: row.receivingDepartment,
      completedAt: now.toISOString(),
    };
  });
}
