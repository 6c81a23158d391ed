/**
 * 执法检查人员名录库: inspectors with their status over time (在岗/休假/借调/停用 with date
 * ranges) and recusal declarations. A department's staff see their department and those below it.
 */
import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '@choucha/core';
import { inspectors, inspectorStatusPeriods } from '@choucha/db';
import { authorize } from './access.ts';
import type { Actor, Services } from './context.ts';
import { escapeLike, visibleDepartmentIds } from './directories.ts';
import { recusalsOfInspector } from './directories/recusals.ts';

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

/** A certificate ending within this many days shows a warning. */
export const CERT_WARNING_DAYS = 30;
export const CERT_EXPIRED_STATUS = '证件过期';

export type CertStatus = 'valid' | 'expiring' | 'expired' | 'none';

/** The certificate on `day`: expired after its last valid day, expiring within CERT_WARNING_DAYS. */
export function certStatusOn(
  certValidTo: string | null,
  day: string,
): { certStatus: CertStatus; certDaysLeft: number | null } {
  if (certValidTo === null) return { certStatus: 'none', certDaysLeft: null };
  const left = Math.round(
    (Date.parse(`${certValidTo}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000,
  );
  return {
    certStatus: left < 0 ? 'expired' : left <= CERT_WARNING_DAYS ? 'expiring' : 'valid',
    certDaysLeft: left,
  };
}

/**
 * The status shown: a period's status (休假, 借调, 停用) or 停用 for an inactive inspector first;
 * otherwise 证件过期 when the certificate ended before `day` (such an inspector is not matched:
 * draws.ts), else 在岗.
 */
export function displayStatusOn(
  periods: readonly Period[],
  active: boolean,
  certValidTo: string | null,
  day: string,
): string {
  const s = statusOn(periods, active, day);
  if (s === '在岗' && certValidTo !== null && certValidTo < day) return CERT_EXPIRED_STATUS;
  return s;
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
    status: displayStatusOn(
      periods.filter((p) => p.inspectorId === r.id),
      r.active,
      r.certValidTo,
      day,
    ),
    certValid: r.certValidTo === null || r.certValidTo >= day,
    ...certStatusOn(r.certValidTo, day),
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
  const rec = await recusalsOfInspector(db, id);
  const day = svc.clock().toISOString().slice(0, 10);
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    status: displayStatusOn(periods, row.active, row.certValidTo, day),
    ...certStatusOn(row.certValidTo, day),
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
