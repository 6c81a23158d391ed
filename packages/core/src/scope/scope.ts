/**
 * The machine-readable scope of an inspection item (检查对象) or of a task (定向 filters): which
 * market entities it applies to. Pure; the services translate the same rules to SQL.
 *
 * Matching: every list that is present and non-empty must match (AND); inside a list, any value
 * matches (OR). `tags` matches an entity's tags or its licences (the task form's "标签/许可证");
 * `licences` matches licences only; `industryPrefixes` are GB/T 4754 code prefixes (门类 letter,
 * then 2–4 digits: 'H', 'H62', 'H621', 'F5234'; digits alone skip the letter); `supervisingDepartments` are department ids of
 * which at least one must supervise the entity.
 *
 * Three states of an item's scope: `null` — not set (the item says nothing, it cannot restrict a
 * roster, and a task whose items are all unset must choose a scope); `{}` — set to "all market
 * entities" (各类市场主体, an explicit choice); conditions — the entities matching them.
 */

export const SCOPE_TEXT_FIELDS = ['entityTypes', 'industryPrefixes', 'licences', 'tags', 'streets'] as const;
export type ScopeTextField = (typeof SCOPE_TEXT_FIELDS)[number];
export const SCOPE_FIELDS = [...SCOPE_TEXT_FIELDS, 'supervisingDepartments'] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];

export interface EntityScope {
  entityTypes?: string[];
  industryPrefixes?: string[];
  licences?: string[];
  tags?: string[];
  streets?: string[];
  supervisingDepartments?: number[];
}

/** What the rules read of an entity (the `entities` row). */
export interface ScopeEntity {
  entityType: string | null;
  industryCode: string | null;
  licences: readonly string[];
  tags: readonly string[];
  street: string | null;
  supervisingDeptIds: readonly number[];
}

/**
 * GB/T 4754 prefix: the section letter, optionally followed by the 2-, 3- or 4-digit code; or the
 * digits alone, which also match a code stored without its letter ('52' matches 'F5211' and '5211').
 */
export const INDUSTRY_PREFIX = /^(?:[A-T](?:\d{2,4})?|\d{2,4})$/;

/** Whether an industry code starts with the prefix (a digits-only prefix skips the section letter). */
export function industryMatches(code: string | null, prefix: string): boolean {
  if (code === null) return false;
  if (code.startsWith(prefix)) return true;
  return /^\d/.test(prefix) && /^[A-T]/.test(code) && code.startsWith(prefix, 1);
}
export const SCOPE_MAX_VALUES = 200;
export const SCOPE_MAX_TEXT = 100;

export type ScopeParse =
  | { ok: true; scope: EntityScope | null }
  | {
      ok: false;
      field: string;
      reason: 'shape' | 'too_many' | 'too_long' | 'industry_prefix' | 'department';
    };

/**
 * Validates and normalises a scope from JSON: trims, drops blank values and empty lists, removes
 * duplicates (first occurrence kept), upper-cases industry prefixes. Unknown keys are refused.
 * `null`/`undefined` stay `null` (not set).
 */
export function parseEntityScope(raw: unknown): ScopeParse {
  if (raw === null || raw === undefined) return { ok: true, scope: null };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, field: 'scope', reason: 'shape' };
  const out: EntityScope = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(SCOPE_FIELDS as readonly string[]).includes(k)) return { ok: false, field: k, reason: 'shape' };
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) return { ok: false, field: k, reason: 'shape' };
    if (v.length > SCOPE_MAX_VALUES) return { ok: false, field: k, reason: 'too_many' };
    if (k === 'supervisingDepartments') {
      const ids: number[] = [];
      for (const x of v) {
        if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 1)
          return { ok: false, field: k, reason: 'department' };
        if (!ids.includes(x)) ids.push(x);
      }
      if (ids.length) out.supervisingDepartments = ids;
      continue;
    }
    const vals: string[] = [];
    for (const x of v) {
      if (typeof x !== 'string') return { ok: false, field: k, reason: 'shape' };
      let s = x.trim();
      if (!s) continue;
      if (s.length > SCOPE_MAX_TEXT) return { ok: false, field: k, reason: 'too_long' };
      if (k === 'industryPrefixes') {
        s = s.toUpperCase();
        if (!INDUSTRY_PREFIX.test(s)) return { ok: false, field: k, reason: 'industry_prefix' };
      }
      if (!vals.includes(s)) vals.push(s);
    }
    if (vals.length) out[k as ScopeTextField] = vals;
  }
  return { ok: true, scope: out };
}

/** Whether a (set) scope restricts anything: `{}` is "all market entities". */
export function isRestricting(scope: EntityScope | null | undefined): scope is EntityScope {
  return !!scope && SCOPE_FIELDS.some((f) => (scope[f]?.length ?? 0) > 0);
}

/** Does the entity fall within the scope? An unset or empty scope matches every entity. */
export function matchesEntityScope(e: ScopeEntity, scope: EntityScope | null | undefined): boolean {
  if (!scope) return true;
  const { entityTypes, industryPrefixes, licences, tags, streets, supervisingDepartments } = scope;
  if (entityTypes?.length && !(e.entityType !== null && entityTypes.includes(e.entityType))) return false;
  if (industryPrefixes?.length && !industryPrefixes.some((p) => industryMatches(e.industryCode, p)))
    return false;
  if (licences?.length && !licences.some((l) => e.licences.includes(l))) return false;
  if (tags?.length && !tags.some((t) => e.tags.includes(t) || e.licences.includes(t))) return false;
  if (streets?.length && !(e.street !== null && streets.includes(e.street))) return false;
  if (supervisingDepartments?.length && !supervisingDepartments.some((d) => e.supervisingDeptIds.includes(d)))
    return false;
  return true;
}
