/** The publicly verifiable draw engine (docs/specs/draw-protocol.md, version 1). */
export { compareUtf8, toCanonicalJson, type CanonicalValue } from './canonical-json.ts';
export type { DrawError } from './errors.ts';
export {
  canonicalRoster,
  parseCanonicalRoster,
  isValidKey,
  type CanonicalRoster,
  type RosterEntry,
} from './roster.ts';
export {
  planStrata,
  sampleSize,
  ratioMillionths,
  stratumLabel,
  type StratumPlan,
  type StratumRule,
} from './strata.ts';
export {
  ALGORITHM_VERSION,
  DRAND_MAINNET,
  DRAND_QUICKNET,
  buildCommitment,
  commitmentHash,
  validateMatching,
  type Commitment,
  type CommitmentInput,
  type CommitmentRecord,
  type DateRange,
  type DrandScheme,
  type DrandSource,
  type Inspector,
  type Item,
  type MatchingInput,
  type MatchingRules,
  type Pair,
  type SeedSource,
} from './commitment.ts';
export { verifyBeacon, roundBytes, type DrandBeacon } from './drand.ts';
export { deriveSeed, seedFrom, SEED_TAG, type SeedInputs, type SeedOptions } from './seed.ts';
export {
  selectByTickets,
  ticketOf,
  ticketPrefix,
  TICKET_TAG,
  type RosterColumns,
  type Selection,
  type SelectedEntity,
  type StratumSelection,
} from './tickets.ts';
export {
  matchInspectors,
  matchSubseed,
  matchingOrder,
  orderTargets,
  tiebreak,
  MATCH_TAG,
  type DepartmentTeam,
  type InfeasibleTarget,
  type MatchResult,
  type Target,
  type TargetTeam,
} from './matching.ts';
export {
  BUNDLE_FORMAT,
  drawSizes,
  drawTargets,
  phasedTargets,
  roundsOf,
  runDraw,
  sumRounds,
  type DrawBundle,
} from './bundle.ts';
export { verifyBundle, firstDifference, type Verified } from './verify.ts';
export {
  classBounds,
  largestRemainder,
  MAX_MODES,
  type ClassBounds,
  type ClassDemand,
  type MaxMode,
} from './max-mode.ts';
export { MidstateHasher } from './ticket-hash.ts';
export { describeInfeasible, type MatchOptions } from './matching.ts';
export * from './v2/index.ts';
