/**
 * The verification bundle (draw-protocol v1 §10): everything a stranger needs to recompute a draw.
 * runDraw() is the whole lifecycle after the commitment: seed → selection → teams → bundle.
 */
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { ALGORITHM_VERSION, type Commitment, type CommitmentRecord } from './commitment.ts';
import { drawErr, type DrawError } from './errors.ts';
import { matchInspectors, type Target, type TargetTeam } from './matching.ts';
import type { CanonicalRoster } from './roster.ts';
import { deriveSeed, type SeedInputs, type SeedOptions } from './seed.ts';
import { selectByTickets, type Selection } from './tickets.ts';

export const BUNDLE_FORMAT = 'choucha-draw-bundle-v1';

export interface DrawBundle {
  format: typeof BUNDLE_FORMAT;
  algorithm: typeof ALGORITHM_VERSION;
  commitment: CommitmentRecord;
  /** SHA-256 of the canonical JSON of `commitment`, lower-case hex. */
  commitmentHash: string;
  /** The canonical roster text ("key\tstratum\n" per entity, sorted by key). */
  roster: string;
  seedInputs: SeedInputs;
  seed: string;
  /** Entities drawn beyond the committed size, per stratum label (escalation; {} for none). */
  escalation: Record<string, number>;
  /**
   * The escalations one by one, in the order they were made (their sum per label is `escalation`).
   * Absent: one escalation of `escalation` (if any). Each is matched after the previous ones (§8).
   */
  escalationRounds?: Record<string, number>[] | undefined;
  selection: Selection;
  teams: TargetTeam[];
}

/** Sizes per stratum: committed size plus escalation, capped at the population. */
export function drawSizes(
  record: CommitmentRecord,
  escalation: Readonly<Record<string, number>> = {},
): Result<Record<string, number>, DrawError> {
  const sizes: Record<string, number> = {};
  for (const s of record.strata) sizes[s.label] = s.size;
  for (const [label, extra] of Object.entries(escalation)) {
    const s = record.strata.find((x) => x.label === label);
    if (!s)
      return drawErr(
        'DRAW_STRATUM_UNKNOWN',
        `Escalation names stratum ${label}, which is not in the commitment`,
      );
    if (!Number.isSafeInteger(extra) || extra < 0)
      return drawErr('DRAW_INPUT_INVALID', `Escalation of ${label} must be an integer ≥ 0`);
    sizes[label] = Math.min(s.population, s.size + extra);
  }
  return ok(sizes);
}

/** The escalation rounds of a bundle: as recorded, or `escalation` as one round (none if empty). */
export function roundsOf(
  escalation: Readonly<Record<string, number>>,
  rounds?: readonly Readonly<Record<string, number>>[],
): Record<string, number>[] {
  if (rounds) return rounds.map((r) => ({ ...r }));
  return Object.values(escalation).some((n) => n > 0) ? [{ ...escalation }] : [];
}

/** Sum of the rounds per label (labels with 0 left out): must equal the bundle's `escalation`. */
export function sumRounds(rounds: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const r of rounds)
    for (const [label, n] of Object.entries(r)) if (n > 0) sum[label] = (sum[label] ?? 0) + n;
  return sum;
}

/**
 * The targets of a selection with their matching phase (§8, §9): rank ≤ the committed size is
 * phase 0; the entries the i-th escalation added (ranks up to size + the first i rounds, capped
 * at the population) are phase i.
 */
export function phasedTargets(
  record: CommitmentRecord,
  selection: Selection,
  rounds: readonly Readonly<Record<string, number>>[],
): Target[] {
  const committed = new Map(record.strata.map((s) => [s.label, s]));
  return selection.flatMap((s) => {
    const st = committed.get(s.label);
    const bounds: number[] = [st ? st.size : s.size];
    let upto = bounds[0]!;
    for (const r of rounds) {
      upto = Math.min(st ? st.population : s.population, upto + (r[s.label] ?? 0));
      bounds.push(upto);
    }
    return s.selected.map((e) => {
      let phase = 0;
      while (phase < bounds.length - 1 && e.rank > bounds[phase]!) phase++;
      return { key: e.key, ticket: e.ticket, phase };
    });
  });
}

/** Selection only (no matching): seed → tickets → the k smallest per stratum. */
export function drawTargets(
  roster: CanonicalRoster,
  record: CommitmentRecord,
  seedHex: string,
  escalation: Readonly<Record<string, number>> = {},
): Result<Selection, DrawError> {
  if (roster.root !== record.roster.root)
    return drawErr('DRAW_INPUT_INVALID', 'The roster is not the committed roster (rosterRoot differs)');
  const sizes = drawSizes(record, escalation);
  if (!sizes.ok) return sizes;
  return selectByTickets(roster, seedHex, sizes.value);
}

/** The whole draw after the commitment: verify the seed inputs, draw, match, and bundle. */
export function runDraw(
  commitment: Commitment,
  seedInputs: SeedInputs,
  escalation: Record<string, number> = {},
  opts: SeedOptions = {},
  rounds?: Record<string, number>[],
): Result<DrawBundle, DrawError> {
  const seed = deriveSeed(commitment.hash, commitment.record.seedSource, seedInputs, opts);
  if (!seed.ok) return seed;
  const selection = drawTargets(commitment.roster, commitment.record, seed.value, escalation);
  if (!selection.ok) return selection;
  const targets = phasedTargets(commitment.record, selection.value, roundsOf(escalation, rounds));
  const teams = matchInspectors(commitment.record.items, commitment.record.matching, targets, seed.value);
  if (!teams.ok) return teams;
  return ok({
    format: BUNDLE_FORMAT,
    algorithm: ALGORITHM_VERSION,
    commitment: commitment.record,
    commitmentHash: commitment.hash,
    roster: commitment.roster.text,
    seedInputs,
    seed: seed.value,
    escalation: { ...escalation },
    ...(rounds ? { escalationRounds: rounds.map((r) => ({ ...r })) } : {}),
    selection: selection.value,
    teams: teams.value.teams,
  });
}
