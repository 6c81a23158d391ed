/**
 * The dashboard's deadlines (issue 9 §5): the nearest publicity deadlines of a year's work on the
 * official working-day calendar, and the tasks past theirs.
 *
 * - a result not yet published is due 20 working days after its inspection (inspectedOn + 20);
 * - a task's targets without any result are due 20 working days after the task's window end (the
 *   task's publicity deadline, as the task pages show it);
 * - a task is overdue when its publicity deadline has passed and it is not published yet (some
 *   target of its live draw has no published result). Drafts have no deadline.
 *
 * The list is the actor's department's work for a department's staff (its results; its tasks and
 * the joint tasks it takes part in), the district's for the joint office and leaders; the count of
 * overdue tasks is the district's, like the dashboard's other figures.
 */
import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { DeadlineStateName } from '@choucha/core';
import { departments, draws, entities, results, targets, tasks } from '@choucha/db';
import { departmentFilter } from '../access.ts';
import type { Actor, Services } from '../context.ts';
import { resultDeadlines } from './results/deadlines.ts';

export const DASHBOARD_DEADLINES_LIMIT = 10;

export interface DashboardDeadline {
  kind: 'result' | 'task';
  dueOn: string;
  state: DeadlineStateName;
  /** working days left; negative when overdue */
  remaining: number;
  taskId: number;
  taskName: string;
  departmentName: string;
  /** kind 'result': the result, its entity and status (submitted / approved / rejected / draft) */
  resultId: number | null;
  entityName: string | null;
  status: string;
  /** kind 'task': targets of the live draw without any result yet */
  openTargets: number;
}

export interface DashboardDeadlines {
  today: string;
  /** tasks of the year past their publicity deadline and not published (district-wide) */
  overdueTasks: number;
  /** the nearest deadlines first (the most overdue on top), at most DASHBOARD_DEADLINES_LIMIT */
  items: DashboardDeadline[];
}

const byUrgency = (a: DashboardDeadline, b: DashboardDeadline) =>
  a.remaining - b.remaining ||
  a.dueOn.localeCompare(b.dueOn) ||
  a.taskId - b.taskId ||
  (a.resultId ?? 0) - (b.resultId ?? 0);

export async function dashboardDeadlines(
  svc: Services,
  actor: Actor,
  year: number,
): Promise<DashboardDeadlines> {
  const db = svc.database.db;
  const dl = await resultDeadlines(svc);
  const own = departmentFilter(actor);

  const resultConds: SQL[] = [eq(tasks.year, year), ne(results.status, 'published')];
  if (own !== undefined) resultConds.push(eq(results.departmentId, own));
  const open = await db
    .select({
      resultId: results.id,
      taskId: tasks.id,
      taskName: tasks.name,
      departmentName: departments.name,
      entityName: entities.name,
      status: results.status,
      inspectedOn: results.inspectedOn,
    })
    .from(results)
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .innerJoin(departments, eq(departments.id, results.departmentId))
    .where(and(...resultConds));

  const live = await db
    .select({
      taskId: tasks.id,
      taskName: tasks.name,
      departmentName: departments.name,
      status: tasks.status,
      departmentId: tasks.departmentId,
      jointDepartmentIds: tasks.jointDepartmentIds,
      windowEnd: tasks.windowEnd,
      openTargets: sql<number>`count(distinct ${targets.id}) filter (where not exists (
        select 1 from ${results} x where x.target_id = ${targets.id}))::int`,
    })
    .from(tasks)
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .leftJoin(draws, and(eq(draws.taskId, tasks.id), ne(draws.status, 'superseded')))
    .leftJoin(targets, eq(targets.drawId, draws.id))
    .where(and(eq(tasks.year, year), inArray(tasks.status, ['committed', 'drawn', 'matched', 'results'])))
    .groupBy(
      tasks.id,
      tasks.name,
      departments.name,
      tasks.status,
      tasks.departmentId,
      tasks.jointDepartmentIds,
      tasks.windowEnd,
    )
    .orderBy(asc(tasks.id));

  let overdueTasks = 0;
  const items: DashboardDeadline[] = [];
  for (const t of live) {
    const dueOn = dl.publicityDue(String(t.windowEnd));
    const s = dl.state(dueOn);
    if (s.state === 'overdue') overdueTasks++;
    const n = Number(t.openTargets);
    const ours = own === undefined || t.departmentId === own || t.jointDepartmentIds.includes(own);
    if (n > 0 && ours)
      items.push({
        kind: 'task',
        dueOn,
        ...s,
        taskId: t.taskId,
        taskName: t.taskName,
        departmentName: t.departmentName,
        resultId: null,
        entityName: null,
        status: t.status,
        openTargets: n,
      });
  }
  for (const r of open) {
    const dueOn = dl.publicityDue(String(r.inspectedOn));
    items.push({
      kind: 'result',
      dueOn,
      ...dl.state(dueOn),
      taskId: r.taskId,
      taskName: r.taskName,
      departmentName: r.departmentName,
      resultId: r.resultId,
      entityName: r.entityName,
      status: r.status,
      openTargets: 0,
    });
  }
  items.sort(byUrgency);
  return { today: dl.today, overdueTasks, items: items.slice(0, DASHBOARD_DEADLINES_LIMIT) };
}
