import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { AppError, MAX_MODES, type DrawRulesRecord, type MaxMode } from '@choucha/core';
import {
  departments,
  draws,
  inspectors,
  itemEditions,
  items,
  results,
  targetInspectors,
  targets,
  taskItems,
  taskPartners,
  tasks,
  entities,
  users,
  type Executor,
  type PartnerState,
  type Tx,
} from '@choucha/db';
import { assertDepartment, assertMayWriteDepartment, authorize, can, departmentFilter } from './access.ts';
import { inTransaction, type AuditInput } from './audit.ts';
import { resultEntryRule } from './result-access.ts';
import { addDepartmentItems, type ItemContribution } from './campaigns/joint-items.ts';
import type { Actor, Services } from './context.ts';

export interface SamplingInput {
  ratio?: number | undefined;
  classes?: Record<string, number> | undefined;
  min?: number | undefined;
  max?: number | undefined;
  /**
   * What `max` (最多抽取户数) means: at most max in all ('total'), max split across the classes by
   * population ('split'), or max per class ('perClass', the reading of tasks created before this
   * field existed, and the default when absent). draw-protocol §4.1.
   */
  maxMode?: MaxMode | undefined;
  /** At most this many teams of this draw per inspector (matching rules.maxPerDraw), or none. */
  maxLoad?: number | undefined;
}

export interface CreateTaskInput {
  name: string;
  departmentId?: number | undefined;
  itemIds: number[];
  jointDepartmentIds: number[];
  windowStart: string;
  windowEnd: string;
  scope?:
    | {
        streets?: string[] | undefined;
        entityTypes?: string[] | undefined;
        industryPrefixes?: string[] | undefined;
        tags?: string[] | undefined;
      }
    | undefined;
  sampling: SamplingInput;
  /** The annual plan and the batch this task is opened from (services/campaigns/plans.ts). */
  planId?: number | undefined;
  batchId?: number | undefined;
}

export function validateSampling(s: SamplingInput): void {
  const ratios = [...(s.ratio !== undefined ? [s.ratio] : []), ...Object.values(s.classes ?? {})];
  if (ratios.length === 0)
    throw new AppError('DRAW_RATIO_INVALID', 'Give a sampling ratio, or one per risk class');
  for (const r of ratios) {
    // 不免抽: no class is ever exempt, so 0 is refused as firmly as a ratio above 1.
    if (!(r > 0 && r <= 1))
      throw new AppError(
        'DRAW_RATIO_INVALID',
        `Ratio ${r} is outside (0, 1]: no class may be exempt (不免抽)`,
      );
  }
  if (s.min !== undefined && s.max !== undefined && s.min > s.max) {
    throw new AppError('DRAW_RATIO_INVALID', `The minimum ${s.min} exceeds the maximum ${s.max}`);
  }
  if (s.maxMode !== undefined && !MAX_MODES.includes(s.maxMode))
    throw new AppError('SAMPLING_MAX_MODE_INVALID', `Unknown maximum mode ${String(s.maxMode)}`, {
      field: 'sampling.maxMode',
    });
  if (s.maxLoad !== undefined && !(Number.isInteger(s.maxLoad) && s.maxLoad >= 1 && s.maxLoad <= 10000))
    throw new AppError('DRAW_MAX_LOAD_INVALID', `The per-inspector cap ${s.maxLoad} is not 1…10000`, {
      field: 'sampling.maxLoad',
    });
}

/**
 * `inTx`: run inside the caller's transaction (opening a plan batch locks the batch, creates the
 * task and links it in one transaction) instead of a new one.
 */
export async function createTask(
  svc: Services,
  actor: Actor,
  input: CreateTaskInput,
  inTx?: { tx: Tx; audit: (input: AuditInput) => Promise<void> },
) {
  authorize(actor, 'task.write');
  const departmentId =
    actor.kind === 'user' && actor.role === 'dept_admin' ? actor.departmentId : (input.departmentId ?? null);
  if (departmentId === null) {
    throw new AppError('VALIDATION_FAILED', 'Choose the department that runs the task', {
      field: 'departmentId',
    });
  }
  if (input.departmentId !== undefined && input.departmentId !== departmentId) {
    throw new AppError(
      'FORBIDDEN_DEPARTMENT',
      'A department admin creates tasks for their own department only',
    );
  }
  assertDepartment(actor, [departmentId], 'write');
  if (input.windowEnd < input.windowStart) {
    throw new AppError('DATE_RANGE_INVALID', 'The time window ends before it starts', { field: 'windowEnd' });
  }
  validateSampling(input.sampling);
  const jointIds = [...new Set(input.jointDepartmentIds.filter((d) => d !== departmentId))];
  const allowedDepts = [departmentId, ...jointIds];
  // A cooperating department is invited, and bound (its directory in the roster, its inspectors in
  // the pool) only once it accepts. The system actor (demo replay, CLI) acts for every department.
  const bindsAtOnce = actor.kind === 'system';
  const run = <T>(fn: (tx: Tx, audit: (input: AuditInput) => Promise<void>) => Promise<T>) =>
    inTx ? fn(inTx.tx, inTx.audit) : inTransaction(svc, actor, fn);
  return run(async (tx, audit) => {
    // 清单之外无检查: every item must be on a published edition of a participating department.
    const found = await tx
      .select({ id: items.id, departmentId: items.departmentId, status: itemEditions.status })
      .from(items)
      .innerJoin(itemEditions, eq(itemEditions.id, items.editionId))
      .where(inArray(items.id, input.itemIds));
    for (const id of input.itemIds) {
      const it = found.find((f) => f.id === id);
      if (!it || it.status !== 'published' || !allowedDepts.includes(it.departmentId)) {
        throw new AppError(
          'ITEM_NOT_IN_LIST',
          `Item ${id} is not on the published list of a participating department`,
          {
            itemId: id,
          },
        );
      }
    }
    if (jointIds.length > 0) {
      const ds = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(inArray(departments.id, jointIds));
      if (ds.length !== jointIds.length)
        throw new AppError('VALIDATION_FAILED', 'Unknown cooperating department', {
          field: 'jointDepartmentIds',
        });
    }
    const [task] = await tx
      .insert(tasks)
      .values({
        name: input.name,
        departmentId,
        isJoint: jointIds.length > 0,
        jointDepartmentIds: bindsAtOnce ? jointIds : [],
        year: Number(input.windowStart.slice(0, 4)),
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
        directed: input.scope !== undefined && Object.values(input.scope).some((v) => v && v.length > 0),
        scope: input.scope ?? null,
        sampling: input.sampling,
        planId: input.planId ?? null,
        batchId: input.batchId ?? null,
        usesRiskClass: input.sampling.classes !== undefined,
        status: 'draft',
        createdBy: actor.kind === 'user' ? actor.id : null,
        createdAt: svc.clock(),
      })
      .returning();
    if (!task) throw new Error('Invariant: insert returned nothing');
    await tx
      .insert(taskItems)
      .values([...new Set(input.itemIds)].map((itemId) => ({ taskId: task.id, itemId })));
    const now = svc.clock();
    if (jointIds.length > 0)
      await tx.insert(taskPartners).values(
        jointIds.map((d) => ({
          taskId: task.id,
          departmentId: d,
          state: (bindsAtOnce ? 'accepted' : 'invited') as PartnerState,
          invitedBy: actor.kind === 'user' ? actor.id : null,
          invitedAt: now,
          answeredAt: bindsAtOnce ? now : null,
          note: bindsAtOnce ? `bound by ${actor.kind === 'system' ? actor.name : 'system'}` : null,
        })),
      );
    await audit({
      action: 'task.create',
      subjectType: 'task',
      subjectId: task.id,
      departmentId,
      after: {
        name: task.name,
        itemIds: input.itemIds,
        jointDepartmentIds: jointIds,
        partners: jointIds.map((d) => ({ departmentId: d, state: bindsAtOnce ? 'accepted' : 'invited' })),
        sampling: input.sampling,
        scope: input.scope ?? null,
      },
    });
    return task.id;
  });
}

/**
 * Tasks visible to the actor: their department's own, joint tasks they cooperate in, and joint
 * tasks they are invited to (so that they can answer).
 */
export function taskDepartmentCondition(actor: Actor) {
  const d = departmentFilter(actor);
  if (d === undefined) return undefined;
  return or(
    eq(tasks.departmentId, d),
    sql`${d} = any(${tasks.jointDepartmentIds})`,
    sql`exists (select 1 from ${taskPartners} p where p.task_id = ${tasks.id} and p.department_id = ${d} and p.state = 'invited')`,
  );
}

export async function listTasks(svc: Services, actor: Actor, opts: { year?: number | undefined } = {}) {
  authorize(actor, 'task.read');
  const db = svc.database.db;
  const rows = await db
    .select({
      id: tasks.id,
      name: tasks.name,
      year: tasks.year,
      departmentId: tasks.departmentId,
      departmentName: departments.name,
      isJoint: tasks.isJoint,
      jointDepartmentIds: tasks.jointDepartmentIds,
      windowStart: tasks.windowStart,
      windowEnd: tasks.windowEnd,
      status: tasks.status,
      createdAt: tasks.createdAt,
      targetCount: sql<number>`(select count(*)::int from ${targets} t join ${draws} d on d.id = t.draw_id where t.task_id = ${tasks.id} and d.status <> 'superseded')`,
      publishedCount: sql<number>`(select count(*)::int from ${results} r where r.task_id = ${tasks.id} and r.status = 'published')`,
    })
    .from(tasks)
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .where(and(taskDepartmentCondition(actor), opts.year ? eq(tasks.year, opts.year) : undefined))
    .orderBy(desc(tasks.id));
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    targetCount: Number(r.targetCount),
    publishedCount: Number(r.publishedCount),
  }));
}

export async function loadTask(db: Executor, taskId: number) {
  const [task] = await db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!task) throw new AppError('TASK_NOT_FOUND', `No task ${taskId}`);
  return task;
}

/** The departments bound to a task: the lead and the cooperating departments that accepted. */
export function taskDepartments(task: { departmentId: number; jointDepartmentIds: number[] }): number[] {
  return [task.departmentId, ...task.jointDepartmentIds];
}

async function partnerRows(db: Executor, taskId: number) {
  return db
    .select({
      departmentId: taskPartners.departmentId,
      state: taskPartners.state,
      invitedBy: taskPartners.invitedBy,
      invitedAt: taskPartners.invitedAt,
      answeredBy: taskPartners.answeredBy,
      answeredByName: users.displayName,
      answeredAt: taskPartners.answeredAt,
      note: taskPartners.note,
    })
    .from(taskPartners)
    .leftJoin(users, eq(users.id, taskPartners.answeredBy))
    .where(eq(taskPartners.taskId, taskId))
    .orderBy(asc(taskPartners.departmentId));
}

function partnerView(p: Awaited<ReturnType<typeof partnerRows>>[number]) {
  return {
    departmentId: p.departmentId,
    state: p.state,
    invitedBy: p.invitedBy,
    invitedAt: p.invitedAt.toISOString(),
    answeredBy: p.answeredBy,
    answeredByName: p.answeredByName ?? null,
    answeredAt: p.answeredAt?.toISOString() ?? null,
    note: p.note,
  };
}

/** Readers of a task: the bound departments and the departments still invited to it. */
async function taskReaders(db: Executor, task: typeof tasks.$inferSelect): Promise<number[]> {
  const invited = await db
    .select({ d: taskPartners.departmentId })
    .from(taskPartners)
    .where(and(eq(taskPartners.taskId, task.id), eq(taskPartners.state, 'invited')));
  return [...taskDepartments(task), ...invited.map((r) => r.d)];
}

/**
 * Before a draw is committed: no cooperating department may still be invited (its answer decides
 * whether its directory is in the roster), and every cited item must belong to a bound department.
 */
export async function assertPartnersBound(tx: Tx, task: typeof tasks.$inferSelect): Promise<void> {
  const pending = await tx
    .select({ d: taskPartners.departmentId })
    .from(taskPartners)
    .where(and(eq(taskPartners.taskId, task.id), eq(taskPartners.state, 'invited')));
  if (pending.length > 0)
    throw new AppError(
      'JOINT_PARTNER_PENDING',
      `Cooperating department(s) ${pending.map((p) => p.d).join(', ')} have not answered the invitation`,
      { departmentIds: pending.map((p) => p.d) },
    );
  const bound = taskDepartments(task);
  const cited = await tx
    .select({ id: items.id, departmentId: items.departmentId })
    .from(taskItems)
    .innerJoin(items, eq(items.id, taskItems.itemId))
    .where(eq(taskItems.taskId, task.id));
  const outside = cited.filter((c) => !bound.includes(c.departmentId));
  if (cited.length === 0 || outside.length > 0)
    throw new AppError(
      'ITEM_NOT_IN_LIST',
      cited.length === 0
        ? 'The task cites no item of a participating department'
        : `Items ${outside.map((o) => o.id).join(', ')} belong to departments not bound to the task`,
      { itemIds: outside.map((o) => o.id) },
    );
}

/**
 * A cooperating department answers a joint task's invitation: its department admin (or the joint
 * admin) accepts — it is bound: its supervised entities join the roster, its inspectors the pool,
 * it enters results — or declines: it is not bound, its items leave the task, and it no longer sees
 * the task. Answered once; audited with who and when.
 */
export async function answerTaskInvitation(
  svc: Services,
  actor: Actor,
  taskId: number,
  departmentId: number,
  decision: 'accepted' | 'declined',
  note?: string,
  /** On accepting: the department's items (own list or joint list rows) it brings to the task. */
  contribution?: ItemContribution,
) {
  authorize(actor, 'task.write');
  await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select id from ${tasks} where id = ${taskId} for update`);
    const task = await loadTask(tx, taskId);
    try {
      assertDepartment(actor, await taskReaders(tx, task), 'read');
    } catch {
      throw new AppError('TASK_NOT_FOUND', `No task ${taskId}`);
    }
    assertMayWriteDepartment(actor, departmentId);
    const [p] = await tx
      .select()
      .from(taskPartners)
      .where(and(eq(taskPartners.taskId, taskId), eq(taskPartners.departmentId, departmentId)))
      .for('update');
    if (!p) throw new AppError('NOT_FOUND', `Department ${departmentId} is not invited to task ${taskId}`);
    if (p.state !== 'invited')
      throw new AppError('JOINT_INVITATION_ANSWERED', `Department ${departmentId} has already ${p.state}`, {
        state: p.state,
      });
    const now = svc.clock();
    await tx
      .update(taskPartners)
      .set({
        state: decision,
        answeredBy: actor.kind === 'user' ? actor.id : null,
        answeredAt: now,
        note: note ?? null,
      })
      .where(and(eq(taskPartners.taskId, taskId), eq(taskPartners.departmentId, departmentId)));
    let removedItemIds: number[] = [];
    let addedItemIds: number[] = [];
    if (decision === 'accepted') {
      if (contribution) addedItemIds = await addDepartmentItems(tx, taskId, departmentId, contribution);
      await tx
        .update(tasks)
        .set({
          jointDepartmentIds: [...task.jointDepartmentIds.filter((d) => d !== departmentId), departmentId],
        })
        .where(eq(tasks.id, taskId));
    } else {
      const own = await tx
        .select({ id: items.id })
        .from(taskItems)
        .innerJoin(items, eq(items.id, taskItems.itemId))
        .where(and(eq(taskItems.taskId, taskId), eq(items.departmentId, departmentId)));
      removedItemIds = own.map((o) => o.id);
      if (removedItemIds.length)
        await tx
          .delete(taskItems)
          .where(and(eq(taskItems.taskId, taskId), inArray(taskItems.itemId, removedItemIds)));
      const rest = await tx
        .select({ d: taskPartners.departmentId })
        .from(taskPartners)
        .where(and(eq(taskPartners.taskId, taskId), sql`${taskPartners.state} <> 'declined'`));
      await tx
        .update(tasks)
        .set({
          jointDepartmentIds: task.jointDepartmentIds.filter((d) => d !== departmentId),
          isJoint: rest.length > 0,
        })
        .where(eq(tasks.id, taskId));
    }
    await audit({
      action: decision === 'accepted' ? 'task.partner_accepted' : 'task.partner_declined',
      subjectType: 'task',
      subjectId: taskId,
      departmentId,
      before: { state: 'invited' },
      after: {
        state: decision,
        note: note ?? null,
        ...(removedItemIds.length ? { removedItemIds } : {}),
        ...(addedItemIds.length ? { addedItemIds } : {}),
      },
    });
  });
  const [row] = (await partnerRows(svc.database.db, taskId)).filter((r) => r.departmentId === departmentId);
  // a department that declined no longer reads the task: it gets its answer only
  const task = (await mayReadTask(svc, actor, taskId)) ? await getTask(svc, actor, taskId) : null;
  return { partner: partnerView(row!), task };
}

async function mayReadTask(svc: Services, actor: Actor, taskId: number): Promise<boolean> {
  const task = await loadTask(svc.database.db, taskId);
  try {
    assertDepartment(actor, await taskReaders(svc.database.db, task), 'read');
    return true;
  } catch {
    return false;
  }
}

export async function getTask(svc: Services, actor: Actor, taskId: number) {
  authorize(actor, 'task.read');
  const db = svc.database.db;
  const task = await loadTask(db, taskId).catch(() => {
    throw new AppError('TASK_NOT_FOUND', `No task ${taskId}`);
  });
  assertDepartment(actor, await taskReaders(db, task), 'read');
  const [dept] = await db
    .select({ name: departments.name })
    .from(departments)
    .where(eq(departments.id, task.departmentId));
  const taskItemRows = await db
    .select({
      id: items.id,
      editionId: items.editionId,
      departmentId: items.departmentId,
      seq: items.seq,
      category: items.category,
      name: items.name,
      targetDesc: items.targetDesc,
      itemKind: items.itemKind,
      methods: items.methods,
      subjects: items.subjects,
      basis: items.basis,
      field: items.field,
    })
    .from(taskItems)
    .innerJoin(items, eq(items.id, taskItems.itemId))
    .where(eq(taskItems.taskId, taskId))
    .orderBy(asc(items.id));
  const drawRows = await db.select().from(draws).where(eq(draws.taskId, taskId)).orderBy(asc(draws.attempt));
  const drawViews = [];
  for (const d of drawRows) drawViews.push(await drawView(svc, d, actor, task));
  const targetCount = drawViews
    .filter((d) => d.status !== 'superseded')
    .reduce((n, d) => n + d.targets.length, 0);
  const publishedCount = drawViews
    .flatMap((d) => d.targets.flatMap((t) => t.results))
    .filter((r) => r.status === 'published').length;
  return {
    id: task.id,
    name: task.name,
    year: task.year,
    departmentId: task.departmentId,
    departmentName: dept?.name ?? '',
    isJoint: task.isJoint,
    jointDepartmentIds: task.jointDepartmentIds,
    windowStart: task.windowStart,
    windowEnd: task.windowEnd,
    status: task.status,
    createdAt: task.createdAt.toISOString(),
    targetCount,
    publishedCount,
    items: taskItemRows,
    sampling: task.sampling as SamplingInput,
    scope: task.scope ?? null,
    partners: (await partnerRows(db, taskId)).map(partnerView),
    draws: drawViews,
  };
}

/**
 * A draw with its targets, teams and results; `canEnter` on each target says whether `actor` may
 * enter its result (result-access.ts, the rule enterResult enforces). Staff view: the targets keep
 * their stratum labels, and `stratumClasses` (label → risk class) is given to the roles that see risk
 * classes (directory.riskClass), null otherwise. Never the secret columns (openings, private matching).
 */
export async function drawView(
  svc: Services,
  d: typeof draws.$inferSelect,
  actor: Actor,
  task?: { departmentId: number; jointDepartmentIds: number[] },
) {
  const db = svc.database.db;
  const mayEnter = await resultEntryRule(db, actor, taskDepartments(task ?? (await loadTask(db, d.taskId))));
  const targetRows = await db
    .select({
      id: targets.id,
      entityId: targets.entityId,
      entityName: entities.name,
      key: targets.key,
      stratum: targets.stratum,
      ticket: targets.ticket,
      rank: targets.rank,
      phase: targets.phase,
    })
    .from(targets)
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(eq(targets.drawId, d.id))
    .orderBy(asc(targets.stratum), asc(targets.rank));
  const [next] =
    d.supersededBy === null
      ? []
      : await db
          .select({ drawId: draws.id, commitmentHash: draws.commitmentHash })
          .from(draws)
          .where(eq(draws.id, d.supersededBy));
  const committedPredecessor =
    d.algorithmVersion === 'choucha-draw-v2'
      ? ((JSON.parse(d.commitment) as { predecessor?: string | null }).predecessor ?? null)
      : null;
  const [prev] =
    committedPredecessor === null
      ? []
      : await db
          .select({ drawId: draws.id })
          .from(draws)
          .where(
            and(
              eq(draws.taskId, d.taskId),
              eq(draws.attempt, d.attempt - 1),
              eq(draws.commitmentHash, committedPredecessor),
            ),
          );
  const ids = targetRows.map((t) => t.id);
  const team =
    ids.length === 0
      ? []
      : await db
          .select({
            targetId: targetInspectors.targetId,
            inspectorId: inspectors.id,
            name: inspectors.name,
            departmentId: targetInspectors.departmentId,
          })
          .from(targetInspectors)
          .innerJoin(inspectors, eq(inspectors.id, targetInspectors.inspectorId))
          .where(inArray(targetInspectors.targetId, ids))
          .orderBy(asc(targetInspectors.departmentId), asc(inspectors.id));
  const res =
    ids.length === 0
      ? []
      : await db.select().from(results).where(inArray(results.targetId, ids)).orderBy(asc(results.id));
  return {
    id: d.id,
    taskId: d.taskId,
    attempt: d.attempt,
    status: d.status,
    algorithmVersion: d.algorithmVersion,
    commitment: d.commitment,
    commitmentHash: d.commitmentHash,
    committedAt: d.committedAt.toISOString(),
    rosterRoot: d.rosterRoot,
    rosterSize: d.rosterSize,
    seedSource: d.seedSource,
    seedInputs: d.seedInputs ?? null,
    seed: d.seed,
    redrawReason: d.redrawReason,
    /** committed | drawn | infeasible | matched (the bundle's stage; v1 rows: drawn when unmatched) */
    stage:
      d.seed === null
        ? ('committed' as const)
        : d.matchedAt !== null
          ? ('matched' as const)
          : d.matchProblems !== null
            ? ('infeasible' as const)
            : ('drawn' as const),
    predecessor:
      committedPredecessor === null
        ? null
        : { drawId: prev?.drawId ?? null, commitmentHash: committedPredecessor },
    supersededBy: next ?? null,
    ceremony: (d.ceremony ?? null) as {
      place: string;
      at: string;
      rolledBy: string;
      witnesses: string[];
    } | null,
    stratumClasses: can(actor, 'directory.riskClass') ? (d.stratumClasses as Record<string, string>) : null,
    rules: (d.rules ?? null) as DrawRulesRecord | null,
    escalation: d.escalation as Record<string, number>,
    escalationRounds: d.escalationRounds as {
      counts: Record<string, number>;
      reason: string;
      at: string;
      by: number | null;
      added: number;
    }[],
    targets: targetRows.map((t) => ({
      ...t,
      team: team.filter((m) => m.targetId === t.id).map(({ targetId: _t, ...m }) => m),
      canEnter: mayEnter({
        drawStatus: d.status,
        teamInspectorIds: team.filter((m) => m.targetId === t.id).map((m) => m.inspectorId),
      }),
      results: res
        .filter((r) => r.targetId === t.id)
        .map((r) => ({
          id: r.id,
          departmentId: r.departmentId,
          codes: r.codes,
          followUps: r.followUps,
          note: r.note,
          inspectedOn: r.inspectedOn,
          status: r.status,
          reviewNote: r.reviewNote,
          publishedAt: r.publishedAt?.toISOString() ?? null,
        })),
    })),
  };
}
