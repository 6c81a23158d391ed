/**
 * What "最多抽取户数" (the task's maximum) means, turned into per-stratum (min, max) BEFORE the
 * commitment, so that the commitment stays a plain v1 record (draw-protocol §4.1):
 *
 * - `perClass`: every class may have up to `max` targets (the v1 rule as written: a maximum of 10
 *   over 4 classes may give 40).
 * - `total`: at most `max` targets in all. Each class's natural size n_i (ratio, min) is kept when
 *   Σ n_i ≤ max; otherwise every class gets 1 (不免抽) and the remaining max − k is shared in
 *   proportion to n_i − 1 by largest remainder (ties: class order), so the sizes sum to max.
 * - `split`: `max` is divided among the classes in proportion to their population N_i (every class
 *   gets 1, the remaining max − k in proportion to N_i − 1, largest remainder, ties by class order;
 *   N_i each when max ≥ Σ N_i); each class then draws min(n_i, its share): at most `max` in all.
 *
 * The result per class is the (min, max) committed for its stratum: max_i = the allocation and
 * min_i = min(min, max_i), so v1's size rule gives exactly the allocated size.
 */
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { drawErr, type DrawError } from './errors.ts';
import { sampleSize } from './strata.ts';

export const MAX_MODES = ['total', 'split', 'perClass'] as const;
export type MaxMode = (typeof MAX_MODES)[number];

export interface ClassDemand {
  /** The class (internal; the services map it to an opaque label afterwards). */
  key: string;
  /** The protocol's ratio string ("0.05"). */
  ratio: string;
  /** Entities of the class in the roster (≥ 1). */
  population: number;
}

export interface ClassBounds {
  key: string;
  /** The committed stratum rule's min and max. */
  min: number;
  max: number | null;
  /** The v1 size these bounds give (sampleSize of the rule). */
  size: number;
}

/**
 * Share `budget` among weights w_i (Σ w > budget ≥ 0) in proportion, by largest remainder; ties go
 * to the earlier index. Exact integer arithmetic. Never gives an index more than ceil of its quota.
 */
export function largestRemainder(weights: readonly number[], budget: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  const base = weights.map((w) => Math.floor((w * budget) / total));
  // exact floor (w × budget < 2^53 for the sizes of a district)
  for (let i = 0; i < base.length; i++) {
    const w = weights[i]!;
    while (base[i]! * total > w * budget) base[i]!--;
    while ((base[i]! + 1) * total <= w * budget) base[i]!++;
  }
  let left = budget - base.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, rem: w * budget - base[i]! * total }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    if (o.rem === 0) continue;
    base[o.i]!++;
    left--;
  }
  return base;
}

/**
 * Per-class (min, max) for a maximum `max` read as `mode`. Classes are taken in the given order
 * (sort them by class before calling: ties depend on it). `max` null: no maximum, every mode is v1.
 */
export function classBounds(
  classes: readonly ClassDemand[],
  min: number,
  max: number | null,
  mode: MaxMode,
): Result<ClassBounds[], DrawError> {
  if (!MAX_MODES.includes(mode))
    return drawErr('SAMPLING_MAX_MODE_INVALID', `Unknown maximum mode ${JSON.stringify(mode)}`);
  const natural = classes.map((c) => sampleSize(c.ratio, c.population, min, null));
  const v1 = (m: number | null) =>
    ok(
      classes.map((c) => ({
        key: c.key,
        min,
        max: m,
        size: sampleSize(c.ratio, c.population, min, m),
      })),
    );
  if (max === null || mode === 'perClass') return v1(max);
  const k = classes.length;
  if (k > max)
    return drawErr(
      'SAMPLING_MAX_BELOW_CLASSES',
      `The maximum ${max} is below the number of classes ${k}: no class is exempt (不免抽), each needs at least 1`,
      { max, classes: k },
    );
  let alloc: number[];
  if (mode === 'total') {
    const sum = natural.reduce((a, b) => a + b, 0);
    alloc =
      sum <= max
        ? natural
        : largestRemainder(
            natural.map((n) => n - 1),
            max - k,
          ).map((x) => x + 1);
  } else {
    const pop = classes.reduce((a, c) => a + c.population, 0);
    const share =
      pop <= max
        ? classes.map((c) => c.population)
        : largestRemainder(
            classes.map((c) => c.population - 1),
            max - k,
          ).map((x) => x + 1);
    alloc = share.map((s, i) => Math.min(s, natural[i]!));
  }
  return ok(
    classes.map((c, i) => {
      const m = alloc[i]!;
      const lo = Math.min(min, m);
      return { key: c.key, min: lo, max: m, size: sampleSize(c.ratio, c.population, lo, m) };
    }),
  );
}
