import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError, RESULT_CODES } from '@choucha/core';
import { draws, results, targetInspectors, targets, tasks, type Tx } from '@choucha/db';
import { assertDepartment, assertMayWriteDepartment, authorize } from './access.ts';
import { linkedInspectorId } from './admin/users.ts';
import { inTransaction, type AuditInput } from './audit.ts';
import type { Actor, Services } from './context.ts';
import { loadTask, taskDepartments } from './tasks.ts';
import { resultDeadlines, type Deadlines } from './campaigns/results/deadlines.ts';
import {
  checkFollowUpDetails,
  checkItems,
  departmentItemIds,
  writeFollowUps,
  writeItems,
  type FollowUpDetail,
  type ResultItemInput,
} from './campaigns/results/entry-parts.ts';

export const RESULT_CODE_LIST = RESULT_CODES;

export interface EnterResultInput {
  codes: string[];
  followUps: string[];
  note?: string | undefined;
  inspectedOn: string;
  /** For the joint office or the system entering on behalf of a cooperating department of a joint task. */
  departmentId?: number | undefined;
  /** A result per cited item of the department (all of them when given). */
  items?: ResultItemInput[] | undefined;
  /** 责令改正's deadline, 移送/抄告's receiving department. */
  followUpDetails?: FollowUpDetail[] | undefined;
  /** The answer to the rejection reason, when a rejected result is submitted again. */
  response?: string | undefined;
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
    response: r.response,
    approvedAt: r.approvedAt?.toISOString() ?? null,
    version: r.version,
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
  return inTransaction(svc, actor, async (tx, audit) =>
    enterResultTx(tx, audit, svc, await resultDeadlines(svc, tx), actor, targetId, input),
  );
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
    const dl = await resultDeadlines(svc, tx);
    const out = [];
    for (const e of entries) out.push(await enterResultTx(tx, audit, svc, dl, actor, e.targetId, e.input));
    return out;
  });
}

export function validateCodes(codes: string[]) {
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
  dl: Deadlines,
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
    const response = input.response?.trim() || null;
    // the enterer answers the reason a result was sent back; the reviewer sees both
    if (existing?.status === 'rejected' && actor.kind === 'user' && !response)
      throw new AppError('RESULT_RESPONSE_REQUIRED', undefined, { field: 'response' });
    if (input.items) checkItems(await departmentItemIds(tx, task.id, departmentId), input.items, input.codes);
    const details = input.followUpDetails ?? [];
    checkFollowUpDetails(actor, input.followUps, details, input.inspectedOn, input.codes);
    const values = {
      codes: input.codes,
      followUps: input.followUps,
      note: input.note ?? null,
      inspectedOn: input.inspectedOn,
      status: 'submitted' as const,
      enteredBy: actor.kind === 'user' ? actor.id : null,
      enteredAt: svc.clock(),
      // the last rejection reason stays, with the answer to it
      response: existing?.status === 'rejected' ? response : (existing?.response ?? null),
      approvedBy: null,
      approvedAt: null,
    };
    const [row] = existing
      ? await tx.update(results).set(values).where(eq(results.id, existing.id)).returning()
      : await tx
          .insert(results)
          .values({ targetId, taskId: task.id, departmentId, ...values })
          .returning();
    if (!row) throw new Error('Invariant: no row');
    if (input.items) await writeItems(tx, row.id, input.items);
    await writeFollowUps(tx, dl, svc.clock(), actor, row, input.followUps, details);
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

export { listForReview, publicityTimeliness, type ReviewFilter } from './campaigns/results/review-queue.ts';

type Decision = 'approve' | 'reject' | 'publish';
/** Written out, so that the i18n coverage test can check each action key has its labels. */
const DECISION_ACTION = {
  approve: 'result.approve',
  reject: 'result.reject',
  publish: 'result.publish',
} as const satisfies Record<Decision, string>;

async function decide(svc: Services, actor: Actor, ids: number[], decision: Decision, note?: string) {
  authorize(actor, decision === 'publish' ? 'result.review' : 'result.approve');
  return inTransaction(svc, actor, async (tx, audit) => {
    const out = [];
    for (const id of ids) out.push(await reviewTx(tx, audit, svc, actor, id, decision, note));
    return out;
  });
}

/** The department approves its results (审核通过): they wait for the joint office's publication. */
export const approveResults = (svc: Services, actor: Actor, ids: number[], note?: string) =>
  decide(svc, actor, ids, 'approve', note);
export const approveResult = async (svc: Services, actor: Actor, id: number, note?: string) =>
  (await decide(svc, actor, [id], 'approve', note))[0]!;
/** The department (or the joint office) sends a result back with a reason the enterer sees. */
export const rejectResult = async (svc: Services, actor: Actor, id: number, note?: string) =>
  (await decide(svc, actor, [id], 'reject', note))[0]!;
/**
 * The joint office publishes approved results, each with its audit event, in one transaction. A
 * result still awaiting its department's review is approved by the joint office on the
 * department's behalf (the joint office writes every department's rows; the demo replay does so).
 */
export const publishResults = (svc: Services, actor: Actor, ids: number[], note?: string) =>
  decide(svc, actor, ids, 'publish', note);
export const publishResult = async (svc: Services, actor: Actor, id: number, note?: string) =>
  (await decide(svc, actor, [id], 'publish', note))[0]!;

async function reviewTx(
  tx: Tx,
  audit: (input: AuditInput) => Promise<void>,
  svc: Services,
  actor: Actor,
  resultId: number,
  decision: Decision,
  note?: string,
) {
  const [r] = await tx.select().from(results).where(eq(results.id, resultId));
  if (!r) throw new AppError('NOT_FOUND', `No result ${resultId}`);
  // a department admin reviews only his own department's results
  assertMayWriteDepartment(actor, r.departmentId);
  const from: Record<Decision, readonly string[]> = {
    approve: ['submitted'],
    reject: ['submitted', 'approved'],
    publish: ['submitted', 'approved'],
  };
  if (!from[decision].includes(r.status))
    throw new AppError('RESULT_STATE', `Result ${resultId} is ${r.status}; cannot ${decision}`, {
      status: r.status,
    });
  const trimmed = note?.trim() || null;
  if (decision === 'reject' && !trimmed)
    throw new AppError('RESULT_REJECT_NOTE_REQUIRED', undefined, { field: 'note' });
  const now = svc.clock();
  const by = actor.kind === 'user' ? actor.id : null;
  const set =
    decision === 'approve'
      ? { status: 'approved' as const, approvedBy: by, approvedAt: now, reviewedBy: by, reviewedAt: now }
      : decision === 'reject'
        ? {
            status: 'rejected' as const,
            reviewedBy: by,
            reviewedAt: now,
            reviewNote: trimmed,
            response: null,
            approvedBy: null,
            approvedAt: null,
          }
        : {
            status: 'published' as const,
            ...(r.status === 'submitted' ? { approvedBy: by, approvedAt: now } : {}),
            reviewedBy: by,
            reviewedAt: now,
            publishedAt: now,
          };
  const [row] = await tx.update(results).set(set).where(eq(results.id, resultId)).returning();
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
    action: DECISION_ACTION[decision],
    subjectType: 'result',
    subjectId: resultId,
    departmentId: r.departmentId,
    before: { status: r.status },
    after: { status: row.status, note: trimmed },
  });
  return toView(row);
}

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
