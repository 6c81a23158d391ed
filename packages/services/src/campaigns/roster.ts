/**
 * The roster of a task: which entities a draw may select, and why the others are left out.
 * (Moved out of draws.ts; the scope rules of the cited items live here.)
 */
import { and, asc, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { drawExclusion, isValidKey, type DrawExclusionReason, type DrawRulesRecord } from '@choucha/core';
import { draws, entities, entityExclusions, targets, taskItems, tasks, type Tx } from '@choucha/db';
import { taskDepartments, type SamplingInput } from '../tasks.ts';

export const ACTIVE_STATUSES = ['存续', '在营', '开业'];

export interface RosterRow {
  key: string;
  riskClass: string;
  entityId: number;
}

export async function buildRoster(tx: Tx, task: typeof tasks.$inferSelect, rules: DrawRulesRecord) {
  const depts = taskDepartments(task);
  const scope = (task.scope ?? {}) as {
    streets?: string[];
    entityTypes?: string[];
    industryPrefixes?: string[];
    tags?: string[];
  };
  const leadRows = await tx.execute(sql`select is_lead from departments where id = ${task.departmentId}`);
  const isLead = Boolean((leadRows as unknown as { rows: { is_lead: boolean }[] }).rows[0]?.is_lead);
  const conds = [
    inArray(entities.status, ACTIVE_STATUSES),
    // A department draws from its own directory; the market-supervision bureau from the whole register.
    isLead ? undefined : sql`${entities.supervisingDeptIds} && ${`{${depts.join(',')}}`}::int[]`,
    scope.streets?.length ? inArray(entities.street, scope.streets) : undefined,
    scope.entityTypes?.length ? inArray(entities.entityType, scope.entityTypes) : undefined,
    scope.industryPrefixes?.length
      ? or(...scope.industryPrefixes.map((p) => sql`${entities.industryCode} like ${`${p}%`}`))
      : undefined,
    scope.tags?.length
      ? sql`(${entities.tags} || ${entities.licences}) && ${`{${scope.tags.map((t) => `"${t.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]`
      : undefined,
  ];
  const rows = await tx
    .select({ id: entities.id, uscc: entities.uscc, regNo: entities.regNo, riskClass: entities.riskClass })
    .from(entities)
    .where(and(...conds))
    .orderBy(asc(entities.id));
  const year = Number(task.windowStart.slice(0, 4));
  const excluded = await tx
    .select({ entityId: entityExclusions.entityId, reason: entityExclusions.reason })
    .from(entityExclusions)
    .where(
      and(
        lte(entityExclusions.fromDate, task.windowEnd),
        or(isNull(entityExclusions.toDate), gte(entityExclusions.toDate, task.windowStart)),
        or(isNull(entityExclusions.departmentId), inArray(entityExclusions.departmentId, depts)),
      ),
    );
  const exclusionReason = new Map(
    excluded.map((e) => [e.entityId, drawExclusion('DRAW_EXCLUDED_TEMPORARY', { reason: e.reason })]),
  );
  // Cool-down: inspected by a participating department for one of the same items recently.
  const coolFrom = new Date(
    Date.parse(`${task.windowStart}T00:00:00Z`) - rules.coolDownMonths * 30.44 * 86400000,
  )
    .toISOString()
    .slice(0, 10);
  const cool = await tx.execute(sql`
    select distinct t.entity_id, tk.name, tk.window_start
      from ${targets} t
      join ${draws} d on d.id = t.draw_id and d.status in ('drawn', 'matched')
      join ${tasks} tk on tk.id = t.task_id
     where tk.id <> ${task.id}
       and tk.department_id = any(${`{${depts.join(',')}}`}::int[])
       and tk.window_start >= ${coolFrom}
       and exists (select 1 from ${taskItems} a join ${taskItems} b on a.item_id = b.item_id
                    where a.task_id = tk.id and b.task_id = ${task.id})`);
  const coolReason = new Map(
    (cool as unknown as { rows: { entity_id: number; name: string; window_start: string }[] }).rows.map(
      (r) => [
        r.entity_id,
        drawExclusion('DRAW_EXCLUDED_COOLDOWN', {
          task: r.name,
          date: String(r.window_start).slice(0, 10),
          months: rules.coolDownMonths,
        }),
      ],
    ),
  );
  const capped = await tx.execute(sql`
    select t.entity_id, count(*)::int as n
      from ${targets} t
      join ${draws} d on d.id = t.draw_id and d.status in ('drawn', 'matched')
      join ${tasks} tk on tk.id = t.task_id
     where tk.year = ${year} and tk.id <> ${task.id}
     group by t.entity_id having count(*) >= ${rules.yearlyCap}`);
  const capReason = new Map(
    (capped as unknown as { rows: { entity_id: number; n: number }[] }).rows.map((r) => [
      r.entity_id,
      drawExclusion('DRAW_EXCLUDED_CAP', { count: r.n, year, cap: rules.yearlyCap }),
    ]),
  );
  const usesClasses = (task.sampling as SamplingInput).classes !== undefined;
  const seen = new Map<string, number>();
  const roster: RosterRow[] = [];
  const exclusions: ({ entityId: number } & DrawExclusionReason)[] = [];
  for (const r of rows) {
    const key = r.uscc ?? r.regNo;
    const reason = !key
      ? drawExclusion('DRAW_EXCLUDED_NO_CODE')
      : !isValidKey(key)
        ? drawExclusion('DRAW_EXCLUDED_KEY_FORMAT', { code: key })
        : (exclusionReason.get(r.id) ?? coolReason.get(r.id) ?? capReason.get(r.id));
    if (reason) {
      exclusions.push({ entityId: r.id, ...reason });
      continue;
    }
    const k = key as string;
    const first = seen.get(k);
    if (first !== undefined) {
      exclusions.push({
        entityId: r.id,
        ...drawExclusion('DRAW_EXCLUDED_DUPLICATE_CODE', { code: k, otherEntityId: first }),
      });
      continue;
    }
    seen.set(k, r.id);
    roster.push({
      key: k,
      riskClass: usesClasses ? (r.riskClass ?? rules.unclassifiedClass) : 'ALL',
      entityId: r.id,
    });
  }
  return { roster, exclusions };
}
