/**
 * The matching part of a commitment (draw-protocol §5 `matching`): the inspector pool of the task's
 * departments with their carried load, absences, certificates, confirmed recusals and the teams of
 * each entity's previous inspection.
 */
import { and, asc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  type DrawRulesRecord,
  type Inspector as EngineInspector,
  type MatchingRules,
  type Pair,
} from '@choucha/core';
import {
  draws,
  inspectorStatusPeriods,
  inspectors,
  recusals,
  targetInspectors,
  targets,
  tasks,
  type Tx,
} from '@choucha/db';
import type { RosterRow } from './roster.ts';

export async function matchingInput(
  tx: Tx,
  task: typeof tasks.$inferSelect,
  itemDepts: number[],
  roster: RosterRow[],
  rules: DrawRulesRecord,
  /** the commitment's day (svc.clock): a certificate that expired before it is not eligible */
  today: string,
) {
  const pool = itemDepts.length
    ? await tx
        .select({
          id: inspectors.id,
          departmentId: inspectors.departmentId,
          fields: inspectors.fields,
          certValidFrom: inspectors.certValidFrom,
          certValidTo: inspectors.certValidTo,
        })
        .from(inspectors)
        .where(
          and(
            inArray(inspectors.departmentId, itemDepts),
            eq(inspectors.active, true),
            or(isNull(inspectors.certValidTo), gte(inspectors.certValidTo, today)),
          ),
        )
        .orderBy(asc(inspectors.id))
    : [];
  const ids = pool.map((p) => p.id);
  const periods = ids.length
    ? await tx.select().from(inspectorStatusPeriods).where(inArray(inspectorStatusPeriods.inspectorId, ids))
    : [];
  const loads = ids.length
    ? await tx
        .select({ inspectorId: targetInspectors.inspectorId, n: sql<number>`count(*)::int` })
        .from(targetInspectors)
        .innerJoin(targets, eq(targets.id, targetInspectors.targetId))
        .innerJoin(draws, eq(draws.id, targets.drawId))
        .innerJoin(tasks, eq(tasks.id, targets.taskId))
        .where(
          and(
            inArray(targetInspectors.inspectorId, ids),
            eq(tasks.year, task.year),
            eq(draws.status, 'matched'),
          ),
        )
        .groupBy(targetInspectors.inspectorId)
    : [];
  const loadOf = new Map(loads.map((l) => [l.inspectorId, Number(l.n)]));
  const keyOf = new Map(roster.map((r) => [r.entityId, r.key]));
  const rec = ids.length
    ? await tx
        .select({ inspectorId: recusals.inspectorId, entityId: recusals.entityId })
        .from(recusals)
        // only confirmed recusals bind (a declaration awaiting its admin, or a rejected one, does not)
        .where(and(inArray(recusals.inspectorId, ids), eq(recusals.status, 'confirmed')))
    : [];
  const recusalPairs: Pair[] = rec.flatMap((r) => {
    const key = keyOf.get(r.entityId);
    return key ? [{ inspectorId: String(r.inspectorId), key }] : [];
  });
  // Previous inspection of each entity by each department: its team may not go again.
  const prev = ids.length
    ? await tx.execute(sql`
        select distinct on (t.entity_id, ti.department_id) t.entity_id, ti.department_id, t.id as target_id
          from ${targets} t
          join ${draws} d on d.id = t.draw_id and d.status = 'matched'
          join ${targetInspectors} ti on ti.target_id = t.id
         where ti.department_id = any(${`{${itemDepts.join(',')}}`}::int[]) and t.task_id <> ${task.id}
         order by t.entity_id, ti.department_id, t.id desc`)
    : { rows: [] };
  const prevTargets = (
    prev as unknown as { rows: { entity_id: number; department_id: number; target_id: number }[] }
  ).rows.filter((r) => keyOf.has(r.entity_id));
  const prevMembers = prevTargets.length
    ? await tx
        .select({
          targetId: targetInspectors.targetId,
          inspectorId: targetInspectors.inspectorId,
          departmentId: targetInspectors.departmentId,
        })
        .from(targetInspectors)
        .where(
          inArray(
            targetInspectors.targetId,
            prevTargets.map((p) => p.target_id),
          ),
        )
    : [];
  const entityOfTarget = new Map(prevTargets.map((p) => [p.target_id, p.entity_id]));
  const previousPairs: Pair[] = prevMembers.flatMap((m) => {
    const key = keyOf.get(entityOfTarget.get(m.targetId) ?? -1);
    return key ? [{ inspectorId: String(m.inspectorId), key }] : [];
  });
  const engineInspectors: EngineInspector[] = pool.map((p) => ({
    id: String(p.id),
    department: String(p.departmentId),
    fields: p.fields,
    certificate: { from: p.certValidFrom ?? '1900-01-01', to: p.certValidTo ?? '9999-12-31' },
    unavailable: periods
      .filter((x) => x.inspectorId === p.id)
      .map((x) => ({ from: x.fromDate, to: x.toDate ?? '9999-12-31' })),
    load: loadOf.get(p.id) ?? 0,
  }));
  return {
    inspection: { from: task.windowStart, to: task.windowEnd },
    rules: {
      teamSize: rules.teamSize,
      maxLoad: rules.maxLoadPerInspector,
      avoidPrevious: true,
    } as MatchingRules,
    inspectors: engineInspectors,
    recusals: recusalPairs,
    previous: previousPairs,
  };
}
