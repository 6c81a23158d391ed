/**
 * The roster follows the items: how the scopes of a task's cited items (and the task's own 定向
 * filters) combine into the rules a roster must pass. docs/architecture.md "Roster scope" has the
 * reasoning; in short:
 *
 * - the task's own scope, when it restricts anything, is one rule;
 * - the items of one department are alternatives: an entity is in that department's part when it
 *   falls within ANY of the department's scoped items (the union) — the department has at least
 *   one thing to check there;
 * - the departments of a joint task all apply: an entity is on the roster only when it is within
 *   EVERY participating department's part (the intersection) — 进一门、查多项 means each
 *   department that comes along has an item to check on that target, so none enters a result for
 *   checks that do not apply;
 * - an item without a scope (`null`) restricts nothing and is reported; a department whose items
 *   all lack a scope adds no rule. When no cited item has a scope and the task sets no restricting
 *   scope, the plan says `scopeRequired`: the draw is refused instead of taking the whole directory.
 *   An item scope of `{}` is the explicit "all market entities" and counts as a choice.
 */
import { isRestricting, matchesEntityScope, type EntityScope, type ScopeEntity } from './scope.ts';

export interface ScopedItem {
  id: number;
  departmentId: number;
  scope: EntityScope | null;
}

export type TaskScopeRule =
  | { kind: 'task'; scope: EntityScope }
  | {
      kind: 'items';
      departmentId: number;
      /** The department's scoped items (in citation order) and their scopes, alternatives. */
      itemIds: number[];
      scopes: EntityScope[];
      /** One of the items is set to "all market entities": the rule keeps everything. */
      all: boolean;
    };

export interface TaskScopePlan {
  rules: TaskScopeRule[];
  /** Cited items without a scope, in citation order: they do not restrict the roster. */
  unscopedItemIds: number[];
  /** Nothing chose a scope (no scoped item, no restricting task scope): refuse to draw. */
  scopeRequired: boolean;
}

/**
 * `departmentOrder` (lead first, then the cooperating departments) orders the item rules; other
 * departments follow by id.
 */
export function planTaskScope(input: {
  taskScope: EntityScope | null | undefined;
  items: readonly ScopedItem[];
  departmentOrder?: readonly number[];
}): TaskScopePlan {
  const rules: TaskScopeRule[] = [];
  if (isRestricting(input.taskScope)) rules.push({ kind: 'task', scope: input.taskScope });
  const order = input.departmentOrder ?? [];
  const depts = [...new Set(input.items.map((i) => i.departmentId))].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia !== ib) return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a - b;
    return a - b;
  });
  for (const d of depts) {
    const scoped = input.items.filter((i) => i.departmentId === d && i.scope !== null);
    if (scoped.length === 0) continue;
    const scopes = scoped.map((i) => i.scope as EntityScope);
    rules.push({
      kind: 'items',
      departmentId: d,
      itemIds: scoped.map((i) => i.id),
      scopes,
      all: scopes.some((s) => !isRestricting(s)),
    });
  }
  const unscopedItemIds = input.items.filter((i) => i.scope === null).map((i) => i.id);
  const scopeRequired = !isRestricting(input.taskScope) && input.items.every((i) => i.scope === null);
  return { rules, unscopedItemIds, scopeRequired };
}

export function matchesRule(e: ScopeEntity, rule: TaskScopeRule): boolean {
  if (rule.kind === 'task') return matchesEntityScope(e, rule.scope);
  return rule.all || rule.scopes.some((s) => matchesEntityScope(e, s));
}

/** On the roster as far as scope goes: within every rule of the plan. */
export function matchesPlan(e: ScopeEntity, plan: Pick<TaskScopePlan, 'rules'>): boolean {
  return plan.rules.every((r) => matchesRule(e, r));
}

export interface RuleStep<T> {
  /** Entities that passed this rule (of those that passed the ones before it). */
  kept: number;
  removed: number;
  /** The first `sampleSize` removed, in input order. */
  sample: T[];
}

/**
 * Applies rules one after the other and counts, per rule, how many of the entities still in play
 * it kept and removed, with a sample of the removed. The entities kept at the end do not depend
 * on the order of the rules; the per-rule counts do (each rule is counted on what the earlier
 * ones left).
 */
export function accountRules<T>(
  entities: readonly T[],
  rules: readonly ((e: T) => boolean)[],
  sampleSize = 5,
): { steps: RuleStep<T>[]; kept: T[] } {
  let pool: readonly T[] = entities;
  const steps: RuleStep<T>[] = [];
  for (const rule of rules) {
    const next: T[] = [];
    const sample: T[] = [];
    for (const e of pool) {
      if (rule(e)) next.push(e);
      else if (sample.length < sampleSize) sample.push(e);
    }
    steps.push({ kept: next.length, removed: pool.length - next.length, sample });
    pool = next;
  }
  return { steps, kept: [...pool] };
}
