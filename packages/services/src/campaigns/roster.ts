/**
 * The roster of a task: which entities a draw may select, and why the others are left out.
 * (Moved out of draws.ts.) The roster follows the items: besides the department's directory and the
 * task's own 定向 filters, every cited item's machine-readable scope restricts it — per department
 * the union of its items, across the departments of a joint task the intersection (core/scope,
 * docs/architecture.md "Roster scope"). `rosterScopeReport` counts what each rule kept and removed.
 */
import { and, asc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import {
  AppError,
  drawExclusion,
  isValidKey,
  parseEntityScope,
  planTaskScope,
  type DrawExclusionReason,
  type DrawRulesRecord,
  type EntityScope,
  type TaskScopePlan,
  type TaskScopeRule,
} from '@choucha/core';
import { draws, entities, entityExclusions, items, targets, taskItems, tasks, type Tx } from '@choucha/db';
import { taskDepartments, type SamplingInput } from '../tasks.ts';

export const ACTIVE_STATUSES = ['存续', '在营', '开业'];

export interface RosterRow {
  key: string;
  riskClass: string;
  entityId: number;
}

type TaskRow = typeof tasks.$inferSelect;

/** A `{…}` array literal for a text[] parameter (quoted and escaped: any text is safe). */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
function intArray(values: readonly number[]): string {
  return `{${values.map((v) => Math.trunc(v)).join(',')}}`;
}

/** The SQL of core's matchesEntityScope (never null: a missing column value does not match). */
export function scopeSql(scope: EntityScope): SQL {
  const parts: SQL[] = [];
  if (scope.entityTypes?.length)
    parts.push(sql`coalesce(${entities.entityType} = any(${textArray(scope.entityTypes)}::text[]), false)`);
  if (scope.industryPrefixes?.length)
    parts.push(
      sql`coalesce(${sql.join(
        scope.industryPrefixes.map((p) =>
          /^\d/.test(p)
            ? sql`(starts_with(${entities.industryCode}, ${p}) or (${entities.industryCode} ~ '^[A-T]' and starts_with(substr(${entities.industryCode}, 2), ${p})))`
            : sql`starts_with(${entities.industryCode}, ${p})`,
        ),
        sql` or `,
      )}, false)`,
    );
  if (scope.licences?.length) parts.push(sql`${entities.licences} && ${textArray(scope.licences)}::text[]`);
  if (scope.tags?.length)
    parts.push(sql`(${entities.tags} || ${entities.licences}) && ${textArray(scope.tags)}::text[]`);
  if (scope.streets?.length)
    parts.push(sql`coalesce(${entities.street} = any(${textArray(scope.streets)}::text[]), false)`);
  if (scope.supervisingDepartments?.length)
    parts.push(sql`${entities.supervisingDeptIds} && ${intArray(scope.supervisingDepartments)}::int[]`);
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

function ruleSql(rule: TaskScopeRule): SQL {
  if (rule.kind === 'task') return scopeSql(rule.scope);
  if (rule.all) return sql`true`;
  return sql`(${sql.join(
    rule.scopes.map((s) => scopeSql(s)),
    sql` or `,
  )})`;
}

export interface CitedItem {
  id: number;
  name: string;
  departmentId: number;
  scope: EntityScope | null;
}

/** The cited items with their scopes (a stored scope that no longer parses counts as not set). */
export async function citedItems(tx: Tx, taskId: number): Promise<CitedItem[]> {
  const rows = await tx
    .select({ id: items.id, name: items.name, departmentId: items.departmentId, scope: items.scope })
    .from(taskItems)
    .innerJoin(items, eq(items.id, taskItems.itemId))
    .where(eq(taskItems.taskId, taskId))
    .orderBy(asc(items.id));
  return rows.map((r) => {
    const p = parseEntityScope(r.scope);
    return { ...r, scope: p.ok ? p.scope : null };
  });
}

/** The task's own 定向 filters; one that does not parse is refused, never dropped (that would widen the roster). */
function taskScopeOf(task: TaskRow): EntityScope | null {
  const p = parseEntityScope(task.scope ?? null);
  if (!p.ok)
    throw new AppError('ITEM_SCOPE_INVALID', `The task's scope is not valid (${p.field}: ${p.reason})`, {
      field: `scope.${p.field}`,
      reason: p.reason,
    });
  return p.scope;
}

interface RosterRules {
  plan: TaskScopePlan;
  cited: CitedItem[];
  /** The base rules (active; the department's directory unless the lead draws the whole register). */
  base: { kind: 'active' | 'directory'; sql: SQL }[];
}

async function rosterRules(tx: Tx, task: TaskRow): Promise<RosterRules> {
  const depts = taskDepartments(task);
  const leadRows = await tx.execute(sql`select is_lead from departments where id = ${task.departmentId}`);
  const isLead = Boolean((leadRows as unknown as { rows: { is_lead: boolean }[] }).rows[0]?.is_lead);
  const cited = await citedItems(tx, task.id);
  const plan = planTaskScope({ taskScope: taskScopeOf(task), items: cited, departmentOrder: depts });
  const base: RosterRules['base'] = [
    { kind: 'active', sql: sql`${entities.status} = any(${textArray(ACTIVE_STATUSES)}::text[])` },
  ];
  // A department draws from its own directory; the market-supervision bureau from the whole register.
  if (!isLead)
    base.push({ kind: 'directory', sql: sql`${entities.supervisingDeptIds} && ${intArray(depts)}::int[]` });
  return { plan, cited, base };
}

function assertScopeChosen(r: RosterRules) {
  if (r.plan.scopeRequired)
    throw new AppError(
      'TASK_SCOPE_REQUIRED',
      'None of the cited items has a scope and the task sets none; choose a scope instead of drawing the whole register',
      { items: r.cited.map((i) => ({ id: i.id, name: i.name, departmentId: i.departmentId })) },
    );
}

export interface ScopeRuleReport {
  kind: 'active' | 'directory' | 'task' | 'items';
  /** The department whose items the rule is ('items'), else null. */
  departmentId: number | null;
  items: { id: number; name: string }[];
  /** The task's scope ('task') or the items' scopes, alternatives ('items'); empty for the base rules. */
  scopes: EntityScope[];
  /** An item set to "all market entities": the rule removes nothing. */
  all: boolean;
  kept: number;
  removed: number;
  /** The first few removed by this rule (of those the rules before it kept), by id. */
  sample: { id: number; name: string }[];
}

export interface RosterScopeReport {
  /** Entities in the register before any rule. */
  register: number;
  rules: ScopeRuleReport[];
  /** Cited items without a scope: they restrict nothing. */
  unscopedItems: { id: number; name: string; departmentId: number }[];
}

/**
 * What each rule of the roster kept and removed, in order (each counted on what the rules before it
 * kept), with a sample of removed names — for the preview before the commitment. Refuses with
 * TASK_SCOPE_REQUIRED like the draw.
 */
export async function rosterScopeReport(tx: Tx, task: TaskRow, sampleSize = 5): Promise<RosterScopeReport> {
  const r = await rosterRules(tx, task);
  assertScopeChosen(r);
  const steps = [
    ...r.base.map((b) => ({ kind: b.kind, sql: b.sql, rule: null as TaskScopeRule | null })),
    ...r.plan.rules.map((rule) => ({ kind: rule.kind, sql: ruleSql(rule), rule })),
  ];
  const counts = await tx.execute(
    sql`select count(*)::int as c0, ${sql.join(
      steps.map(
        (_, k) =>
          sql`(count(*) filter (where ${sql.join(
            steps.slice(0, k + 1).map((s) => s.sql),
            sql` and `,
          )}))::int as ${sql.raw(`c${k + 1}`)}`,
      ),
      sql`, `,
    )} from ${entities}`,
  );
  const row = (counts as unknown as { rows: Record<string, number>[] }).rows[0] ?? {};
  const n = (k: number) => Number(row[`c${k}`] ?? 0);
  const nameOf = new Map(r.cited.map((i) => [i.id, i.name]));
  const rules: ScopeRuleReport[] = [];
  for (const [k, s] of steps.entries()) {
    const removed = n(k) - n(k + 1);
    const sample =
      removed === 0 || sampleSize === 0
        ? []
        : await tx
            .select({ id: entities.id, name: entities.name })
            .from(entities)
            .where(and(...steps.slice(0, k).map((p) => p.sql), sql`not ${s.sql}`))
            .orderBy(asc(entities.id))
            .limit(sampleSize);
    const rule = s.rule;
    rules.push({
      kind: s.kind,
      departmentId: rule?.kind === 'items' ? rule.departmentId : null,
      items: rule?.kind === 'items' ? rule.itemIds.map((id) => ({ id, name: nameOf.get(id) ?? '' })) : [],
      scopes: rule === null ? [] : rule.kind === 'task' ? [rule.scope] : rule.scopes,
      all: rule?.kind === 'items' ? rule.all : false,
      kept: n(k + 1),
      removed,
      sample,
    });
  }
  return {
    register: n(0),
    rules,
    unscopedItems: r.cited
      .filter((i) => r.plan.unscopedItemIds.includes(i.id))
      .map((i) => ({ id: i.id, name: i.name, departmentId: i.departmentId })),
  };
}

export async function buildRoster(tx: Tx, task: TaskRow, rules: DrawRulesRecord) {
  const depts = taskDepartments(task);
  const scoped = await rosterRules(tx, task);
  assertScopeChosen(scoped);
  const conds = [...scoped.base.map((b) => b.sql), ...scoped.plan.rules.map(ruleSql)];
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
