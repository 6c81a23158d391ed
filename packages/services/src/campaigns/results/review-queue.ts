/**
 * The review queue (审核): the department's admin approves or sends back his department's results,
 * the joint office publishes the approved ones. Filters (task, department, deadline state), sorted
 * by the publicity deadline (inspection + 20 working days on the official calendar). And the
 * timeliness indicator (公示及时率): results published within their deadline / results published.
 */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { chinaDate, type DeadlineStateName } from '@choucha/core';
import {
  departments,
  entities,
  resultAttachments,
  resultCorrections,
  results,
  targets,
  tasks,
  users,
  type ResultStatus,
} from '@choucha/db';
import { authorize, departmentFilter } from '../../access.ts';
import type { Actor, Services } from '../../context.ts';
import { resultDeadlines, type Deadlines } from './deadlines.ts';

export interface ReviewFilter {
  status?: ResultStatus | undefined;
  taskId?: number | undefined;
  departmentId?: number | undefined;
  deadline?: DeadlineStateName | undefined;
  /** 'deadline' (default): the most urgent first; 'entered': oldest entry first */
  sort?: 'deadline' | 'entered' | undefined;
}

const QUEUE_LIMIT = 500;

/** Where a result stands against its publicity deadline: published on time or late, or still open. */
export function publicityStanding(
  dl: Deadlines,
  r: { inspectedOn: string; publishedAt: Date | null },
): { dueOn: string; state: DeadlineStateName; remaining: number } {
  const dueOn = dl.publicityDue(r.inspectedOn);
  if (r.publishedAt) {
    const on = chinaDate(r.publishedAt);
    const remaining = dl.cal.workingDaysBetween(on, dueOn);
    return { dueOn, state: on <= dueOn ? 'ok' : 'overdue', remaining };
  }
  return { dueOn, ...dl.state(dueOn) };
}

export async function listForReview(svc: Services, actor: Actor, filter: ReviewFilter | string = {}) {
  authorize(actor, 'result.approve');
  const f: ReviewFilter = typeof filter === 'string' ? { status: filter as ResultStatus } : filter;
  const db = svc.database.db;
  const own = departmentFilter(actor);
  const conds: SQL[] = [eq(results.status, f.status ?? 'submitted')];
  if (own !== undefined) conds.push(eq(results.departmentId, own));
  if (f.departmentId !== undefined) conds.push(eq(results.departmentId, f.departmentId));
  if (f.taskId !== undefined) conds.push(eq(results.taskId, f.taskId));
  const enterer = sql<
    string | null
  >`(select ${users.displayName} from ${users} where ${users.id} = ${results.enteredBy})`;
  const rows = await db
    .select({
      resultId: results.id,
      taskId: tasks.id,
      taskName: tasks.name,
      departmentId: results.departmentId,
      departmentName: departments.name,
      entityName: entities.name,
      key: targets.key,
      codes: results.codes,
      followUps: results.followUps,
      note: results.note,
      inspectedOn: results.inspectedOn,
      enteredAt: results.enteredAt,
      enteredByName: enterer,
      status: results.status,
      reviewNote: results.reviewNote,
      response: results.response,
      approvedAt: results.approvedAt,
      publishedAt: results.publishedAt,
      version: results.version,
    })
    .from(results)
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(departments, eq(departments.id, results.departmentId))
    .where(and(...conds))
    .orderBy(asc(results.inspectedOn), asc(results.id))
    .limit(5000);
  const dl = await resultDeadlines(svc);
  const ids = rows.map((r) => r.resultId);
  const files = ids.length
    ? await db
        .select({ resultId: resultAttachments.resultId, n: count() })
        .from(resultAttachments)
        .where(inArray(resultAttachments.resultId, ids))
        .groupBy(resultAttachments.resultId)
    : [];
  const withDeadline = rows
    .map((r) => ({
      ...r,
      inspectedOn: String(r.inspectedOn),
      enteredAt: r.enteredAt.toISOString(),
      approvedAt: r.approvedAt?.toISOString() ?? null,
      publishedAt: r.publishedAt?.toISOString() ?? null,
      attachments: Number(files.find((x) => x.resultId === r.resultId)?.n ?? 0),
      deadline: publicityStanding(dl, { inspectedOn: String(r.inspectedOn), publishedAt: r.publishedAt }),
    }))
    .filter((r) => f.deadline === undefined || r.deadline.state === f.deadline);
  if ((f.sort ?? 'deadline') === 'deadline')
    withDeadline.sort((a, b) => a.deadline.remaining - b.deadline.remaining || a.resultId - b.resultId);
  else withDeadline.sort((a, b) => a.enteredAt.localeCompare(b.enteredAt) || a.resultId - b.resultId);
  return { items: withDeadline.slice(0, QUEUE_LIMIT), total: withDeadline.length, today: dl.today };
}

export interface Timeliness {
  year: number;
  /** results published (of the year's tasks) */
  published: number;
  /** of those, published within 20 working days of the inspection */
  onTime: number;
  late: number;
  /** not published yet and past the deadline today */
  overdueOpen: number;
  /** onTime / published (null when nothing is published) */
  rate: number | null;
  /** corrections (更正) of the year's published results */
  corrections: number;
  byDepartment: {
    departmentId: number;
    departmentName: string;
    published: number;
    onTime: number;
    late: number;
    overdueOpen: number;
  }[];
}

/** 公示及时率 for one year (tasks of that year), district-wide and per department. */
export async function publicityTimeliness(svc: Services, actor: Actor, year: number): Promise<Timeliness> {
  authorize(actor, 'dashboard.read');
  const db = svc.database.db;
  const rows = await db
    .select({
      departmentId: results.departmentId,
      status: results.status,
      inspectedOn: results.inspectedOn,
      publishedAt: results.publishedAt,
    })
    .from(results)
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .where(eq(tasks.year, year));
  const [corr] = await db
    .select({ n: count() })
    .from(resultCorrections)
    .innerJoin(results, eq(results.id, resultCorrections.resultId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .where(eq(tasks.year, year));
  const depts = await db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .orderBy(asc(departments.id));
  const dl = await resultDeadlines(svc);
  const per = new Map<number, { published: number; onTime: number; late: number; overdueOpen: number }>();
  for (const r of rows) {
    const d = per.get(r.departmentId) ?? { published: 0, onTime: 0, late: 0, overdueOpen: 0 };
    per.set(r.departmentId, d);
    const s = publicityStanding(dl, { inspectedOn: String(r.inspectedOn), publishedAt: r.publishedAt });
    if (r.status === 'published') {
      d.published++;
      if (s.state === 'overdue') d.late++;
      else d.onTime++;
    } else if (s.state === 'overdue') d.overdueOpen++;
  }
  const byDepartment = depts
    .filter((d) => per.has(d.id))
    .map((d) => ({ departmentId: d.id, departmentName: d.name, ...per.get(d.id)! }));
  const sum = (k: 'published' | 'onTime' | 'late' | 'overdueOpen') =>
    byDepartment.reduce((n, d) => n + d[k], 0);
  const published = sum('published');
  return {
    year,
    published,
    onTime: sum('onTime'),
    late: sum('late'),
    overdueOpen: sum('overdueOpen'),
    rate: published ? sum('onTime') / published : null,
    corrections: Number(corr?.n ?? 0),
    byDepartment,
  };
}
