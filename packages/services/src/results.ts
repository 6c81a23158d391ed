import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError, RESULT_CODES } from '@choucha/core';
import {
  departments,
  draws,
  entities,
  results,
  targetInspectors,
  targets,
  tasks,
  type Tx,
} from '@choucha/db';
import { assertDepartment, authorize } from './access.ts';
import { linkedInspectorId } from './admin/users.ts';
import { inTransaction, type AuditInput } from './audit.ts';
import type { Actor, Services } from './context.ts';
import { loadTask, taskDepartments } from './tasks.ts';

export const RESULT_CODE_LIST = RESULT_CODES;

export interface EnterResultInput {
  codes: string[];
  followUps: string[];
  note?: string | undefined;
  inspectedOn: string;
  /** For the joint office or the system entering on behalf of a cooperating department of a joint task. */
  departmentId?: number | undefined;
}

function toView(r: typeof results.$inferSelect) {
  return {
    id: r.id,
    departmentId: r.departmentId,
    codes: r.codes,
    followUps: r.followUps,
    note: r.note,
    inspectedOn: r.inspectedOn,
    status: r.status,
    reviewNote: r.reviewNote,
    publishedAt: r.publishedAt?.toISOString() ?? null,
  };
}

/**
 * Enter (or correct, until published) a department's result for a target. Department staff of a
 * participating department may enter; an inspector only for targets on which they are on the team.
 */
export async function enterResult(svc: Services, actor: Actor, targetId: number, input: EnterResultInput) {
  authorize(actor, 'result.enter');
  validateCodes(input.codes);
  return inTransaction(svc, actor, (tx, audit) => enterResultTx(tx, audit, svc, actor, targetId, input));
}

/** Enter many results in one transaction (e.g. a batch of 未发现问题), each with its audit event. */
export async function enterResults(
  svc: Services,
  actor: Actor,
  entries: { targetId: number; input: EnterResultInput }[],
) {
  authorize(actor, 'result.enter');
  for (const e of entries) validateCodes(e.input.codes);
  return inTransaction(svc, actor, async (tx, audit) => {
    const out = [];
    for (const e of entries) out.push(await enterResultTx(tx, audit, svc, actor, e.targetId, e.input));
    return out;
  });
}

function validateCodes(codes: string[]) {
  for (const c of codes) {
    if (!(RESULT_CODE_LIST as readonly string[]).includes(c))
      throw new AppError('RESULT_INVALID_CODE', `Unknown result code ${c}`, { code: c });
  }
  if (codes.includes('未发现问题') && codes.length > 1) {
    throw new AppError('RESULT_CODES_CONFLICT', undefined, {
      field: 'codes',
    });
  }
}

async function enterResultTx(
  tx: Tx,
  audit: (input: AuditInput) => Promise<void>,
  svc: Services,
  actor: Actor,
  targetId: number,
  input: EnterResultInput,
) {
  {
    const [target] = await tx
      .select({ id: targets.id, taskId: targets.taskId, drawStatus: draws.status })
      .from(targets)
      .innerJoin(draws, eq(draws.id, targets.drawId))
      .where(eq(targets.id, targetId));
    if (!target) throw new AppError('NOT_FOUND', `No target ${targetId}`);
    const task = await loadTask(tx, target.taskId);
    if (target.drawStatus === 'superseded') throw new AppError('RESULT_DRAW_SUPERSEDED');
    let departmentId: number;
    if (actor.kind === 'system' || (actor.kind === 'user' && actor.role === 'joint_admin')) {
      departmentId = input.departmentId ?? task.departmentId;
      if (!taskDepartments(task).includes(departmentId)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Department ${departmentId} does not take part in task ${task.id}`,
          { field: 'departmentId' },
        );
      }
    } else {
      assertDepartment(actor, taskDepartments(task), 'write');
      departmentId = (actor.kind === 'user' ? actor.departmentId : null) ?? task.departmentId;
      if (actor.kind === 'user' && actor.role === 'inspector') {
        const me = await linkedInspectorId(tx, actor);
        const onTeam =
          me !== null
            ? await tx
                .select()
                .from(targetInspectors)
                .where(and(eq(targetInspectors.targetId, targetId), eq(targetInspectors.inspectorId, me)))
            : [];
        if (onTeam.length === 0) throw new AppError('RESULT_NOT_ON_TEAM');
      }
    }
    if (input.inspectedOn < task.windowStart) {
      throw new AppError(
        'RESULT_DATE_OUTSIDE_WINDOW',
        `The inspection date ${input.inspectedOn} is before the task window (${task.windowStart})`,
        { field: 'inspectedOn', windowStart: task.windowStart },
      );
    }
    const [existing] = await tx
      .select()
      .from(results)
      .where(and(eq(results.targetId, targetId), eq(results.departmentId, departmentId)));
    if (existing?.status === 'published') throw new AppError('RESULT_PUBLISHED');
    const values = {
      codes: input.codes,
      followUps: input.followUps,
      note: input.note ?? null,
      inspectedOn: input.inspectedOn,
      status: 'submitted' as const,
      enteredBy: actor.kind === 'user' ? actor.id : null,
      enteredAt: svc.clock(),
      reviewNote: null,
    };
    const [row] = existing
      ? await tx.update(results).set(values).where(eq(results.id, existing.id)).returning()
      : await tx
          .insert(results)
          .values({ targetId, taskId: task.id, departmentId, ...values })
          .returning();
    if (!row) throw new Error('Invariant: no row');
    if (task.status === 'matched')
      await tx.update(tasks).set({ status: 'results' }).where(eq(tasks.id, task.id));
    await audit({
      action: existing ? 'result.update' : 'result.enter',
      subjectType: 'result',
      subjectId: row.id,
      departmentId,
      before: existing ? toView(existing) : null,
      after: toView(row),
    });
    return toView(row);
  }
}

export async function listForReview(svc: Services, actor: Actor, status = 'submitted') {
  authorize(actor, 'result.review');
  const rows = await svc.database.db
    .select({
      resultId: results.id,
      taskId: tasks.id,
      taskName: tasks.name,
      departmentName: departments.name,
      entityName: entities.name,
      key: targets.key,
      codes: results.codes,
      followUps: results.followUps,
      inspectedOn: results.inspectedOn,
      enteredAt: results.enteredAt,
      status: results.status,
    })
    .from(results)
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(departments, eq(departments.id, results.departmentId))
    .where(eq(results.status, status as 'submitted'))
    .orderBy(asc(results.enteredAt), asc(results.id))
    .limit(500);
  return rows.map((r) => ({ ...r, enteredAt: r.enteredAt.toISOString() }));
}

async function review(
  svc: Services,
  actor: Actor,
  resultId: number,
  decision: 'publish' | 'reject',
  note?: string,
) {
  authorize(actor, 'result.review');
  return inTransaction(svc, actor, (tx, audit) => reviewTx(tx, audit, svc, actor, resultId, decision, note));
}

/** Publish many reviewed results in one transaction, each with its audit event. */
export async function publishResults(svc: Services, actor: Actor, ids: number[], note?: string) {
  authorize(actor, 'result.review');
  return inTransaction(svc, actor, async (tx, audit) => {
    const out = [];
    for (const id of ids) out.push(await reviewTx(tx, audit, svc, actor, id, 'publish', note));
    return out;
  });
}

async function reviewTx(
  tx: Tx,
  audit: (input: AuditInput) => Promise<void>,
  svc: Services,
  actor: Actor,
  resultId: number,
  decision: 'publish' | 'reject',
  note?: string,
) {
  {
    const [r] = await tx.select().from(results).where(eq(results.id, resultId));
    if (!r) throw new AppError('NOT_FOUND', `No result ${resultId}`);
    if (r.status !== 'submitted')
      throw new AppError('RESULT_STATE', `Result ${resultId} is ${r.status}, not awaiting review`);
    if (decision === 'reject' && !note)
      throw new AppError('RESULT_REJECT_NOTE_REQUIRED', undefined, { field: 'note' });
    const now = svc.clock();
    const [row] = await tx
      .update(results)
      .set(
        decision === 'publish'
          ? {
              status: 'published',
              reviewedBy: actor.kind === 'user' ? actor.id : null,
              reviewedAt: now,
              reviewNote: note ?? null,
              publishedAt: now,
            }
          : {
              status: 'rejected',
              reviewedBy: actor.kind === 'user' ? actor.id : null,
              reviewedAt: now,
              reviewNote: note ?? null,
            },
      )
      .where(eq(results.id, resultId))
      .returning();
    if (!row) throw new Error('Invariant: no row');
    if (decision === 'publish') {
      // The task is published once every target of its live draw has a published result.
      const [open] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(targets)
        .innerJoin(draws, eq(draws.id, targets.drawId))
        .where(
          and(
            eq(targets.taskId, r.taskId),
            sql`${draws.status} <> 'superseded'`,
            sql`not exists (select 1 from ${results} x where x.target_id = ${targets.id} and x.status = 'published')`,
          ),
        );
      if (open && Number(open.n) === 0)
        await tx.update(tasks).set({ status: 'published', publishedAt: now }).where(eq(tasks.id, r.taskId));
    }
    await audit({
      action: decision === 'publish' ? 'result.publish' : 'result.reject',
      subjectType: 'result',
      subjectId: resultId,
      departmentId: r.departmentId,
      before: { status: r.status },
      after: { status: row.status, note: note ?? null },
    });
    return toView(row);
  }
}

export const publishResult = (svc: Services, actor: Actor, id: number, note?: string) =>
  review(svc, actor, id, 'publish', note);
export const rejectResult = (svc: Services, actor: Actor, id: number, note?: string) =>
  review(svc, actor, id, 'reject', note);

export async function listTaskResults(svc: Services, actor: Actor, taskId: number) {
  authorize(actor, 'task.read');
  const task = await loadTask(svc.database.db, taskId);
  assertDepartment(actor, taskDepartments(task), 'read');
  return svc.database.db
    .select()
    .from(results)
    .where(inArray(results.taskId, [taskId]))
    .orderBy(desc(results.id));
}
