/**
 * Published results on the public portal (公示), one row per target: a target of a joint task is
 * published once, with every department's result on it (进一门、查多项), each department's codes,
 * items and corrections in `byDepartment` (the lead department first). Only published results
 * are read, so a department whose part is not published yet is absent from the row; never the
 * risk class, the team, who entered or reviewed, a note or an attachment — every column is chosen.
 *
 * The row keeps the flat fields of a single department's result (codes, departmentName,
 * corrections: of all its departments), and `id` is its first published result's id.
 */
import { and, asc, countDistinct, desc, eq, ilike, inArray, max, or, sql } from 'drizzle-orm';
import { departments, entities, items, results, targets, taskItems, tasks } from '@choucha/db';
import { escapeLike } from '../../directories.ts';
import type { Services } from '../../context.ts';
import { correctionsOf } from './corrections.ts';

export interface PublicResultQuery {
  page: number;
  pageSize: number;
  q?: string | undefined;
}

interface Correction {
  version: number;
  reason: string;
  correctedAt: string;
}

export interface PublicDepartmentResult {
  departmentName: string;
  /** the items of this department the task cites */
  items: string[];
  codes: string[];
  inspectedOn: string;
  publishedAt: string;
  corrections: Correction[];
}

export interface PublicResultRow {
  /** the target's first published result (a stable row key) */
  id: number;
  entityName: string;
  code: string;
  taskName: string;
  /** the departments of the row, 、-joined */
  departmentName: string;
  items: string[];
  /** every department's codes, each once */
  codes: string[];
  /** the earliest inspection, the latest publication of the row */
  inspectedOn: string;
  publishedAt: string;
  drawId: number;
  corrections: Correction[];
  byDepartment: PublicDepartmentResult[];
}

export async function publicResults(
  svc: Services,
  q: PublicResultQuery,
): Promise<{ items: PublicResultRow[]; total: number }> {
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
  const page = await db
    .select({ targetId: targets.id })
    .from(results)
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(cond)
    .groupBy(targets.id)
    .orderBy(desc(max(results.publishedAt)), desc(targets.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db
    .select({ n: countDistinct(targets.id) })
    .from(results)
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(entities, eq(entities.id, targets.entityId))
    .where(cond);
  const targetIds = page.map((p) => p.targetId);
  if (targetIds.length === 0) return { items: [], total: Number(total?.n ?? 0) };

  const parts = await db
    .select({
      id: results.id,
      targetId: results.targetId,
      entityName: entities.name,
      code: targets.key,
      taskId: tasks.id,
      taskName: tasks.name,
      departmentId: results.departmentId,
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
    .where(and(eq(results.status, 'published'), inArray(results.targetId, targetIds)))
    .orderBy(
      asc(results.targetId),
      desc(sql`(${results.departmentId} = ${tasks.departmentId})`),
      asc(results.departmentId),
      asc(results.id),
    );
  const taskIds = [...new Set(parts.map((r) => r.taskId))];
  const itemRows = await db
    .select({ taskId: taskItems.taskId, departmentId: items.departmentId, name: items.name })
    .from(taskItems)
    .innerJoin(items, eq(items.id, taskItems.itemId))
    .where(inArray(taskItems.taskId, taskIds))
    .orderBy(asc(items.id));
  // 更正 stays public: every correction of a shown result, with its date and reason
  const corrections = await correctionsOf(
    db,
    parts.map((r) => r.id),
  );
  const correctionsOfResult = (id: number): Correction[] =>
    corrections
      .filter((c) => c.resultId === id)
      .map((c) => ({ version: c.version, reason: c.reason, correctedAt: c.correctedAt.toISOString() }));

  const rows = page.map((p): PublicResultRow => {
    const mine = parts.filter((r) => r.targetId === p.targetId);
    const head = mine[0]!;
    const byDepartment = mine.map((r) => ({
      departmentName: r.departmentName,
      items: itemRows
        .filter((i) => i.taskId === r.taskId && i.departmentId === r.departmentId)
        .map((i) => i.name),
      codes: r.codes,
      inspectedOn: String(r.inspectedOn),
      publishedAt: r.publishedAt?.toISOString() ?? '',
      corrections: correctionsOfResult(r.id),
    }));
    return {
      id: Math.min(...mine.map((r) => r.id)),
      entityName: head.entityName,
      code: head.code,
      taskName: head.taskName,
      departmentName: byDepartment.map((d) => d.departmentName).join('、'),
      items: itemRows.filter((i) => i.taskId === head.taskId).map((i) => i.name),
      codes: [...new Set(mine.flatMap((r) => r.codes))],
      inspectedOn: byDepartment.map((d) => d.inspectedOn).sort()[0]!,
      publishedAt: byDepartment
        .map((d) => d.publishedAt)
        .sort()
        .at(-1)!,
      drawId: head.drawId,
      corrections: byDepartment.flatMap((d) => d.corrections),
      byDepartment,
    };
  });
  return { items: rows, total: Number(total?.n ?? 0) };
}
