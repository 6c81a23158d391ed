/**
 * Reading 相同对象、相近时间 (campaigns/joint.ts): the proposals with their members as they are now
 * (a draft task, a plan batch, a drawn target — still eligible or changed), and the joint visits.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  departments,
  draws,
  entities,
  jointVisits,
  jointVisitTargets,
  mergeProposals,
  planBatches,
  plans,
  results,
  targets,
  tasks,
  type Executor,
} from '@choucha/db';
import { authorize, departmentFilter } from '../access.ts';
import type { Actor, Services } from '../context.ts';

/** Plans whose unopened batches can still be merged. */
export const OPEN_PLAN_STATUSES = ['draft', 'filed', 'approved', 'returned', 'in_progress'];

// ---- the proposals, as the joint office reads them ----------------------------------------------

export interface ProposalMember {
  ref: string;
  kind: 'task' | 'batch' | 'target';
  id: number;
  name: string;
  departmentId: number;
  departmentName: string;
  windowStart: string;
  windowEnd: string;
  /** Still what the proposal saw: a draft task, an unopened batch, a target not yet visited. */
  eligible: boolean;
  taskId: number | null;
  planName: string | null;
}

export function parseRef(ref: string): { kind: 'task' | 'batch' | 'target'; id: number } {
  const [k, n] = ref.split(':');
  if ((k !== 'task' && k !== 'batch' && k !== 'target') || !n) throw new Error(`Invariant: bad ref ${ref}`);
  return { kind: k, id: Number(n) };
}

export async function membersOf(ex: Executor, refs: readonly string[]): Promise<Map<string, ProposalMember>> {
  const parsed = refs.map((r) => ({ ref: r, ...parseRef(r) }));
  const ids = (k: string) => [...new Set(parsed.filter((p) => p.kind === k).map((p) => p.id))];
  const out = new Map<string, ProposalMember>();
  const taskIds = ids('task');
  if (taskIds.length)
    for (const t of await ex
      .select({
        id: tasks.id,
        name: tasks.name,
        departmentId: tasks.departmentId,
        departmentName: departments.name,
        windowStart: tasks.windowStart,
        windowEnd: tasks.windowEnd,
        status: tasks.status,
      })
      .from(tasks)
      .innerJoin(departments, eq(departments.id, tasks.departmentId))
      .where(inArray(tasks.id, taskIds)))
      out.set(`task:${t.id}`, {
        ref: `task:${t.id}`,
        kind: 'task',
        id: t.id,
        name: t.name,
        departmentId: t.departmentId,
        departmentName: t.departmentName,
        windowStart: t.windowStart,
        windowEnd: t.windowEnd,
        eligible: t.status === 'draft',
        taskId: t.id,
        planName: null,
      });
  const batchIds = ids('batch');
  if (batchIds.length)
    for (const b of await ex
      .select({
        id: planBatches.id,
        name: planBatches.name,
        departmentId: planBatches.leadDepartmentId,
        departmentName: departments.name,
        windowStart: planBatches.windowStart,
        windowEnd: planBatches.windowEnd,
        taskId: planBatches.taskId,
        planName: plans.name,
        planStatus: plans.status,
      })
      .from(planBatches)
      .innerJoin(plans, eq(plans.id, planBatches.planId))
      .innerJoin(departments, eq(departments.id, planBatches.leadDepartmentId))
      .where(inArray(planBatches.id, batchIds)))
      out.set(`batch:${b.id}`, {
        ref: `batch:${b.id}`,
        kind: 'batch',
        id: b.id,
        name: b.name,
        departmentId: b.departmentId,
        departmentName: b.departmentName,
        windowStart: b.windowStart,
        windowEnd: b.windowEnd,
        eligible: b.taskId === null && OPEN_PLAN_STATUSES.includes(b.planStatus),
        taskId: b.taskId,
        planName: b.planName,
      });
  const targetIds = ids('target');
  if (targetIds.length)
    for (const t of await ex
      .select({
        id: targets.id,
        name: tasks.name,
        taskId: tasks.id,
        departmentId: tasks.departmentId,
        departmentName: departments.name,
        windowStart: tasks.windowStart,
        windowEnd: tasks.windowEnd,
        drawStatus: draws.status,
        visited: sql<boolean>`exists (select 1 from ${results} r where r.target_id = ${targets.id})`,
      })
      .from(targets)
      .innerJoin(draws, eq(draws.id, targets.drawId))
      .innerJoin(tasks, eq(tasks.id, targets.taskId))
      .innerJoin(departments, eq(departments.id, tasks.departmentId))
      .where(inArray(targets.id, targetIds)))
      out.set(`target:${t.id}`, {
        ref: `target:${t.id}`,
        kind: 'target',
        id: t.id,
        name: t.name,
        departmentId: t.departmentId,
        departmentName: t.departmentName,
        windowStart: t.windowStart,
        windowEnd: t.windowEnd,
        eligible: (t.drawStatus === 'drawn' || t.drawStatus === 'matched') && !t.visited,
        taskId: t.taskId,
        planName: null,
      });
  return out;
}

function missingMember(ref: string): ProposalMember {
  const { kind, id } = parseRef(ref);
  return {
    ref,
    kind,
    id,
    name: '',
    departmentId: 0,
    departmentName: '',
    windowStart: '',
    windowEnd: '',
    eligible: false,
    taskId: null,
    planName: null,
  };
}

export type ProposalRow = typeof mergeProposals.$inferSelect;

export async function proposalViews(ex: Executor, rows: ProposalRow[]) {
  const members = await membersOf(
    ex,
    rows.flatMap((r) => r.memberRefs),
  );
  const entityIds = [...new Set(rows.map((r) => r.entityId).filter((e): e is number => e !== null))];
  const names = new Map(
    entityIds.length
      ? (
          await ex
            .select({ id: entities.id, name: entities.name })
            .from(entities)
            .where(inArray(entities.id, entityIds))
        ).map((e) => [e.id, e.name])
      : [],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    key: r.key,
    year: r.year,
    status: r.status,
    departmentIds: r.departmentIds,
    entityId: r.entityId,
    entityName: r.entityId !== null ? (names.get(r.entityId) ?? '') : null,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    gapDays: r.gapDays,
    detectedAt: r.detectedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
    leadDepartmentId: r.leadDepartmentId,
    resultTaskId: r.resultTaskId,
    resultVisitId: r.resultVisitId,
    members: r.memberRefs.map((ref) => members.get(ref) ?? missingMember(ref)),
  }));
}

export type MergeProposalView = Awaited<ReturnType<typeof proposalViews>>[number];

/**
 * The proposals of a year: the joint office and leaders see all; a department's staff see those
 * that involve their department.
 */
export async function listMergeProposals(
  svc: Services,
  actor: Actor,
  opts: { year: number; status?: string | undefined },
) {
  authorize(actor, 'task.read');
  const db = svc.database.db as Executor;
  const d = departmentFilter(actor);
  const rows = await db
    .select()
    .from(mergeProposals)
    .where(
      and(
        eq(mergeProposals.year, opts.year),
        opts.status ? eq(mergeProposals.status, opts.status as ProposalRow['status']) : undefined,
        d === undefined ? undefined : sql`${d} = any(${mergeProposals.departmentIds})`,
      ),
    )
    .orderBy(
      sql`case ${mergeProposals.status} when 'open' then 0 else 1 end`,
      asc(mergeProposals.kind),
      asc(mergeProposals.windowStart),
      asc(mergeProposals.key),
    );
  return proposalViews(db, rows);
}

// ---- joint visits -------------------------------------------------------------------------------

/** The joint visits of a year with their targets (department, task), for the joint page. */
export async function listJointVisits(svc: Services, actor: Actor, year: number) {
  authorize(actor, 'task.read');
  const db = svc.database.db as Executor;
  const d = departmentFilter(actor);
  const rows = await db
    .select({
      visitId: jointVisits.id,
      entityId: jointVisits.entityId,
      entityName: entities.name,
      windowStart: jointVisits.windowStart,
      windowEnd: jointVisits.windowEnd,
      targetId: targets.id,
      taskId: tasks.id,
      taskName: tasks.name,
      departmentId: tasks.departmentId,
      departmentName: departments.name,
      resulted: sql<boolean>`exists (select 1 from ${results} r where r.target_id = ${targets.id} and r.status not in ('draft', 'rejected'))`,
    })
    .from(jointVisits)
    .innerJoin(entities, eq(entities.id, jointVisits.entityId))
    .innerJoin(jointVisitTargets, eq(jointVisitTargets.visitId, jointVisits.id))
    .innerJoin(targets, eq(targets.id, jointVisitTargets.targetId))
    .innerJoin(tasks, eq(tasks.id, targets.taskId))
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .where(eq(jointVisits.year, year))
    .orderBy(asc(jointVisits.windowStart), asc(jointVisits.id), asc(targets.id));
  const visits = new Map<
    number,
    {
      id: number;
      entityId: number;
      entityName: string;
      windowStart: string;
      windowEnd: string;
      targets: {
        targetId: number;
        taskId: number;
        taskName: string;
        departmentId: number;
        departmentName: string;
        resulted: boolean;
      }[];
    }
  >();
  for (const r of rows) {
    const v = visits.get(r.visitId) ?? {
      id: r.visitId,
      entityId: r.entityId,
      entityName: r.entityName,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      targets: [],
    };
    v.targets.push({
      targetId: r.targetId,
      taskId: r.taskId,
      taskName: r.taskName,
      departmentId: r.departmentId,
      departmentName: r.departmentName,
      resulted: Boolean(r.resulted),
    });
    visits.set(r.visitId, v);
  }
  return [...visits.values()].filter((v) => d === undefined || v.targets.some((t) => t.departmentId === d));
}

/** The joint visit a target belongs to (null if none): the task page shows it. */
export async function jointVisitOfTarget(ex: Executor, targetId: number): Promise<number | null> {
  const [r] = await ex
    .select({ v: jointVisitTargets.visitId })
    .from(jointVisitTargets)
    .where(eq(jointVisitTargets.targetId, targetId));
  return r?.v ?? null;
}
