/**
 * Reading plans: the plan list of a year, one plan with its batches, their progress and the
 * version history, and the joint office's year view (every department's plan, state, completion).
 *
 * Progress of a batch (from the task it was opened into; draws superseded by a redraw do not count):
 * - planned: the batch's 计划抽查户数; drawn: targets drawn; inspected: targets with a result entered
 *   (any state); published: targets with a published result.
 * Completion of a plan, both shown:
 * - batchRate = batches whose task is published (任务已公示) / batches of the plan;
 * - targetRate = Σ min(published, planned) / Σ planned, over the batches.
 * "As of" a date D counts only what happened by the end of D (China time): drawn by D, results
 * entered by D, published by D — "60 % by June" is the completion as of 30 June.
 */
import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { departments, planBatches, plans, tasks, users, type Executor } from '@choucha/db';
import { authorize, departmentFilter } from '../access.ts';
import type { Actor, Services } from '../context.ts';
import type { PlanBatchRow, PlanRow } from './plans.ts';

export interface BatchProgress {
  planned: number;
  drawn: number;
  inspected: number;
  published: number;
  /** The task is published (every result public). */
  done: boolean;
}

export interface Completion {
  batches: number;
  batchesDone: number;
  batchRate: number;
  planned: number;
  published: number;
  targetRate: number;
}

/** End of the day `asOf` (YYYY-MM-DD) in China time (UTC+8), as an instant. */
export function endOfDayChina(asOf: string): Date {
  return new Date(Date.parse(`${asOf}T00:00:00+08:00`) + 24 * 3600 * 1000);
}

/** Plans the actor reads: every plan (joint office, leaders); else the department's own and the joint plan. */
function planReadCondition(actor: Actor): SQL | undefined {
  const d = departmentFilter(actor);
  if (d === undefined) return undefined;
  return or(eq(plans.departmentId, d), eq(plans.kind, 'joint'));
}

function mayReadPlan(actor: Actor, plan: PlanRow): boolean {
  const d = departmentFilter(actor);
  return d === undefined || plan.kind === 'joint' || plan.departmentId === d;
}

/** Progress of tasks (by task id), as of an instant when given. */
async function taskProgress(db: Executor, taskIds: number[], until?: Date) {
  const out = new Map<number, Omit<BatchProgress, 'planned'>>();
  if (taskIds.length === 0) return out;
  const cut = until ? until.toISOString() : null;
  type Row = { task_id: number; drawn: number; inspected: number; published: number; done: boolean };
  const res = (await db.execute(sql`
    select t.id as task_id,
      (select count(*)::int from targets g join draws d on d.id = g.draw_id
         where g.task_id = t.id and d.status <> 'superseded'
           and (${cut}::timestamptz is null or d.drawn_at <= ${cut}::timestamptz)) as drawn,
      (select count(distinct r.target_id)::int from results r join targets g on g.id = r.target_id
         join draws d on d.id = g.draw_id
         where r.task_id = t.id and d.status <> 'superseded'
           and (${cut}::timestamptz is null or r.entered_at <= ${cut}::timestamptz)) as inspected,
      (select count(distinct r.target_id)::int from results r join targets g on g.id = r.target_id
         join draws d on d.id = g.draw_id
         where r.task_id = t.id and d.status <> 'superseded' and r.status = 'published'
           and (${cut}::timestamptz is null or r.published_at <= ${cut}::timestamptz)) as published,
      (t.status = 'published' and (${cut}::timestamptz is null or t.published_at <= ${cut}::timestamptz)) as done
    from tasks t where t.id in (${sql.join(
      taskIds.map((id) => sql`${id}`),
      sql`, `,
    )})`)) as unknown as { rows: Row[] } | Row[];
  for (const r of Array.isArray(res) ? res : res.rows)
    out.set(Number(r.task_id), {
      drawn: Number(r.drawn),
      inspected: Number(r.inspected),
      published: Number(r.published),
      done: r.done === true,
    });
  return out;
}

function completionOf(progress: BatchProgress[]): Completion {
  const batches = progress.length;
  const batchesDone = progress.filter((p) => p.done).length;
  const planned = progress.reduce((n, p) => n + p.planned, 0);
  const published = progress.reduce((n, p) => n + Math.min(p.published, p.planned), 0);
  return {
    batches,
    batchesDone,
    batchRate: batches === 0 ? 0 : batchesDone / batches,
    planned,
    published,
    targetRate: planned === 0 ? 0 : published / planned,
  };
}

async function batchesWithProgress(db: Executor, planIds: number[], asOf?: string) {
  if (planIds.length === 0) return new Map<number, { batch: PlanBatchRow; progress: BatchProgress }[]>();
  const rows = await db
    .select()
    .from(planBatches)
    .where(inArray(planBatches.planId, planIds))
    .orderBy(asc(planBatches.seq), asc(planBatches.id));
  const until = asOf ? endOfDayChina(asOf) : undefined;
  const prog = await taskProgress(
    db,
    rows.flatMap((b) =>
      b.taskId !== null && (!until || (b.openedAt !== null && b.openedAt < until)) ? [b.taskId] : [],
    ),
    until,
  );
  const out = new Map<number, { batch: PlanBatchRow; progress: BatchProgress }[]>();
  for (const b of rows) {
    const p = b.taskId !== null ? prog.get(b.taskId) : undefined;
    const list = out.get(b.planId) ?? [];
    list.push({
      batch: b,
      progress: { planned: b.plannedQuantity, drawn: 0, inspected: 0, published: 0, done: false, ...p },
    });
    out.set(b.planId, list);
  }
  return out;
}

async function deptNames(db: Executor) {
  const rows = await db.select({ id: departments.id, name: departments.name }).from(departments);
  return new Map(rows.map((r) => [r.id, r.name]));
}

function planSummary(p: PlanRow, names: Map<number, string>) {
  return {
    id: p.id,
    kind: p.kind,
    departmentId: p.departmentId,
    departmentName: p.departmentId === null ? null : (names.get(p.departmentId) ?? ''),
    year: p.year,
    name: p.name,
    version: p.version,
    previousId: p.previousId,
    status: p.status,
    note: p.note,
    amendReason: p.amendReason,
    returnReason: p.returnReason,
    filedAt: p.filedAt?.toISOString() ?? null,
    decidedAt: p.decidedAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/**
 * The plans of a year the actor reads: for each series (a department's plan, the joint plan), the
 * version in force (else the latest), with its pending amendment and its completion.
 */
export async function listPlans(
  svc: Services,
  actor: Actor,
  opts: { year?: number | undefined; asOf?: string | undefined } = {},
) {
  authorize(actor, 'plan.read');
  const db = svc.database.db;
  const rows = await db
    .select()
    .from(plans)
    .where(
      and(
        planReadCondition(actor),
        opts.year ? eq(plans.year, opts.year) : undefined,
        ne(plans.status, 'superseded'),
      ),
    )
    .orderBy(desc(plans.year), asc(plans.kind), asc(plans.departmentId), asc(plans.version));
  // an amendment not yet approved is shown on its plan, not as a plan of its own
  const pendingOf = new Map<number, PlanRow>();
  const shown: PlanRow[] = [];
  for (const r of rows) {
    if (r.previousId !== null && !['approved', 'in_progress', 'done'].includes(r.status))
      pendingOf.set(r.previousId, r);
    else shown.push(r);
  }
  // an amendment whose previous version is not visible here (cannot happen) is shown by itself
  for (const [prev, a] of pendingOf) if (!shown.some((s) => s.id === prev)) shown.push(a);
  const names = await deptNames(db);
  const batches = await batchesWithProgress(
    db,
    shown.map((p) => p.id),
    opts.asOf,
  );
  return shown.map((p) => {
    const bs = batches.get(p.id) ?? [];
    const amendment = pendingOf.get(p.id);
    return {
      ...planSummary(p, names),
      batchCount: bs.length,
      openedCount: bs.filter((b) => b.batch.taskId !== null).length,
      jointBatchCount: bs.filter((b) => b.batch.cooperatingDepartmentIds.length > 0).length,
      completion: completionOf(bs.map((b) => b.progress)),
      amendment: amendment
        ? { id: amendment.id, version: amendment.version, status: amendment.status }
        : null,
    };
  });
}

/** One plan version with its batches and their progress, and the series' versions. */
export async function getPlan(
  svc: Services,
  actor: Actor,
  planId: number,
  opts: { asOf?: string | undefined } = {},
) {
  authorize(actor, 'plan.read');
  const db = svc.database.db;
  const [plan] = await db.select().from(plans).where(eq(plans.id, planId));
  if (!plan || !mayReadPlan(actor, plan))
    throw new AppError('PLAN_NOT_FOUND', `No plan ${planId}`, { planId });
  const names = await deptNames(db);
  const bs = (await batchesWithProgress(db, [plan.id], opts.asOf)).get(plan.id) ?? [];
  const taskIds = bs.flatMap((b) => (b.batch.taskId !== null ? [b.batch.taskId] : []));
  const taskRows =
    taskIds.length === 0
      ? []
      : await db.select({ id: tasks.id, status: tasks.status }).from(tasks).where(inArray(tasks.id, taskIds));
  const versions = await db
    .select({
      id: plans.id,
      version: plans.version,
      status: plans.status,
      amendReason: plans.amendReason,
      createdAt: plans.createdAt,
      decidedAt: plans.decidedAt,
    })
    .from(plans)
    .where(
      and(
        eq(plans.kind, plan.kind),
        eq(plans.year, plan.year),
        plan.departmentId === null ? isNull(plans.departmentId) : eq(plans.departmentId, plan.departmentId),
      ),
    )
    .orderBy(asc(plans.version));
  const [createdBy] =
    plan.createdBy === null
      ? []
      : await db.select({ name: users.displayName }).from(users).where(eq(users.id, plan.createdBy));
  return {
    ...planSummary(plan, names),
    createdByName: createdBy?.name ?? null,
    asOf: opts.asOf ?? null,
    completion: completionOf(bs.map((b) => b.progress)),
    batches: bs.map(({ batch: b, progress }) => ({
      id: b.id,
      originId: b.originId ?? b.id,
      seq: b.seq,
      name: b.name,
      itemIds: b.itemIds,
      scope: (b.scope ?? null) as Record<string, string[]> | null,
      sampling: b.sampling as Record<string, unknown>,
      plannedQuantity: b.plannedQuantity,
      windowStart: b.windowStart,
      windowEnd: b.windowEnd,
      directed: b.directed,
      leadDepartmentId: b.leadDepartmentId,
      leadDepartmentName: names.get(b.leadDepartmentId) ?? '',
      cooperatingDepartmentIds: b.cooperatingDepartmentIds,
      cooperatingDepartmentNames: b.cooperatingDepartmentIds.map((d) => names.get(d) ?? ''),
      taskId: b.taskId,
      taskStatus: taskRows.find((t) => t.id === b.taskId)?.status ?? null,
      openedAt: b.openedAt?.toISOString() ?? null,
      progress,
    })),
    versions: versions.map((v) => ({
      ...v,
      createdAt: v.createdAt.toISOString(),
      decidedAt: v.decidedAt?.toISOString() ?? null,
    })),
  };
}

/**
 * The joint office's year view: every department's plan for the year (state, batches, completion
 * as of a date), the joint plan, the departments without a plan, and the district's completion.
 */
export async function planYearOverview(svc: Services, actor: Actor, year: number, asOf?: string) {
  authorize(actor, 'plan.read');
  const list = await listPlans(svc, actor, { year, asOf });
  const db = svc.database.db;
  // the district's member units (区本级, departments.level 'district'): city and province
  // departments file no district plan, whichever bureau is marked as the lead
  const depts = await db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.active, true), eq(departments.level, 'district')))
    .orderBy(asc(departments.id));
  const d = departmentFilter(actor);
  const withPlan = new Set(list.map((p) => p.departmentId));
  const missing = depts
    .filter((x) => (d === undefined || x.id === d) && !withPlan.has(x.id))
    .map(({ id, name }) => ({ id, name }));
  const sum = list.reduce(
    (a, p) => ({
      batches: a.batches + p.completion.batches,
      batchesDone: a.batchesDone + p.completion.batchesDone,
      planned: a.planned + p.completion.planned,
      published: a.published + p.completion.published,
    }),
    { batches: 0, batchesDone: 0, planned: 0, published: 0 },
  );
  return {
    year,
    asOf: asOf ?? null,
    plans: list,
    departmentsWithoutPlan: missing,
    byStatus: Object.fromEntries(
      [...new Set(list.map((p) => p.status))].map((s) => [s, list.filter((p) => p.status === s).length]),
    ),
    completion: {
      ...sum,
      batchRate: sum.batches === 0 ? 0 : sum.batchesDone / sum.batches,
      targetRate: sum.planned === 0 ? 0 : sum.published / sum.planned,
    } satisfies Completion,
  };
}

/** The plan a batch belongs to (PLAN_BATCH_NOT_FOUND when there is none). */
export async function planBatchPlanId(svc: Services, batchId: number): Promise<number> {
  const [b] = await svc.database.db
    .select({ planId: planBatches.planId })
    .from(planBatches)
    .where(eq(planBatches.id, batchId));
  if (!b) throw new AppError('PLAN_BATCH_NOT_FOUND', `No plan batch ${batchId}`, { batchId });
  return b.planId;
}
