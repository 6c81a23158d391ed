/**
 * The burden metric (企业负担): visits per entity per year. A visit is one trip to the entity: a
 * target of a task (one team, whatever the number of departments on it), or a joint visit (the
 * targets of several tasks visited together count once). Department visits are what the year
 * would have cost had every department gone alone (a target of a joint task: one per bound
 * department); visits saved = department visits − visits. Pure.
 */

export interface VisitedTarget {
  entityId: number;
  targetId: number;
  /** The departments on the target (the lead and the bound partners of its task). */
  departmentCount: number;
  /** The joint visit the target belongs to, if any. */
  jointVisitId: number | null;
}

export interface EntityBurden {
  entityId: number;
  visits: number;
  departmentVisits: number;
  saved: number;
}

export interface Burden {
  entities: number;
  visits: number;
  departmentVisits: number;
  saved: number;
  /** visits / entities (0 when no entity was visited). */
  visitsPerEntity: number;
  maxVisits: number;
  /** Per entity, the most visited first (then by entity id). */
  perEntity: EntityBurden[];
}

export function visitBurden(targets: readonly VisitedTarget[]): Burden {
  const seen = new Set<number>();
  const perEntity = new Map<number, { visits: Set<string>; departmentVisits: number }>();
  for (const t of targets) {
    if (seen.has(t.targetId)) continue;
    seen.add(t.targetId);
    const e = perEntity.get(t.entityId) ?? { visits: new Set<string>(), departmentVisits: 0 };
    e.visits.add(t.jointVisitId !== null ? `v${t.jointVisitId}` : `t${t.targetId}`);
    e.departmentVisits += Math.max(1, t.departmentCount);
    perEntity.set(t.entityId, e);
  }
  const rows: EntityBurden[] = [...perEntity.entries()].map(([entityId, e]) => ({
    entityId,
    visits: e.visits.size,
    departmentVisits: e.departmentVisits,
    saved: e.departmentVisits - e.visits.size,
  }));
  rows.sort((a, b) => b.visits - a.visits || a.entityId - b.entityId);
  const visits = rows.reduce((n, r) => n + r.visits, 0);
  const departmentVisits = rows.reduce((n, r) => n + r.departmentVisits, 0);
  return {
    entities: rows.length,
    visits,
    departmentVisits,
    saved: departmentVisits - visits,
    visitsPerEntity: rows.length === 0 ? 0 : visits / rows.length,
    maxVisits: rows[0]?.visits ?? 0,
    perEntity: rows,
  };
}
