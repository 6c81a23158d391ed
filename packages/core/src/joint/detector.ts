/**
 * 相同对象、相近时间: the merge detector. Pure — the services feed it what is planned and what is
 * due, it returns merge proposals for the joint office to accept or decline.
 *
 * Two kinds of proposal, each about exactly two members of DIFFERENT departments (a proposal never
 * stays within one department; a group of three is reached by accepting two proposals):
 * - `batch`: two batches not yet drawn (draft tasks, plan batches not yet opened) whose time windows
 *   overlap (at least one common day) and whose scopes overlap (every dimension both restrict
 *   shares a value; an industry prefix overlaps one that starts with it; a dimension one of them
 *   leaves open overlaps anything). Its window is the common part of both windows.
 * - `entity`: two drawn targets of the same entity, of different departments, not yet visited,
 *   whose windows are at most `nearDays` days apart (overlapping windows are 0 days apart). Its
 *   window runs from the later start to the earlier end (or the other way round when they do not
 *   overlap: the days between the two windows), so it always spans at most `nearDays` days
 *   between the members' windows.
 *
 * Deterministic: the members of a proposal are in ref order, proposals in (kind, window start,
 * key) order; the input order does not matter.
 */

export interface JointScope {
  streets?: readonly string[] | undefined;
  entityTypes?: readonly string[] | undefined;
  industryPrefixes?: readonly string[] | undefined;
  tags?: readonly string[] | undefined;
}

/** A batch that can still be merged: a draft task (`task:ID`) or an unopened plan batch (`batch:ID`). */
export interface PlannedBatch {
  ref: string;
  departmentId: number;
  windowStart: string;
  windowEnd: string;
  scope: JointScope | null;
}

/** A drawn target due to be visited (no result yet): `target:ID`. */
export interface DueVisit {
  ref: string;
  entityId: number;
  departmentId: number;
  windowStart: string;
  windowEnd: string;
}

export interface MergeProposalDraft {
  kind: 'batch' | 'entity';
  /** Stable identity: kind and both refs (a declined proposal is not proposed again). */
  key: string;
  members: [string, string];
  /** The departments of the members, in member order. */
  departmentIds: [number, number];
  entityId: number | null;
  windowStart: string;
  windowEnd: string;
  /** Days between the two windows (0 when they overlap). */
  gapDays: number;
}

export const DEFAULT_JOINT_NEAR_DAYS = 30;
export const JOINT_NEAR_DAYS_BOUNDS = { min: 0, max: 366 } as const;

const DAY = 86_400_000;

/** Whole days from ISO date a to ISO date b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}

/** Days between two windows: 0 when they share a day, else the days from one's end to the other's start. */
export function windowGap(a: { windowStart: string; windowEnd: string }, b: typeof a): number {
  if (a.windowEnd < b.windowStart) return daysBetween(a.windowEnd, b.windowStart);
  if (b.windowEnd < a.windowStart) return daysBetween(b.windowEnd, a.windowStart);
  return 0;
}

function restricts(v: readonly string[] | undefined): v is readonly string[] {
  return v !== undefined && v.length > 0;
}

function setsOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!restricts(a) || !restricts(b)) return true;
  return a.some((x) => b.includes(x));
}

function prefixesOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!restricts(a) || !restricts(b)) return true;
  return a.some((x) => b.some((y) => x.startsWith(y) || y.startsWith(x)));
}

/** Whether two scopes can select a common entity (a missing scope is the whole directory). */
export function scopesOverlap(a: JointScope | null, b: JointScope | null): boolean {
  const x = a ?? {};
  const y = b ?? {};
  return (
    setsOverlap(x.streets, y.streets) &&
    setsOverlap(x.entityTypes, y.entityTypes) &&
    setsOverlap(x.tags, y.tags) &&
    prefixesOverlap(x.industryPrefixes, y.industryPrefixes)
  );
}

function byRef<T extends { ref: string }>(a: T, b: T): number {
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

function pairWindow(a: { windowStart: string; windowEnd: string }, b: typeof a) {
  const s = a.windowStart > b.windowStart ? a.windowStart : b.windowStart;
  const e = a.windowEnd < b.windowEnd ? a.windowEnd : b.windowEnd;
  // no common day: the days between the two windows
  return s <= e ? { windowStart: s, windowEnd: e } : { windowStart: e, windowEnd: s };
}

function compareProposals(a: MergeProposalDraft, b: MergeProposalDraft): number {
  if (a.kind !== b.kind) return a.kind === 'batch' ? -1 : 1;
  if (a.windowStart !== b.windowStart) return a.windowStart < b.windowStart ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function uniqueByRef<T extends { ref: string }>(xs: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const x of [...xs].sort(byRef)) if (!seen.has(x.ref)) seen.set(x.ref, x);
  return [...seen.values()];
}

/** Batch proposals: pairs of batches of different departments whose scopes and windows overlap. */
export function detectBatchMerges(batches: readonly PlannedBatch[]): MergeProposalDraft[] {
  const bs = uniqueByRef(batches);
  const out: MergeProposalDraft[] = [];
  for (let i = 0; i < bs.length; i++)
    for (let j = i + 1; j < bs.length; j++) {
      const a = bs[i]!;
      const b = bs[j]!;
      if (a.departmentId === b.departmentId) continue;
      if (windowGap(a, b) !== 0 || !scopesOverlap(a.scope, b.scope)) continue;
      out.push({
        kind: 'batch',
        key: `batch|${a.ref}|${b.ref}`,
        members: [a.ref, b.ref],
        departmentIds: [a.departmentId, b.departmentId],
        entityId: null,
        ...pairWindow(a, b),
        gapDays: 0,
      });
    }
  return out.sort(compareProposals);
}

/** Entity proposals: the same entity due to be visited by two departments within `nearDays` days. */
export function detectEntityMerges(visits: readonly DueVisit[], nearDays: number): MergeProposalDraft[] {
  const byEntity = new Map<number, DueVisit[]>();
  for (const v of uniqueByRef(visits)) {
    const list = byEntity.get(v.entityId) ?? [];
    list.push(v);
    byEntity.set(v.entityId, list);
  }
  const out: MergeProposalDraft[] = [];
  for (const [entityId, vs] of byEntity)
    for (let i = 0; i < vs.length; i++)
      for (let j = i + 1; j < vs.length; j++) {
        const a = vs[i]!;
        const b = vs[j]!;
        if (a.departmentId === b.departmentId) continue;
        const gap = windowGap(a, b);
        if (gap > nearDays) continue;
        out.push({
          kind: 'entity',
          key: `entity|${a.ref}|${b.ref}`,
          members: [a.ref, b.ref],
          departmentIds: [a.departmentId, b.departmentId],
          entityId,
          ...pairWindow(a, b),
          gapDays: gap,
        });
      }
  return out.sort(compareProposals);
}

/** Both kinds, batches first. */
export function detectMerges(
  input: { batches: readonly PlannedBatch[]; visits: readonly DueVisit[] },
  nearDays: number = DEFAULT_JOINT_NEAR_DAYS,
): MergeProposalDraft[] {
  return [...detectBatchMerges(input.batches), ...detectEntityMerges(input.visits, nearDays)];
}

/** The joint rules stored in the settings under JOINT_RULES_KEY. */
export interface JointRules {
  /** 相近时间: visits of one entity at most this many days apart are proposed for a joint visit. */
  nearDays: number;
}

export const JOINT_RULES_KEY = 'joint_rules';
export const DEFAULT_JOINT_RULES: Readonly<JointRules> = Object.freeze({ nearDays: DEFAULT_JOINT_NEAR_DAYS });

/** A stored value (unknown) merged over the defaults; an invalid field falls back to its default. */
export function mergeJointRules(stored: unknown): JointRules {
  const o = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  return { nearDays: validNearDays(o.nearDays) ? o.nearDays : DEFAULT_JOINT_RULES.nearDays };
}

export function validNearDays(v: unknown): v is number {
  return (
    typeof v === 'number' &&
    Number.isInteger(v) &&
    v >= JOINT_NEAR_DAYS_BOUNDS.min &&
    v <= JOINT_NEAR_DAYS_BOUNDS.max
  );
}
