/**
 * 执法检查人员名录库: inspectors with their status over time (在岗/休假/借调/停用 with date
 * ranges) and recusal declarations. A department's staff see their department and those below it.
 */
import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { entities, inspectors, inspectorStatusPeriods, recusals } from '@choucha/db';
import { authorize } from './access.ts';
import type { Actor, Services } from './context.ts';
import { escapeLike, visibleDepartmentIds } from './directories.ts';

export interface InspectorQuery {
  departmentId?: number | undefined;
  q?: string | undefined;
  field?: string | undefined;
  /** status on `on` (default today): 在岗 | 休假 | 借调 | 停用 */
  status?: string | undefined;
  on?: string | undefined;
}

type Period = { status: string; fromDate: string; toDate: string | null };

/** The status on a day: the period covering it, else 在岗 (or 停用 when the inspector is inactive). */
export function statusOn(periods: readonly Period[], active: boolean, day: string): string {
  const p = periods.find((x) => x.fromDate <= day && (x.toDate === null || x.toDate >= day));
  if (p) return p.status;
  return active ? '在岗' : '停用';
}

export async function listInspectors(svc: Services, actor: Actor, q: InspectorQuery | number = {}) {
  authorize(actor, 'directory.read');
  const query: InspectorQuery = typeof q === 'number' ? { departmentId: q } : q;
  const db = svc.database.db;
  const visible = await visibleDepartmentIds(db, actor);
  const where: SQL[] = [];
  if (visible !== undefined) where.push(inArray(inspectors.departmentId, visible.length ? visible : [-1]));
  if (query.departmentId !== undefined) where.push(eq(inspectors.departmentId, query.departmentId));
  if (query.q)
    where.push(
      or(
        ilike(inspectors.name, `%${escapeLike(query.q)}%`),
        ilike(inspectors.certNo, `${escapeLike(query.q)}%`),
      ) as SQL,
    );
  if (query.field) where.push(sql`${query.field} = any(${inspectors.fields})`);
  const rows = await db
    .select({
      id: inspectors.id,
      departmentId: inspectors.departmentId,
      name: inspectors.name,
      certNo: inspectors.certNo,
      certValidFrom: inspectors.certValidFrom,
      certValidTo: inspectors.certValidTo,
      fields: inspectors.fields,
      regionCode: inspectors.regionCode,
      regionName: inspectors.regionName,
      phone: inspectors.phone,
      active: inspectors.active,
    })
    .from(inspectors)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(inspectors.departmentId), asc(inspectors.id));
  const ids = rows.map((r) => r.id);
  const periods = ids.length
    ? await db.select().from(inspectorStatusPeriods).where(inArray(inspectorStatusPeriods.inspectorId, ids))
    : [];
  const day = query.on ?? svc.clock().toISOString().slice(0, 10);
  const out = rows.map((r) => ({
    ...r,
    status: statusOn(
      periods.filter((p) => p.inspectorId === r.id),
      r.active,
      day,
    ),
    certValid: r.certValidTo === null || r.certValidTo >= day,
  }));
  return query.status ? out.filter((r) => r.status === query.status) : out;
}

export async function getInspector(svc: Services, actor: Actor, id: number) {
  authorize(actor, 'directory.read');
  const db = svc.database.db;
  const [row] = await db.select().from(inspectors).where(eq(inspectors.id, id));
  if (!row) throw new AppError('NOT_FOUND', `No inspector ${id}`);
  const visible = await visibleDepartmentIds(db, actor);
  if (visible !== undefined && !visible.includes(row.departmentId)) throw new AppError('NOT_FOUND');
  const periods = await db
    .select()
    .from(inspectorStatusPeriods)
    .where(eq(inspectorStatusPeriods.inspectorId, id))
    .orderBy(asc(inspectorStatusPeriods.fromDate), asc(inspectorStatusPeriods.id));
  const rec = await db
    .select({
      id: recusals.id,
      entityId: recusals.entityId,
      entityName: entities.name,
      relation: recusals.relation,
      note: recusals.note,
      declaredOn: recusals.declaredOn,
    })
    .from(recusals)
    .innerJoin(entities, eq(entities.id, recusals.entityId))
    .where(eq(recusals.inspectorId, id))
    .orderBy(asc(recusals.id));
  const day = svc.clock().toISOString().slice(0, 10);
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    status: statusOn(periods, row.active, day),
    statusPeriods: periods.map((p) => ({
      id: p.id,
      status: p.status,
      fromDate: p.fromDate,
      toDate: p.toDate,
      note: p.note,
    })),
    recusals: rec,
  };
}
