import { and, desc, eq, sql } from 'drizzle-orm';
import { departments, draws, results, targets, tasks } from '@choucha/db';
import { authorize } from './access.ts';
import type { Actor, Services } from './context.ts';
import { currentRules } from './admin/settings.ts';
import { jointIndicator } from './campaigns/joint-burden.ts';
import { publicityTimeliness } from './campaigns/results/review-queue.ts';
import { dashboardDeadlines } from './campaigns/dashboard-deadlines.ts';

/**
 * The joint-inspection indicator and campaign counts for one year (targets of live draws), with
 * the district's yearly targets for the joint share and joint objects (the rules in the settings).
 *
 * The indicator (campaigns/joint-burden.ts): an entity is inspected jointly only when at least two
 * departments entered a result for it in one visit (a target of a joint task, or a joint visit);
 * jointShare = jointEntities / inspectedEntities. `jointTargets` is what was planned jointly (the
 * targets of joint tasks), whatever the results.
 *
 * Results in review: `pendingReview` awaits the department's decision (submitted),
 * `awaitingPublication` was approved and awaits the joint office's publication. 公示及时率
 * (`timeliness`, campaigns/results/review-queue.ts) with the overdue counts (results not published
 * past their deadline, tasks past theirs) and the nearest deadlines (campaigns/dashboard-deadlines.ts).
 *
 * Without a year: the latest year that has tasks (`years`, newest first), else this year.
 */
export async function dashboard(svc: Services, actor: Actor, requestedYear?: number) {
  authorize(actor, 'dashboard.read');
  const db = svc.database.db;
  const years = (await db.selectDistinct({ year: tasks.year }).from(tasks).orderBy(desc(tasks.year))).map(
    (r) => Number(r.year),
  );
  const year = requestedYear ?? years[0] ?? svc.clock().getFullYear();
  const perDept = await db
    .select({
      departmentId: departments.id,
      departmentName: departments.name,
      tasks: sql<number>`count(distinct ${tasks.id})::int`,
      jointTasks: sql<number>`count(distinct ${tasks.id}) filter (where ${tasks.isJoint})::int`,
      targets: sql<number>`count(distinct ${targets.id})::int`,
      jointTargets: sql<number>`count(distinct ${targets.id}) filter (where ${tasks.isJoint})::int`,
      published: sql<number>`count(distinct ${results.id}) filter (where ${results.status} = 'published')::int`,
    })
    .from(departments)
    .leftJoin(tasks, and(eq(tasks.departmentId, departments.id), eq(tasks.year, year)))
    .leftJoin(draws, and(eq(draws.taskId, tasks.id), sql`${draws.status} <> 'superseded'`))
    .leftJoin(targets, eq(targets.drawId, draws.id))
    .leftJoin(results, eq(results.targetId, targets.id))
    .groupBy(departments.id, departments.name)
    .orderBy(departments.id);
  const indicator = await jointIndicator(db, year);
  const byDepartment = perDept.map((d) => ({
    ...d,
    tasks: Number(d.tasks),
    jointTasks: Number(d.jointTasks),
    targets: Number(d.targets),
    jointTargets: Number(d.jointTargets),
    published: Number(d.published),
    inspectedEntities: indicator.byDepartment.get(d.departmentId)?.inspectedEntities ?? 0,
    jointEntities: indicator.byDepartment.get(d.departmentId)?.jointEntities ?? 0,
  }));
  const sum = (k: 'tasks' | 'jointTasks' | 'targets' | 'jointTargets' | 'published') =>
    byDepartment.reduce((n, d) => n + d[k], 0);
  const [extra] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${results.status} = 'submitted')::int`,
      approved: sql<number>`count(*) filter (where ${results.status} = 'approved')::int`,
      problems: sql<number>`count(distinct ${results.targetId}) filter (where ${results.status} = 'published' and not (${results.codes} = array['未发现问题']::text[]))::int`,
    })
    .from(results)
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .where(eq(tasks.year, year));
  const byMonth = await db
    .select({
      month: sql<string>`to_char(${tasks.windowStart}::date, 'YYYY-MM')`,
      targets: sql<number>`count(distinct ${targets.id})::int`,
      published: sql<number>`count(distinct ${results.id}) filter (where ${results.status} = 'published')::int`,
    })
    .from(tasks)
    .innerJoin(draws, and(eq(draws.taskId, tasks.id), sql`${draws.status} <> 'superseded'`))
    .innerJoin(targets, eq(targets.drawId, draws.id))
    .leftJoin(results, eq(results.targetId, targets.id))
    .where(eq(tasks.year, year))
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  const rules = await currentRules(svc);
  const timely = await publicityTimeliness(svc, actor, year);
  const deadlines = await dashboardDeadlines(svc, actor, year);
  return {
    year,
    years,
    today: deadlines.today,
    tasks: sum('tasks'),
    jointTasks: sum('jointTasks'),
    targets: sum('targets'),
    jointTargets: sum('jointTargets'),
    published: sum('published'),
    pendingReview: Number(extra?.pending ?? 0),
    awaitingPublication: Number(extra?.approved ?? 0),
    problemsFound: Number(extra?.problems ?? 0),
    inspectedEntities: indicator.inspectedEntities,
    jointEntities: indicator.jointEntities,
    jointVisits: indicator.jointVisits,
    jointShare: indicator.inspectedEntities === 0 ? 0 : indicator.jointEntities / indicator.inspectedEntities,
    goals: { jointSharePercent: rules.jointSharePercent, jointObjects: rules.jointObjectsTarget },
    timeliness: {
      rate: timely.rate,
      published: timely.published,
      onTime: timely.onTime,
      late: timely.late,
      corrections: timely.corrections,
    },
    overdue: { results: timely.overdueOpen, tasks: deadlines.overdueTasks },
    deadlines: deadlines.items,
    byDepartment,
    byMonth: byMonth.map((m) => ({
      month: m.month,
      targets: Number(m.targets),
      published: Number(m.published),
    })),
  };
}
