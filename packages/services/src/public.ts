/**
 * What the public portal shows: published results and draws. Never the risk class, never an
 * unpublished result. Every query here selects its columns explicitly for that reason.
 */
import { and, asc, count, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { departments, draws, entities, items, results, targets, taskItems, tasks } from '@choucha/db';
import { escapeLike } from './directories.ts';
import type { Services } from './context.ts';

export async function publicResults(
  svc: Services,
  q: { page: number; pageSize: number; q?: string | undefined },
) {
  const db = svc.database.db;
  const text = q.q?.trim();
  const cond = and(
    eq(results.status, 'published'),
    text
      ? or(
          ilike(entities.name, `%${escapeLike(text)}%`),
          sql`${targets.key} like ${`${text.toUpperCase()}%`}`,
        )
      : undefined,
  );
  const rows = await db
    .select({
      id: results.id,
      entityName: entities.name,
      code: targets.key,
      taskId: tasks.id,
      taskName: tasks.name,
      departmentName: departments.name,
      codes: results.codes,
      inspectedOn: results.inspectedOn,
      publishedAt: results.publishedAt,
      drawId: targets.drawId,
    })
    .from(results)
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .innerJoin(tasks, eq(tasks.id, results.taskId))
    .innerJoin(departments, eq(departments.id, results.departmentId))
    .where(cond)
    .orderBy(desc(results.publishedAt), desc(results.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db
    .select({ n: count() })
    .from(results)
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(cond);
  const taskIds = [...new Set(rows.map((r) => r.taskId))];
  const itemRows = taskIds.length
    ? await db
        .select({ taskId: taskItems.taskId, name: items.name })
        .from(taskItems)
        .innerJoin(items, eq(items.id, taskItems.itemId))
        .where(inArray(taskItems.taskId, taskIds))
        .orderBy(asc(items.id))
    : [];
  return {
    items: rows.map(({ taskId, publishedAt, ...r }) => ({
      ...r,
      items: itemRows.filter((i) => i.taskId === taskId).map((i) => i.name),
      publishedAt: publishedAt?.toISOString() ?? '',
    })),
    total: Number(total?.n ?? 0),
  };
}

const publicDrawColumns = {
  id: draws.id,
  taskName: tasks.name,
  departmentName: departments.name,
  attempt: draws.attempt,
  status: draws.status,
  algorithmVersion: draws.algorithmVersion,
  commitment: draws.commitment,
  commitmentHash: draws.commitmentHash,
  committedAt: draws.committedAt,
  seedInputs: draws.seedInputs,
  seed: draws.seed,
  redrawReason: draws.redrawReason,
};

export async function publicDraws(svc: Services) {
  const rows = await svc.database.db
    .select(publicDrawColumns)
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .orderBy(desc(draws.id))
    .limit(500);
  return rows.map(({ commitment: _c, ...r }) => ({ ...r, committedAt: r.committedAt.toISOString() }));
}

export async function publicDraw(svc: Services, id: number) {
  const db = svc.database.db;
  const [row] = await db
    .select(publicDrawColumns)
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .innerJoin(departments, eq(departments.id, tasks.departmentId))
    .where(eq(draws.id, id));
  if (!row) throw new AppError('NOT_FOUND', `No draw ${id}`);
  const sel = await db
    .select({ entityName: entities.name, key: targets.key, stratum: targets.stratum, ticket: targets.ticket })
    .from(targets)
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(eq(targets.drawId, id))
    .orderBy(asc(targets.stratum), asc(targets.rank));
  // Stratum labels are opaque per draw (see draws.ts): they are what the commitment publishes.
  return { ...row, committedAt: row.committedAt.toISOString(), targets: sel };
}
