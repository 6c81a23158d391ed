/**
 * The verification bundle (draw-protocol v1 §10): everything a stranger needs to recompute a draw.
 * runDraw() is the whole lifecycle after the commitment: seed → selection → teams → bundle.
 */
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import { ALGORITHM_VERSION, type Commitment, type CommitmentRecord } from './commitment.ts';
import { drawErr, type DrawError } from './errors.ts';
import { matchInspectors, type TargetTeam } from './matching.ts';
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
): Result<DrawBundle, DrawError> {
  const seed = deriveSeed(commitment.hash, commitment.record.seedSource, seedInputs, opts);
  if (!seed.ok) return seed;
  const selection = drawTargets(commitment.roster, commitment.record, seed.value, escalation);
  if (!selection.ok) return selection;
  const targets = selection.value.flatMap((s) => s.selected.map((e) => ({ key: e.key, ticket: e.ticket })));
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
    selection: selection.value,
    teams: teams.value.teams,
  });
}
