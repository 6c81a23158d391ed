import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { AppError, bigrams } from '@choucha/core';
import { departments, entities, inspectors, itemEditions, items } from '@choucha/db';
import { authorize, can, departmentFilter } from './access.ts';
import type { Actor, Services } from './context.ts';

export async function listDepartments(svc: Services, actor: Actor) {
  authorize(actor, 'directory.read');
  return svc.database.db.select().from(departments).orderBy(asc(departments.id));
}

export interface EntitySearch {
  page: number;
  pageSize: number;
  q?: string | undefined;
  street?: string | undefined;
  status?: string | undefined;
  entityType?: string | undefined;
  riskClass?: string | undefined;
}

/**
 * Name substring (bigram GIN index, so two-character Chinese queries are served), USCC or
 * registration-number prefix, and filters. The risk class is returned and filterable only for
 * roles that may see it.
 */
export function entitySearchConditions(q: EntitySearch, withRisk: boolean): SQL[] {
  const where: SQL[] = [];
  const text = q.q?.trim();
  if (text) {
    const upper = text.toUpperCase();
    const codeLike = /^[0-9A-Z]{2,18}$/.test(upper);
    const grams = bigrams(text);
    const nameCond =
      grams.length > 0
        ? and(
            sql`${entities.nameBigrams} @> ${pgTextArray(grams)}::text[]`,
            ilike(entities.name, `%${escapeLike(text)}%`),
          )
        : ilike(entities.name, `%${escapeLike(text)}%`);
    where.push(
      codeLike
        ? (or(
            nameCond,
            sql`${entities.uscc} like ${`${upper}%`}`,
            sql`${entities.regNo} like ${`${upper}%`}`,
          ) as SQL)
        : (nameCond as SQL),
    );
  }
  if (q.street) where.push(eq(entities.street, q.street));
  if (q.status) where.push(eq(entities.status, q.status));
  if (q.entityType) where.push(eq(entities.entityType, q.entityType));
  if (q.riskClass && withRisk) where.push(eq(entities.riskClass, q.riskClass));
  return where;
}

/** A text[] literal passed as one parameter (drizzle would expand a JS array into a list). */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchEntities(svc: Services, actor: Actor, q: EntitySearch) {
  authorize(actor, 'directory.read');
  const withRisk = can(actor, 'directory.riskClass');
  const where = entitySearchConditions(q, withRisk);
  const cond = where.length ? and(...where) : undefined;
  const db = svc.database.db;
  const rows = await db
    .select({
      id: entities.id,
      name: entities.name,
      uscc: entities.uscc,
      regNo: entities.regNo,
      codeStatus: entities.codeStatus,
      entityType: entities.entityType,
      industryName: entities.industryName,
      street: entities.street,
      address: entities.address,
      status: entities.status,
      riskClass: entities.riskClass,
    })
    .from(entities)
    .where(cond)
    .orderBy(asc(entities.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(entities).where(cond);
  return {
    items: rows.map(({ riskClass, ...r }) => (withRisk ? { ...r, riskClass } : r)),
    total: Number(total?.n ?? 0),
  };
}

export async function getEntity(svc: Services, actor: Actor, id: number) {
  authorize(actor, 'directory.read');
  const [row] = await svc.database.db.select().from(entities).where(eq(entities.id, id));
  if (!row) throw new AppError('NOT_FOUND', `No entity ${id}`);
  const { nameBigrams: _b, riskClass, riskClassifiedAt, ...rest } = row;
  const base = {
    ...rest,
    createdAt: rest.createdAt.toISOString(),
    updatedAt: rest.updatedAt.toISOString(),
  };
  return can(actor, 'directory.riskClass')
    ? { ...base, riskClass, riskClassifiedAt: riskClassifiedAt?.toISOString() ?? null }
    : base;
}

export async function listInspectors(svc: Services, actor: Actor, departmentId?: number) {
  authorize(actor, 'directory.read');
  const own = departmentFilter(actor);
  const dept = own ?? departmentId;
  return svc.database.db
    .select({
      id: inspectors.id,
      departmentId: inspectors.departmentId,
      name: inspectors.name,
      certNo: inspectors.certNo,
      certValidTo: inspectors.certValidTo,
      fields: inspectors.fields,
      active: inspectors.active,
    })
    .from(inspectors)
    .where(dept === undefined ? undefined : eq(inspectors.departmentId, dept))
    .orderBy(asc(inspectors.departmentId), asc(inspectors.id));
}

/** The published item list (public): editions and their items. */
export async function listItems(svc: Services, departmentId?: number) {
  const db = svc.database.db;
  const editions = await db
    .select({
      id: itemEditions.id,
      departmentId: itemEditions.departmentId,
      name: itemEditions.name,
      status: itemEditions.status,
    })
    .from(itemEditions)
    .where(
      departmentId === undefined
        ? undefined
        : or(eq(itemEditions.departmentId, departmentId), sql`${itemEditions.departmentId} is null`),
    )
    .orderBy(asc(itemEditions.id));
  const published = editions.filter((e) => e.status === 'published').map((e) => e.id);
  const rows =
    published.length === 0
      ? []
      : await db
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
          .from(items)
          .where(
            and(
              inArray(items.editionId, published),
              departmentId === undefined ? undefined : eq(items.departmentId, departmentId),
            ),
          )
          .orderBy(asc(items.departmentId), asc(items.seq), asc(items.id));
  return { editions, items: rows };
}
