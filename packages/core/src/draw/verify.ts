/**
 * verifyBundle: recompute everything in a bundle and report the FIRST difference (draw-protocol v1 §11).
 */
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { BUNDLE_FORMAT, drawSizes, phasedTargets, roundsOf, sumRounds, type DrawBundle } from './bundle.ts';

const nonZero = (e: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(e).filter(([, n]) => n !== 0));
import { ALGORITHM_VERSION, commitmentHash } from './commitment.ts';
import { drawErr, type DrawError } from './errors.ts';
import { matchInspectors } from './matching.ts';
import { parseCanonicalRoster } from './roster.ts';
import { deriveSeed, type SeedOptions } from './seed.ts';
import { planStrata } from './strata.ts';
import { selectByTickets } from './tickets.ts';

export interface Verified {
  seed: string;
  commitmentHash: string;
  selected: number;
}

/**
 * Deep equality of JSON values without allocation (the common, verified case): arrays element by
 * element, objects by their own enumerable keys (any order). Agrees with locate() finding nothing.
 */
function jsonEqual(e: unknown, a: unknown): boolean {
  if (e === a) return true;
  if (typeof e !== 'object' || typeof a !== 'object' || e === null || a === null) return false;
  const ea = Array.isArray(e);
  if (ea !== Array.isArray(a)) return false;
  if (ea) {
    const x = e as unknown[];
    const y = a as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(x[i], y[i])) return false;
    return true;
  }
  const x = e as Record<string, unknown>;
  const y = a as Record<string, unknown>;
  // A member whose value is undefined counts as absent (as in canonical JSON).
  let n = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(x, k) || x[k] === undefined) continue;
    n++;
    if (!Object.prototype.hasOwnProperty.call(y, k) || !jsonEqual(x[k], y[k])) return false;
  }
  let m = 0;
  for (const k in y) if (Object.prototype.hasOwnProperty.call(y, k) && y[k] !== undefined) m++;
  return n === m;
}

/** The first path at which two JSON values differ (keys in sorted order), or undefined. */
export function firstDifference(
  expected: unknown,
  actual: unknown,
  path = '$',
): { path: string; expected: unknown; actual: unknown } | undefined {
  if (jsonEqual(expected, actual)) return undefined;
  return locate(expected, actual, path);
}

function locate(
  expected: unknown,
  actual: unknown,
  path: string,
): { path: string; expected: unknown; actual: unknown } | undefined {
  if (expected === actual) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    if (expected.length !== actual.length)
      return { path: `${path}.length`, expected: expected.length, actual: actual.length };
    return undefined;
  }
  if (
    expected &&
    actual &&
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    !Array.isArray(expected) &&
    !Array.isArray(actual)
  ) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
      const d = firstDifference(e[k], a[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return { path, expected, actual };
}

function mismatch(path: string, expected: unknown, actual: unknown, what: string) {
  return drawErr(
    'DRAW_BUNDLE_MISMATCH',
    `${what}: at ${path} the bundle has ${JSON.stringify(actual)}, the recomputation gives ${JSON.stringify(expected)}`,
    { path, expected, actual },
  );
}

export function verifyBundle(bundle: DrawBundle, opts: SeedOptions = {}): Result<Verified, DrawError> {
  if (bundle.format !== BUNDLE_FORMAT)
    return mismatch('$.format', BUNDLE_FORMAT, bundle.format, 'Unknown bundle format');
  if (bundle.algorithm !== ALGORITHM_VERSION)
    return mismatch('$.algorithm', ALGORITHM_VERSION, bundle.algorithm, 'Unknown algorithm');
  if (bundle.commitment.algorithm !== ALGORITHM_VERSION)
    return mismatch(
      '$.commitment.algorithm',
      ALGORITHM_VERSION,
      bundle.commitment.algorithm,
      'Unknown algorithm',
    );
  const h = commitmentHash(bundle.commitment);
  if (!h.ok) return h;
  if (h.value.hash !== bundle.commitmentHash)
    return mismatch('$.commitmentHash', h.value.hash, bundle.commitmentHash, 'The commitment hash differs');
  const roster = parseCanonicalRoster(bundle.roster);
  if (!roster.ok)
    return drawErr('DRAW_BUNDLE_MISMATCH', `The roster is not canonical: ${roster.error.message}`, {
      path: '$.roster',
    });
  if (roster.value.root !== bundle.commitment.roster.root)
    return mismatch(
      '$.commitment.roster.root',
      roster.value.root,
      bundle.commitment.roster.root,
      'The roster root differs',
    );
  if (roster.value.size !== bundle.commitment.roster.size)
    return mismatch(
      '$.commitment.roster.size',
      roster.value.size,
      bundle.commitment.roster.size,
      'The roster size differs',
    );
  const plan = planStrata(
    roster.value,
    bundle.commitment.strata.map((s) => ({ label: s.label, ratio: s.ratio, min: s.min, max: s.max })),
  );
  if (!plan.ok) return plan;
  const dp = firstDifference(plan.value, bundle.commitment.strata, '$.commitment.strata');
  if (dp) return mismatch(dp.path, dp.expected, dp.actual, 'The strata differ');
  const seed = deriveSeed(bundle.commitmentHash, bundle.commitment.seedSource, bundle.seedInputs, opts);
  if (!seed.ok) return seed;
  if (seed.value !== bundle.seed) return mismatch('$.seed', seed.value, bundle.seed, 'The seed differs');
  const sizes = drawSizes(bundle.commitment, bundle.escalation);
  if (!sizes.ok) return sizes;
  const sel = selectByTickets(roster.value, seed.value, sizes.value);
  if (!sel.ok) return sel;
  const ds = firstDifference(sel.value, bundle.selection, '$.selection');
  if (ds) return mismatch(ds.path, ds.expected, ds.actual, 'The selection differs');
  const rounds = roundsOf(bundle.escalation, bundle.escalationRounds);
  if (bundle.escalationRounds !== undefined) {
    const de = firstDifference(sumRounds(rounds), nonZero(bundle.escalation), '$.escalationRounds');
    if (de)
      return mismatch(
        de.path,
        de.expected,
        de.actual,
        'The escalation rounds do not add up to the escalation',
      );
  }
  const targets = phasedTargets(bundle.commitment, sel.value, rounds);
  const m = matchInspectors(bundle.commitment.items, bundle.commitment.matching, targets, seed.value);
  if (!m.ok) return m;
  const dt = firstDifference(m.value.teams, bundle.teams, '$.teams');
  if (dt) return mismatch(dt.path, dt.expected, dt.actual, 'The teams differ');
  return ok({ seed: seed.value, commitmentHash: h.value.hash, selected: targets.length });
}
