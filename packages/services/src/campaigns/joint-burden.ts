/**
 * What joint work achieved in a year, counted from the data:
 * - the burden metric (visits per entity per year, district-wide and per entity, visits saved;
 *   core's visitBurden) over the targets of live draws;
 * - the joint-inspection indicator: an entity counts as inspected jointly only when at least two
 *   departments entered a result for it in ONE visit — a target of a joint task (each department's
 *   result on the same target) or a joint visit (results on the targets visited together). A
 *   result counts once entered and standing: submitted, approved or published (not a draft, not
 *   one rejected and awaiting its correction).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { visitBurden, type Burden } from '@choucha/core';
import { draws, entities, jointVisitTargets, results, targets, tasks, type Executor } from '@choucha/db';
import { authorize, departmentFilter } from '../access.ts';
import type { Actor, Services } from '../context.ts';

const LIVE = sql`${draws.status} <> 'superseded'`;
export const STANDING_RESULT = sql`${results.status} in ('submitted', 'approved', 'published')`;

export interface JointIndicator {
  /** Entities with at least one standing result. */
  inspectedEntities: number;
  /** Entities with a visit on which ≥ 2 departments entered a standing result. */
  jointEntities: number;
  byDepartment: Map<number, { inspectedEntities: number; jointEntities: number }>;
  /** Visits on which ≥ 2 departments entered a result. */
  jointVisits: number;
}

/** The joint-inspection indicator of a year (tasks.year), by entity and by department. */
export async function jointIndicator(ex: Executor, year: number): Promise<JointIndicator> {
  const rows = await ex
    .select({
      entityId: targets.entityId,
      targetId: targets.id,
      departmentId: results.departmentId,
      visitId: jointVisitTargets.visitId,
    })
    .from(results)
    .innerJoin(targets, eq(targets.id, results.targetId))
    .innerJoin(draws, and(eq(draws.id, targets.drawId), LIVE))
    .innerJoin(tasks, eq(tasks.id, targets.taskId))
    .leftJoin(jointVisitTargets, eq(jointVisitTargets.targetId, targets.id))
    .where(and(eq(tasks.year, year), STANDING_RESULT));
  const visits = new Map<string, { entityId: number; departments: Set<number> }>();
  const inspected = new Map<number, Set<number>>();
  for (const r of rows) {
    const key = r.visitId !== null ? `v${r.visitId}` : `t${r.targetId}`;
    const v = visits.get(key) ?? { entityId: r.entityId, departments: new Set<number>() };
    v.departments.add(r.departmentId);
    visits.set(key, v);
    inspected.set(r.entityId, (inspected.get(r.entityId) ?? new Set<number>()).add(r.departmentId));
  }
  const joint = new Map<number, Set<number>>();
  let jointVisits = 0;
  for (const v of visits.values()) {
    if (v.departments.size < 2) continue;
    jointVisits++;
    const s = joint.get(v.entityId) ?? new Set<number>();
    for (const d of v.departments) s.add(d);
    joint.set(v.entityId, s);
  }
  const byDepartment = new Map<number, { inspectedEntities: number; jointEntities: number }>();
  const bump = (d: number, k: 'inspectedEntities' | 'jointEntities') => {
    const c = byDepartment.get(d) ?? { inspectedEntities: 0, jointEntities: 0 };
    c[k]++;
    byDepartment.set(d, c);
  };
  for (const ds of inspected.values()) for (const d of ds) bump(d, 'inspectedEntities');
  for (const ds of joint.values()) for (const d of ds) bump(d, 'jointEntities');
  return { inspectedEntities: inspected.size, jointEntities: joint.size, byDepartment, jointVisits };
}

/** The targets of a year's live draws as core's burden metric reads them. */
async function visitedTargets(ex: Executor, year: number, departmentId?: number) {
  return ex
    .select({
      entityId: targets.entityId,
      targetId: targets.id,
      departmentCount: sql<number>`(1 + cardinality(${tasks.jointDepartmentIds}))::int`,
      jointVisitId: jointVisitTargets.visitId,
    })
    .from(targets)
    .innerJoin(draws, and(eq(draws.id, targets.drawId), LIVE))
    .innerJoin(tasks, eq(tasks.id, targets.taskId))
    .leftJoin(jointVisitTargets, eq(jointVisitTargets.targetId, targets.id))
    .where(
      and(
        eq(tasks.year, year),
        departmentId === undefined
          ? undefined
          : sql`(${tasks.departmentId} = ${departmentId} or ${departmentId} = any(${tasks.jointDepartmentIds}))`,
      ),
    );
}

export interface BurdenView extends Omit<Burden, 'perEntity'> {
  year: number;
  /** The most visited entities first (at most `limit`), with their names. */
  perEntity: {
    entityId: number;
    entityName: string;
    visits: number;
    departmentVisits: number;
    saved: number;
  }[];
  /** How many entities had 1, 2, 3 … visits. */
  distribution: { visits: number; entities: number }[];
}

/**
 * The burden metric of a year, district-wide (a department's staff: the entities their department
 * visited, with every visit of the year counted). `entityId`: that entity only.
 */
export async function jointBurden(
  svc: Services,
  actor: Actor,
  year: number,
  opts: { limit?: number | undefined; entityId?: number | undefined } = {},
): Promise<BurdenView> {
  authorize(actor, 'dashboard.read');
  const db = svc.database.db as Executor;
  const all = (await visitedTargets(db, year)).map((r) => ({
    ...r,
    departmentCount: Number(r.departmentCount),
  }));
  const d = departmentFilter(actor);
  let rows = all;
  if (d !== undefined) {
    const mine = new Set((await visitedTargets(db, year, d)).map((r) => r.entityId));
    rows = all.filter((r) => mine.has(r.entityId));
  }
  if (opts.entityId !== undefined) rows = rows.filter((r) => r.entityId === opts.entityId);
  const b = visitBurden(rows);
  const top = b.perEntity.slice(0, opts.limit ?? 20);
  const names = new Map(
    top.length
      ? (
          await db
            .select({ id: entities.id, name: entities.name })
            .from(entities)
            .where(
              inArray(
                entities.id,
                top.map((e) => e.entityId),
              ),
            )
        ).map((e) => [e.id, e.name])
      : [],
  );
  const dist = new Map<number, number>();
  for (const e of b.perEntity) dist.set(e.visits, (dist.get(e.visits) ?? 0) + 1);
  return {
    year,
    entities: b.entities,
    visits: b.visits,
    departmentVisits: b.departmentVisits,
    saved: b.saved,
    visitsPerEntity: Math.round(b.visitsPerEntity * 1000) / 1000,
    maxVisits: b.maxVisits,
    perEntity: top.map((e) => ({ ...e, entityName: names.get(e.entityId) ?? '' })),
    distribution: [...dist.entries()]
      .sort((a, c) => a[0] - c[0])
      .map(([visits, n]) => ({ visits, entities: n })),
  };
}
