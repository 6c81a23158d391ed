/**
 * Value rules of draw protocol v2 (docs/specs/draw-protocol-v2.md §3, §12) used when building a
 * commitment (and by the verifier where it re-checks what it recomputes). The bundle's shape is
 * checked by shape.ts (validateBundleV2); these are the same ranges, applied to the input.
 */
import { DRAND_MAINNET, DRAND_QUICKNET, type DrandSource } from '../commitment.ts';
import { drawErr, type DrawError } from '../errors.ts';
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';

export const LIMITS = {
  attempt: 1000,
  items: 1000,
  rosterSize: 100_000_000,
  strata: 1000,
  minMax: 100_000_000,
  teamSizeMin: 2,
  teamSizeMax: 20,
  cap: 1_000_000,
  pool: 100_000,
  load: 1_000_000,
  diceMin: 20,
  diceMax: 100,
} as const;

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Number of code points (Unicode scalar values) of a well-formed string. */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** 1 … max code points, well-formed, and (if noControl) no control character. */
export function textOk(s: unknown, max: number, noControl: boolean): s is string {
  if (typeof s !== 'string' || s.length === 0 || LONE.test(s)) return false;
  if (noControl && CONTROL.test(s)) return false;
  return codePoints(s) <= max;
}

/** A stratum label (§3): 1 to 64 code points, no control character. */
export function isLabelV2(s: unknown): s is string {
  return textOk(s, 64, true);
}

/** An inspector id (§12): 1 to 64 code points without U+0000. */
export function isInspectorId(s: unknown): s is string {
  return textOk(s, 64, false) && !s.includes('\u0000');
}

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** YYYY-MM-DD, a real Gregorian date, year 1900 … 9999. */
export function isDateV2(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

export function isRange(r: { from: unknown; to: unknown } | undefined | null): boolean {
  return !!r && isDateV2(r.from) && isDateV2(r.to) && r.from <= r.to;
}

export const intIn = (x: unknown, lo: number, hi: number): x is number =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= lo && x <= hi;

export const KNOWN_CHAINS: readonly { chainHash: string; publicKey: string; scheme: string }[] = [
  DRAND_QUICKNET,
  DRAND_MAINNET,
];

/** §6 / §12 step 3: the chain is one of the known ones, with its scheme and its key. */
export function checkDrandSource(
  d: DrandSource,
  path = '$.commitment.seedSource.drand',
): Result<true, DrawError> {
  const chain = KNOWN_CHAINS.find((c) => c.chainHash === d.chainHash);
  if (!chain)
    return drawErr('DRAND_CHAIN_UNKNOWN', `The drand chain ${d.chainHash} is not a known chain`, {
      path: `${path}.chainHash`,
      actual: d.chainHash,
    });
  if (d.scheme !== chain.scheme)
    return drawErr(
      'DRAND_SCHEME_UNKNOWN',
      `The drand scheme ${JSON.stringify(d.scheme)} is not the scheme of that chain (${chain.scheme})`,
      { path: `${path}.scheme`, expected: chain.scheme, actual: d.scheme },
    );
  if (d.publicKey !== chain.publicKey)
    return drawErr('DRAND_KEY_MISMATCH', 'The drand public key is not the key of that chain', {
      path: `${path}.publicKey`,
      expected: chain.publicKey,
      actual: d.publicKey,
    });
  return ok(true);
}
