import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { AppError, bigrams } from '@choucha/core';
import { departments, draws, entities, results, targets, tasks, type Executor } from '@choucha/db';
import { authorize, can, seesAllDepartments } from './access.ts';
import type { Actor, Services } from './context.ts';
import { entityCodeHistoryOf } from './code-issues.ts';

export async function listDepartments(svc: Services, actor: Actor) {
  authorize(actor, 'directory.read');
  return svc.database.db.select().from(departments).orderBy(asc(departments.id));
}

/**
 * The departments whose directory data an actor reads: all (undefined) for the joint admin and
 * leaders; otherwise the own department and every department below it (a city sees its districts).
 */
export async function visibleDepartmentIds(db: Executor, actor: Actor): Promise<number[] | undefined> {
  if (seesAllDepartments(actor)) return undefined;
  if (actor.kind !== 'user' || actor.departmentId === null) return [];
  const all = await db.select({ id: departments.id, parentId: departments.parentId }).from(departments);
  const out = [actor.departmentId];
  for (let i = 0; i < out.length; i++)
    for (const d of all) if (d.parentId === out[i] && !out.includes(d.id)) out.push(d.id);
  return out;
}

export interface EntitySearch {
  page: number;
  pageSize: number;
  q?: string | undefined;
  street?: string | undefined;
  status?: string | undefined;
  entityType?: string | undefined;
  /** GB/T 4754 code prefix (e.g. H62) or a piece of the industry name */
  industry?: string | undefined;
  /** supervising department */
  departmentId?: number | undefined;
  codeStatus?: string | undefined;
  riskClass?: string | undefined;
  /** merged duplicates are hidden unless asked for */
  includeMerged?: boolean | undefined;
}

/**
 * A list without a name/code query counts exactly (a plain count: the 30,000-entity demo in
 * ~30 ms embedded). A directory of up to 100,000 entities is always counted exactly. Over a larger
 * one, a query whose matches a 1 % page sample puts beyond this cap shows that estimate, labelled:
 * an exact count of a piece in 8 % of a million names costs ~0.5–1 s on PostgreSQL, far more
 * than the page (countEntities).
 */
export const ENTITY_COUNT_EXACT_CAP = 20_000;
const ESTIMATE_SAMPLE_PERCENT = 1;
const EXACT_BELOW_ROWS = 100_000;
const COUNT_AT_ONCE = 1_000;
/**
 * Name substring (bigram GIN index, so two-character Chinese queries are served), USCC or
 * registration-number prefix, and filters. The risk class is returned and filterable only for
 * roles that may see it.
 */
export function entitySearchConditions(q: EntitySearch, withRisk: boolean, forCount = false): SQL[] {
  const where: SQL[] = [];
  const text = q.q?.trim();
  if (text) {
    const upper = text.toUpperCase();
    const codeLike = /^[0-9A-Z]{2,18}$/.test(upper);
    const grams = bigrams(text);
    // One bigram (a two-character query): containment is the substring test on the normalised
    // name. The page keeps the ILIKE as well — its lower estimate steers the planner to the GIN
    // index for rare pieces and to the primary key for common ones; the count does without.
    const nameCond =
      grams.length === 1 && forCount
        ? sql`${entities.nameBigrams} @> ${pgTextArray(grams)}::text[]`
        : grams.length > 0
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
  if (q.codeStatus) where.push(eq(entities.codeStatus, q.codeStatus));
  if (q.industry) {
    const ind = q.industry.trim();
    where.push(
      or(
        sql`${entities.industryCode} like ${`${escapeLike(ind.toUpperCase())}%`}`,
        ilike(entities.industryName, `%${escapeLike(ind)}%`),
      ) as SQL,
    );
  }
  if (q.departmentId !== undefined) where.push(sql`${q.departmentId} = any(${entities.supervisingDeptIds})`);
  if (q.riskClass && withRisk) where.push(eq(entities.riskClass, q.riskClass));
  if (!q.includeMerged) where.push(sql`${entities.mergedIntoId} is null`);
  return where;
}

/** A text[] literal passed as one parameter (drizzle would expand a JS array into a list). */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchEntities(
  svc: Services,
  actor: Actor,
  q: EntitySearch,
  opts: EntityCountOptions = {},
) {
  authorize(actor, 'directory.read');
  const withRisk = can(actor, 'directory.riskClass');
  const where = entitySearchConditions(q, withRisk);
  const cond = where.length ? and(...where) : undefined;
  const countWhere = entitySearchConditions(q, withRisk, true);
  const countCond = countWhere.length ? and(...countWhere) : undefined;
  const db = svc.database.db;
  // the page and the capped count run side by side (two pool connections on PostgreSQL)
  const pageQuery = db
    .select({
      id: entities.id,
      name: entities.name,
      uscc: entities.uscc,
      regNo: entities.regNo,
      codeStatus: entities.codeStatus,
      entityType: entities.entityType,
      industryCode: entities.industryCode,
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
  const [rows, total] = await Promise.all([pageQuery, countEntities(svc, countCond, !!q.q?.trim(), opts)]);
  return {
    items: rows.map(({ riskClass, ...r }) => (withRisk ? { ...r, riskClass } : r)),
    ...total,
  };
}

/** How a search is counted (the defaults; tests pass smaller figures). */
export interface EntityCountOptions {
  /** beyond this many matches (estimated from the sample) the total is the estimate */
  exactCountCap?: number;
  /** the share of the table's pages sampled for the estimate */
  samplePercent?: number;
  /** a directory of at most this many entities (estimated from the sample) is always counted exactly */
  exactBelowRows?: number;
  /** a query matching at most this many is counted at once, without the sample */
  countAtOnce?: number;
}

/**
 * The total of a directory search. Without a text query: an exact count. With one: a count
 * that stops after 1,000 matches (most queries); beyond, the matches in a fixed sample of the table's pages (REPEATABLE: the same estimate on every page of
 * the list), which also tells the directory's size; a small directory (the 30,000-entity demo) or
 * a query estimated at no more than the cap is then counted exactly (bounded, in case the sample
 * erred); a common piece over a large directory keeps the estimate, labelled as such.
 */
async function countEntities(
  svc: Services,
  cond: SQL | undefined,
  textQuery: boolean,
  opts: EntityCountOptions,
) {
  const db = svc.database.db;
  const exactCountCap = opts.exactCountCap ?? ENTITY_COUNT_EXACT_CAP;
  const samplePercent = opts.samplePercent ?? ESTIMATE_SAMPLE_PERCENT;
  const exactBelowRows = opts.exactBelowRows ?? EXACT_BELOW_ROWS;
  const exact = async (limit?: number, idOrder = false) => {
    const inner = db
      .select({ one: sql`1`.as('one') })
      .from(entities)
      .where(cond);
    const [r] =
      limit === undefined
        ? await db
            .select({ n: sql<number>`count(*)::int` })
            .from(entities)
            .where(cond)
        : await db
            .select({ n: sql<number>`count(*)::int` })
            .from((idOrder ? inner.orderBy(asc(entities.id)) : inner).limit(limit).as('c'));
    return Number(r?.n ?? 0);
  };
  if (!textQuery || !cond) return { total: await exact(), totalIsEstimate: false, exactCountCap };
  // most queries match few entities: counted at once (in id order: for a piece in most names the
  // planner walks the primary key and stops early instead of building a bitmap of a million rows)
  const few = opts.countAtOnce ?? COUNT_AT_ONCE;
  const n0 = await exact(few + 1, true);
  if (n0 <= few) return { total: n0, totalIsEstimate: false, exactCountCap };
  const plan = db
    .select({
      hits: sql<number>`count(*) filter (where ${cond})::int`.as('hits'),
      seen: sql<number>`count(*)::int`.as('seen'),
    })
    .from(entities)
    .toSQL();
  const from = 'from "entities"';
  if (!plan.sql.includes(from)) throw new Error('Invariant: entity count query without its table');
  const [sample] = await svc.database.query<{ hits: number; seen: number }>(
    plan.sql.replace(from, `${from} tablesample system (${samplePercent}) repeatable (1)`),
    plan.params,
  );
  const scale = 100 / samplePercent;
  const estimate = Math.round(Number(sample?.hits ?? 0) * scale);
  const rows = Math.round(Number(sample?.seen ?? 0) * scale);
  if (rows <= exactBelowRows || estimate <= exactCountCap) {
    // bounded: a sample that missed a common piece does not turn into a slow count
    const bound = Math.max(exactBelowRows, exactCountCap * 5);
    const n = await exact(bound + 1);
    if (n <= bound) return { total: n, totalIsEstimate: false, exactCountCap };
    return { total: Math.max(estimate, n), totalIsEstimate: true, exactCountCap };
  }
  return { total: estimate, totalIsEstimate: true, exactCountCap };
}

/** One entity with its inspection history (targets, results) and its code history. */
export async function getEntity(svc: Services, actor: Actor, id: number) {
  authorize(actor, 'directory.read');
  const db = svc.database.db;
  const [row] = await db.select().from(entities).where(eq(entities.id, id));
  if (!row) throw new AppError('NOT_FOUND', `No entity ${id}`);
  const { nameBigrams: _b, riskClass, riskClassifiedAt, ...rest } = row;
  const visible = await visibleDepartmentIds(db, actor);
  const inspections = await db
    .select({
      targetId: targets.id,
      taskId: tasks.id,
      taskName: tasks.name,
      year: tasks.year,
      departmentId: tasks.departmentId,
      jointDepartmentIds: tasks.jointDepartmentIds,
      isJoint: tasks.isJoint,
      drawId: targets.drawId,
      drawStatus: draws.status,
      key: targets.key,
    })
    .from(targets)
    .innerJoin(tasks, eq(tasks.id, targets.taskId))
    .innerJoin(draws, eq(draws.id, targets.drawId))
    .where(eq(targets.entityId, id))
    .orderBy(desc(targets.id));
  const targetIds = inspections.map((t) => t.targetId);
  const res = targetIds.length
    ? await db
        .select({
          id: results.id,
          targetId: results.targetId,
          departmentId: results.departmentId,
          codes: results.codes,
          followUps: results.followUps,
          inspectedOn: results.inspectedOn,
          status: results.status,
          publishedAt: results.publishedAt,
        })
        .from(results)
        .where(inArray(results.targetId, targetIds))
    : [];
  // other departments' unpublished results are not shown to a department's staff
  const mayRead = (deptIds: number[]) => visible === undefined || deptIds.some((d) => visible.includes(d));
  const history = inspections
    .filter((t) => t.drawStatus !== 'superseded')
    .map((t) => ({
      ...t,
      results: res
        .filter((r) => r.targetId === t.targetId)
        .filter((r) => r.status === 'published' || mayRead([r.departmentId]))
        .map((r) => ({ ...r, publishedAt: r.publishedAt?.toISOString() ?? null })),
    }));
  const base = {
    ...rest,
    createdAt: rest.createdAt.toISOString(),
    updatedAt: rest.updatedAt.toISOString(),
    inspections: history,
    codeHistory: await entityCodeHistoryOf(db, id),
  };
  return can(actor, 'directory.riskClass')
    ? { ...base, riskClass, riskClassifiedAt: riskClassifiedAt?.toISOString() ?? null }
    : base;
}
