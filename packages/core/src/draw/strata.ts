/**
 * Strata and sample sizes (draw-protocol v1 §4). A stratum is a risk class, optionally crossed
 * with another attribute ("C" or "C|张家村街道"). size = min(N, clamp(ceil(ratio × N), min, max)).
 */
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { compareUtf8 } from './canonical-json.ts';
import { drawErr, type DrawError } from './errors.ts';
import { isValidLabel, type CanonicalRoster } from './roster.ts';

export interface StratumRule {
  label: string;
  /** Decimal string in (0, 1], at most 6 fraction digits: "0.05", "1". Never 0 (不免抽). */
  ratio: string;
  /** Minimum sample size (default 0; the ceiling of a positive ratio is already ≥ 1). */
  min?: number;
  /** Maximum sample size, or null / absent for none. */
  max?: number | null;
}

export interface StratumPlan {
  label: string;
  ratio: string;
  min: number;
  max: number | null;
  population: number;
  size: number;
}

const RATIO = /^(0\.[0-9]{1,6}|1(\.0{1,6})?)$/;

/** Ratio as an integer number of millionths, or undefined if malformed, 0 or above 1. */
export function ratioMillionths(ratio: string): number | undefined {
  if (!RATIO.test(ratio)) return undefined;
  const [int, frac = ''] = ratio.split('.');
  const m = Number(int) * 1_000_000 + Number(frac.padEnd(6, '0'));
  return m > 0 && m <= 1_000_000 ? m : undefined;
}

/** ceil(ratio × N) in exact integer arithmetic, then clamped to [min, max] and capped at N. */
export function sampleSize(ratio: string, population: number, min = 0, max: number | null = null): number {
  const m = ratioMillionths(ratio);
  if (m === undefined) throw new Error(`Invariant: ratio ${ratio} not validated`);
  let k = Math.ceil((m * population) / 1_000_000);
  // m × N < 2^53 for N < 9·10^9, so the product is exact; the division's ceiling is exact too
  // because (m × N) / 10^6 is rounded to the nearest double and the integer part is preserved.
  if ((k - 1) * 1_000_000 >= m * population) k -= 1;
  if (k * 1_000_000 < m * population) k += 1;
  k = Math.max(k, min);
  if (max !== null) k = Math.min(k, max);
  return Math.min(k, population);
}

export function planStrata(
  roster: CanonicalRoster,
  rules: readonly StratumRule[],
): Result<StratumPlan[], DrawError> {
  const byLabel = new Map<string, StratumRule>();
  for (const r of rules) {
    if (!isValidLabel(r.label))
      return drawErr('DRAW_INPUT_INVALID', `Stratum label ${JSON.stringify(r.label)} is not valid`);
    if (byLabel.has(r.label)) return drawErr('DRAW_INPUT_INVALID', `Stratum ${r.label} is configured twice`);
    if (ratioMillionths(r.ratio) === undefined)
      return drawErr(
        'DRAW_RATIO_INVALID',
        `Stratum ${r.label}: ratio ${JSON.stringify(r.ratio)} must be a decimal in (0, 1] with at most 6 decimals (no class is exempt)`,
        {
          stratum: r.label,
          ratio: r.ratio,
        },
      );
    const min = r.min ?? 0;
    const max = r.max ?? null;
    if (!Number.isSafeInteger(min) || min < 0)
      return drawErr('DRAW_INPUT_INVALID', `Stratum ${r.label}: min must be an integer ≥ 0`);
    if (max !== null && (!Number.isSafeInteger(max) || max < 1 || max < min))
      return drawErr('DRAW_INPUT_INVALID', `Stratum ${r.label}: max must be an integer ≥ 1 and ≥ min`);
    byLabel.set(r.label, r);
  }
  if (byLabel.size === 0) return drawErr('DRAW_INPUT_INVALID', 'No stratum is configured');
  const population = new Map<string, number>();
  for (let i = 0; i < roster.size; i++) {
    const s = roster.strata[i]!;
    const n = population.get(s);
    if (n === undefined) {
      if (!byLabel.has(s))
        return drawErr(
          'DRAW_STRATUM_UNKNOWN',
          `Entity ${roster.keys[i]} is in stratum ${s}, which has no ratio`,
          {
            key: roster.keys[i],
            stratum: s,
          },
        );
      population.set(s, 1);
    } else population.set(s, n + 1);
  }
  const plans: StratumPlan[] = [];
  for (const r of [...byLabel.values()].sort((a, b) => compareUtf8(a.label, b.label))) {
    const n = population.get(r.label) ?? 0;
    if (n === 0)
      return drawErr('DRAW_STRATUM_EMPTY', `Stratum ${r.label} has no entity`, { stratum: r.label });
    const min = r.min ?? 0;
    const max = r.max ?? null;
    plans.push({
      label: r.label,
      ratio: r.ratio,
      min,
      max,
      population: n,
      size: sampleSize(r.ratio, n, min, max),
    });
  }
  return ok(plans);
}

/** "C" or "C|张家村街道": the risk class optionally crossed with another attribute. */
export function stratumLabel(riskClass: string, attribute?: string): string {
  return attribute === undefined ? riskClass : `${riskClass}|${attribute}`;
}
