import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { AppError } from '@choucha/core';
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
  tasks,
  entities,
  type Executor,
} from '@choucha/db';
import { assertDepartment, authorize, departmentFilter } from './access.ts';
import { inTransaction } from './audit.ts';
import type { Actor, Services } from './context.ts';

export interface SamplingInput {
  ratio?: number | undefined;
  classes?: Record<string, number> | undefined;
  min?: number | undefined;
  max?: number | undefined;
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
}

export async function createTask(svc: Services, actor: Actor, input: CreateTaskInput) {
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
    throw new AppError('VALIDATION_FAILED', 'The time window ends before it starts', { field: 'windowEnd' });
  }
  validateSampling(input.sampling);
  const jointIds = [...new Set(input.jointDepartmentIds.filter((d) => d !== departmentId))];
  const allowedDepts = [departmentId, ...jointIds];
  return inTransaction(svc, actor, async (tx, audit) => {
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
        jointDepartmentIds: jointIds,
        year: Number(input.windowStart.slice(0, 4)),
        windowStart: input.windowStart,
        windowEnd: input.windowEnd,
        directed: input.scope !== undefined && Object.values(input.scope).some((v) => v && v.length > 0),
        scope: input.scope ?? null,
        sampling: input.sampling,
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
    await audit({
      action: 'task.create',
      subjectType: 'task',
      subjectId: task.id,
      departmentId,
      after: {
        name: task.name,
        itemIds: input.itemIds,
        jointDepartmentIds: jointIds,
        sampling: input.sampling,
        scope: input.scope ?? null,
      },
    });
    return task.id;
  });
}

/** Tasks visible to the actor: their department's own and joint tasks they cooperate in. */
export function taskDepartmentCondition(actor: Actor) {
  const d = departmentFilter(actor);
  if (d === undefined) return undefined;
  return or(eq(tasks.departmentId, d), sql`${d} = any(${tasks.jointDepartmentIds})`);
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

export function taskDepartments(task: { departmentId: number; jointDepartmentIds: number[] }): number[] {
  return [task.departmentId, ...task.jointDepartmentIds];
}

export async function getTask(svc: Services, actor: Actor, taskId: number) {
  authorize(actor, 'task.read');
  const db = svc.database.db;
  const task = await loadTask(db, taskId).catch(() => {
    throw new AppError('TASK_NOT_FOUND', `No task ${taskId}`);
  });
  assertDepartment(actor, taskDepartments(task), 'read');
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
  for (const d of drawRows) drawViews.push(await drawView(svc, d));
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
    draws: drawViews,
  };
}

export async function drawView(svc: Services, d: typeof draws.$inferSelect) {
  const db = svc.database.db;
  const targetRows = await db
    .select({
      id: targets.id,
      entityId: targets.entityId,
      entityName: entities.name,
      key: targets.key,
      stratum: targets.stratum,
      ticket: targets.ticket,
      rank: targets.rank,
    })
    .from(targets)
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(eq(targets.drawId, d.id))
    .orderBy(asc(targets.stratum), asc(targets.rank));
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
    targets: targetRows.map((t) => ({
      ...t,
      team: team.filter((m) => m.targetId === t.id).map(({ targetId: _t, ...m }) => m),
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
