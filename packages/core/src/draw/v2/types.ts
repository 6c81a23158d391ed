/**
 * Types of draw protocol v2 (docs/specs/draw-protocol-v2.md), exactly as in the plan's "Core API".
 */
import type { ErrorCode } from '../../errors.ts';
import type { DateRange, DrandSource, Inspector, Item, MatchingInput, Pair } from '../commitment.ts';
import type { InfeasibleTarget, TargetTeam } from '../matching.ts';
import type { Selection } from '../tickets.ts';
import type { RosterEntry } from '../roster.ts';
import type { SeedInputs } from '../seed.ts';
import type { StratumPlan, StratumRule } from '../strata.ts';

export const ALGORITHM_V2 = 'choucha-draw-v2';
export const BUNDLE_FORMAT_V2 = 'choucha-draw-bundle-v2';
export type BundleStageV2 = 'committed' | 'drawn' | 'infeasible' | 'matched';
export interface SeedSourceV2 {
  dice: { digits: number } | null;
  drand: DrandSource | null;
}
export interface PoolEntry {
  pseudonym: string;
  department: string;
  load: number;
}
export interface Exclusion {
  pseudonym: string;
  key: string;
}
export interface CommitmentRecordV2 {
  algorithm: 'choucha-draw-v2';
  task: { id: string; name: string };
  attempt: number;
  predecessor: string | null;
  audit: { seq: number; hash: string };
  items: Item[];
  roster: { root: string; size: number; openingsRoot: string };
  strata: StratumPlan[];
  matching: {
    inspection: DateRange;
    rules: { teamSize: number; maxLoad: number | null; maxPerDraw: number | null; avoidPrevious: boolean };
    pool: PoolEntry[];
    exclusions: Exclusion[];
    root: string;
  };
  seedSource: SeedSourceV2;
}
export interface PrivateMatchingV2 {
  salt: string;
  inspectors: Inspector[];
  recusals: Pair[];
  previous: Pair[];
}
export interface EscalationEntryV2 {
  label: string;
  extra: number;
}
export interface SelectedV2 {
  key: string;
  nonce: string;
  ticket: string;
  phase: number;
}
export interface TeamV2 {
  key: string;
  teams: { department: string; inspectors: string[] }[];
}
export interface PublicBundleV2 {
  format: 'choucha-draw-bundle-v2';
  view: 'public';
  commitment: CommitmentRecordV2;
  commitmentHash: string;
  roster: string;
  stage: BundleStageV2;
  seedInputs: SeedInputs | null;
  seed: string | null;
  escalations: number[];
  selection: SelectedV2[] | null;
  teams: TeamV2[] | null;
  infeasible: { key: string; department: string }[] | null;
  supersededBy: string | null;
}
export interface FullBundleV2 extends Omit<PublicBundleV2, 'view'> {
  view: 'full';
  private: { openings: string; matching: PrivateMatchingV2; escalations: EscalationEntryV2[][] };
}
export type BundleV2 = PublicBundleV2 | FullBundleV2;

export interface CommitmentInputV2 {
  task: { id: string; name: string };
  attempt: number;
  predecessor: string | null;
  audit: { seq: number; hash: string };
  items: Item[];
  roster: readonly RosterEntry[];
  strata: StratumRule[];
  matching: MatchingInput;
  seedSource: SeedSourceV2;
}

/** Everything the department keeps (the secret parts are openings and privateMatching). */
export interface CommitmentV2 {
  record: CommitmentRecordV2;
  /** The canonical JSON of record (UTF-8 of it is hashed). */
  json: string;
  /** commitmentHash, lower-case hex. */
  hash: string;
  /** `key TAB nonceHash LF` per entity, by key. */
  publicRoster: string;
  /** `key TAB stratum TAB nonce LF` per entity, by key (secret: supervisor only). */
  openings: string;
  privateMatching: PrivateMatchingV2;
}

export interface DrawOutcomeV2 {
  /** Stage 'matched' or 'infeasible'. */
  bundle: FullBundleV2;
  /** Per stratum label: population, size (with escalation), selected [{key, stratum, rank, ticket}]. */
  strata: Selection;
  /** key → phase. */
  phaseOf: Record<string, number>;
  /** Teams with the REAL inspector ids, in matching order; null when infeasible. */
  teams: TargetTeam[] | null;
  /** The infeasible pairs with v1-style reason counts (for staff), when infeasible. */
  problems: InfeasibleTarget[] | null;
}

export interface VerifyOutcome {
  verdict: 'verified' | 'rejected' | 'unreadable';
  exit: 0 | 1 | 2;
  code?: ErrorCode;
  message?: string;
  path?: string;
  expected?: unknown;
  actual?: unknown;
  format?: string;
  view?: 'public' | 'full';
  stage?: BundleStageV2 | 'matched-v1';
  commitmentHash?: string;
  seed?: string | null;
  blsChecked?: boolean;
  supersededBy?: string | null;
  attempt?: number;
  predecessor?: string | null;
  targets?: number;
  teams?: number;
  strata?: { label: string; population: number; size: number }[];
}

export interface ReceiptV2 {
  format: 'choucha-draw-receipt-v2';
  commitmentHash: string;
  key: string;
  stratum: string;
  nonce: string;
  /** Entities drawn in that stratum (committed size plus escalations, capped at the population). */
  stratumSize: number;
  /** The largest ticket selected in that stratum; null before the draw. */
  last: string | null;
}

export const RECEIPT_FORMAT_V2 = 'choucha-draw-receipt-v2';
