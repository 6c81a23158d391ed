/**
 * The commitment (draw-protocol v1 §5): a canonical JSON record fixed before the seed exists,
 * and its SHA-256. Everything the draw and the matching depend on is in it.
 */
import { sha256, bytesToHex, utf8 } from '../hash/index.ts';
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { compareUtf8, toCanonicalJson } from './canonical-json.ts';
import { drawErr, type DrawError } from './errors.ts';
import { canonicalRoster, type CanonicalRoster, type RosterEntry } from './roster.ts';
import { planStrata, type StratumPlan, type StratumRule } from './strata.ts';

export const ALGORITHM_VERSION = 'choucha-draw-v1';

export const DRAND_QUICKNET = {
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  scheme: 'bls-unchained-g1-rfc9380',
} as const;

export const DRAND_MAINNET = {
  chainHash: '8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce',
  publicKey:
    '868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31',
  scheme: 'pedersen-bls-chained',
} as const;

export type DrandScheme = 'bls-unchained-g1-rfc9380' | 'pedersen-bls-chained';

export interface DrandSource {
  chainHash: string;
  publicKey: string;
  scheme: DrandScheme;
  round: number;
}

export interface SeedSource {
  /** Public dice digits entered after the commitment: at least minDigits (≥ 20) digits 0–9. */
  dice: { minDigits: number } | null;
  /** A named future drand round. */
  drand: DrandSource | null;
}

export interface Item {
  id: string;
  /** The department whose item this is; a task with items of several departments is joint. */
  department: string;
  /** The field of competence the item requires (专业领域), or null. */
  field: string | null;
}

export interface DateRange {
  /** Inclusive, YYYY-MM-DD. */
  from: string;
  to: string;
}

export interface Inspector {
  id: string;
  department: string;
  fields: string[];
  /** Validity of the law-enforcement certificate (执法证), inclusive. */
  certificate: DateRange;
  /** Leave, secondment, other absence. */
  unavailable: DateRange[];
  /** Assignments already carried from other tasks; counts toward the cap and the balance. */
  load: number;
}

export interface MatchingRules {
  /** Inspectors per target and department; at least 2 (行政处罚法 art. 42). */
  teamSize: number;
  /** Maximum total load per inspector (including Inspector.load), or null. */
  maxLoad: number | null;
  /**
   * Maximum number of this draw's targets per inspector (load carried from other tasks not
   * counted), or null / absent. Published only when set, so records without it are unchanged (§9).
   */
  maxPerDraw?: number | null | undefined;
  /** Exclude an inspector who was on this entity's previous inspection by the department. */
  avoidPrevious: boolean;
}

export interface Pair {
  inspectorId: string;
  key: string;
}

export interface MatchingInput {
  inspection: DateRange;
  rules: MatchingRules;
  inspectors: Inspector[];
  recusals: Pair[];
  previous: Pair[];
}

export interface CommitmentRecord {
  algorithm: typeof ALGORITHM_VERSION;
  task: { id: string; name: string };
  items: Item[];
  roster: { root: string; size: number };
  strata: StratumPlan[];
  matching: MatchingInput;
  seedSource: SeedSource;
}

export interface CommitmentInput {
  task: { id: string; name: string };
  items: Item[];
  roster: readonly RosterEntry[] | CanonicalRoster;
  strata: StratumRule[];
  matching: MatchingInput;
  seedSource: SeedSource;
}

export interface Commitment {
  record: CommitmentRecord;
  /** The canonical JSON of record (UTF-8 of this string is what is hashed). */
  json: string;
  /** Lower-case hex SHA-256 of the canonical JSON. */
  hash: string;
  roster: CanonicalRoster;
}

const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const HEX64 = /^[0-9a-f]{64}$/;

export function commitmentHash(record: CommitmentRecord): Result<{ json: string; hash: string }, DrawError> {
  const j = toCanonicalJson(record);
  if (!j.ok) return j;
  return ok({ json: j.value, hash: bytesToHex(sha256(utf8(j.value))) });
}

function byUtf8<T>(f: (t: T) => string) {
  return (a: T, b: T) => compareUtf8(f(a), f(b));
}

function uniqSorted(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort(compareUtf8);
}

/** Validates the input and builds the canonical commitment (sorted arrays, computed strata). */
export function buildCommitment(input: CommitmentInput): Result<Commitment, DrawError> {
  const rosterR = 'root' in input.roster ? ok(input.roster) : canonicalRoster(input.roster);
  if (!rosterR.ok) return rosterR;
  const roster = rosterR.value;
  const strata = planStrata(roster, input.strata);
  if (!strata.ok) return strata;
  if (input.items.length === 0) return drawErr('DRAW_INPUT_INVALID', 'The task has no inspection item');
  const itemIds = new Set(input.items.map((i) => i.id));
  if (itemIds.size !== input.items.length) return drawErr('DRAW_INPUT_INVALID', 'An item id appears twice');
  const m = input.matching;
  const v = validateMatching(m);
  if (v) return drawErr('DRAW_INPUT_INVALID', v);
  const s = input.seedSource;
  if (!s.dice && !s.drand)
    return drawErr('DRAW_INPUT_INVALID', 'The seed source names neither dice nor a drand round');
  if (s.dice && (!Number.isSafeInteger(s.dice.minDigits) || s.dice.minDigits < 20))
    return drawErr('DRAW_INPUT_INVALID', 'The dice source needs at least 20 digits');
  if (s.drand) {
    const d = s.drand;
    if (
      !HEX64.test(d.chainHash) ||
      !/^[0-9a-f]+$/.test(d.publicKey) ||
      !Number.isSafeInteger(d.round) ||
      d.round < 1
    )
      return drawErr(
        'DRAW_INPUT_INVALID',
        'The drand source needs a chain hash, a public key (lower-case hex) and a round ≥ 1',
      );
    const pkLen =
      d.scheme === 'bls-unchained-g1-rfc9380' ? 192 : d.scheme === 'pedersen-bls-chained' ? 96 : -1;
    if (d.publicKey.length !== pkLen)
      return drawErr('DRAW_INPUT_INVALID', `The drand public key does not fit scheme ${d.scheme}`);
  }
  const record: CommitmentRecord = {
    algorithm: ALGORITHM_VERSION,
    task: { id: input.task.id, name: input.task.name },
    items: input.items
      .map((i) => ({ id: i.id, department: i.department, field: i.field }))
      .sort(byUtf8((i) => i.id)),
    roster: { root: roster.root, size: roster.size },
    strata: strata.value,
    matching: {
      inspection: { from: m.inspection.from, to: m.inspection.to },
      rules: {
        teamSize: m.rules.teamSize,
        maxLoad: m.rules.maxLoad,
        avoidPrevious: m.rules.avoidPrevious,
        ...(m.rules.maxPerDraw != null ? { maxPerDraw: m.rules.maxPerDraw } : {}),
      },
      inspectors: m.inspectors
        .map((i) => ({
          id: i.id,
          department: i.department,
          fields: uniqSorted(i.fields),
          certificate: { from: i.certificate.from, to: i.certificate.to },
          unavailable: i.unavailable
            .map((u) => ({ from: u.from, to: u.to }))
            .sort((a, b) => compareUtf8(a.from, b.from) || compareUtf8(a.to, b.to)),
          load: i.load,
        }))
        .sort(byUtf8((i) => i.id)),
      recusals: dedupPairs(m.recusals),
      previous: dedupPairs(m.previous),
    },
    seedSource: {
      dice: s.dice ? { minDigits: s.dice.minDigits } : null,
      drand: s.drand
        ? {
            chainHash: s.drand.chainHash,
            publicKey: s.drand.publicKey,
            scheme: s.drand.scheme,
            round: s.drand.round,
          }
        : null,
    },
  };
  const h = commitmentHash(record);
  if (!h.ok) return h;
  return ok({ record, json: h.value.json, hash: h.value.hash, roster });
}

function dedupPairs(ps: readonly Pair[]): Pair[] {
  const seen = new Set<string>();
  const out: Pair[] = [];
  for (const p of ps) {
    const k = `${p.inspectorId}\u0000${p.key}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ inspectorId: p.inspectorId, key: p.key });
  }
  return out.sort((a, b) => compareUtf8(a.inspectorId, b.inspectorId) || compareUtf8(a.key, b.key));
}

/** Returns a description of the first problem, or undefined. */
export function validateMatching(m: MatchingInput): string | undefined {
  if (!DATE.test(m.inspection.from) || !DATE.test(m.inspection.to) || m.inspection.from > m.inspection.to)
    return 'The inspection dates must be YYYY-MM-DD with from ≤ to';
  const r = m.rules;
  if (!Number.isSafeInteger(r.teamSize) || r.teamSize < 2)
    return 'The team size must be an integer ≥ 2 (行政处罚法 art. 42)';
  if (r.maxLoad !== null && (!Number.isSafeInteger(r.maxLoad) || r.maxLoad < 1))
    return 'The workload cap must be an integer ≥ 1';
  if (r.maxPerDraw != null && (!Number.isSafeInteger(r.maxPerDraw) || r.maxPerDraw < 1))
    return 'The per-draw cap must be an integer ≥ 1';
  if (typeof r.avoidPrevious !== 'boolean') return 'avoidPrevious must be a boolean';
  const ids = new Set<string>();
  for (const i of m.inspectors) {
    if (i.id.length === 0 || i.id.includes('\u0000'))
      return `Inspector id ${JSON.stringify(i.id)} is empty or has NUL`;
    if (ids.has(i.id)) return `Inspector ${i.id} appears twice`;
    ids.add(i.id);
    if (!DATE.test(i.certificate.from) || !DATE.test(i.certificate.to))
      return `Inspector ${i.id}: certificate dates must be YYYY-MM-DD`;
    for (const u of i.unavailable)
      if (!DATE.test(u.from) || !DATE.test(u.to) || u.from > u.to)
        return `Inspector ${i.id}: an absence is not a valid date range`;
    if (!Number.isSafeInteger(i.load) || i.load < 0) return `Inspector ${i.id}: load must be an integer ≥ 0`;
  }
  return undefined;
}
