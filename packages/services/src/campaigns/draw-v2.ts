/**
 * Protocol v2 in the services (docs/specs/draw-protocol-v2.md): the seed source of a commitment, the
 * dice ceremony of a reveal, restoring a stored commitment, rebuilding a draw's bundle (any stage)
 * and storing its public view. Draws stored before (algorithm_version 'choucha-draw-v1') keep the
 * v1 path (draw-bundle.ts) unchanged.
 *
 * What is secret and where it is kept: `draws.openings_text` (every entity's stratum and nonce) and
 * `draws.private_matching` (the real inspectors with leave, certificates, fields; recusals; previous
 * teams). Only the full bundle carries them (fullDrawBundle: `draw.verify`); the public bundle —
 * stored in draw_bundles from the commitment on — never does.
 */
import { eq } from 'drizzle-orm';
import {
  AppError,
  ALGORITHM_V2,
  DRAND_MAINNET,
  DRAND_QUICKNET,
  committedBundleV2,
  compareUtf8,
  publicViewV2,
  restoreCommitmentV2,
  runDrawV2,
  withSupersededBy,
  type CommitmentV2,
  type DrandSource,
  type EscalationEntryV2,
  type FullBundleV2,
  type PrivateMatchingV2,
  type SeedInputs,
  type SeedSourceV2,
} from '@choucha/core';
import { draws, type Tx } from '@choucha/db';
import { encodeBundle, storeBundle } from '../bundle-store.ts';
import type { Services } from '../context.ts';
import { drandRoundTime, unwrap } from './draw-common.ts';

export { ALGORITHM_V2 };

const DRAND_CHAINS = [DRAND_QUICKNET, DRAND_MAINNET];

type DrawRow = typeof draws.$inferSelect;
type Db = Tx | Services['database']['db'];

export const isV2 = (d: { algorithmVersion: string }): boolean => d.algorithmVersion === ALGORITHM_V2;

/** The commit input's seed source: dice (true = 20 digits, or { digits: 20…100 }) and/or a future drand round. */
export interface SeedSourceInput {
  dice: boolean | { digits: number };
  drand?: { chainHash: string; round: number } | undefined;
}

/** Dice digits when `dice: true` (the smallest count the protocol allows). */
export const DEFAULT_DICE_DIGITS = 20;

/**
 * The committed seed source (§5, §6): a source is mandatory (DRAW_INPUT_INVALID), the dice have an
 * exact number of digits, the drand round is a known chain's and at least a minute in the future.
 */
export function seedSourceV2(input: SeedSourceInput | undefined, now: Date): SeedSourceV2 {
  let dice: SeedSourceV2['dice'] = null;
  const d = input?.dice;
  if (d === true) dice = { digits: DEFAULT_DICE_DIGITS };
  else if (typeof d === 'object' && d !== null) {
    const n = d.digits;
    if (!(Number.isInteger(n) && n >= 20 && n <= 100))
      throw new AppError('DRAW_INPUT_INVALID', `The dice must have 20 to 100 digits (${String(n)} asked)`, {
        field: 'seedSource.dice.digits',
      });
    dice = { digits: n };
  } else if (d !== false && d !== undefined)
    throw new AppError('DRAW_INPUT_INVALID', 'seedSource.dice is true, false or { digits }', {
      field: 'seedSource.dice',
    });
  let drand: DrandSource | null = null;
  const r = input?.drand;
  if (r) {
    const chain = DRAND_CHAINS.find((c) => c.chainHash === r.chainHash);
    if (!chain) throw new AppError('DRAW_INPUT_INVALID', `Unknown drand chain ${r.chainHash}`);
    const at = drandRoundTime(chain.chainHash, r.round);
    if (at.getTime() < now.getTime() + 60_000) {
      throw new AppError(
        'DRAW_BEACON_ROUND_TOO_SOON',
        `drand round ${r.round} is published at ${at.toISOString()}, which is not at least a minute in the future: its randomness could already be known`,
        { field: 'seedSource.drand.round' },
      );
    }
    drand = { chainHash: chain.chainHash, publicKey: chain.publicKey, scheme: chain.scheme, round: r.round };
  }
  if (!dice && !drand)
    throw new AppError(
      'DRAW_INPUT_INVALID',
      'A seed source is mandatory: dice rolled in public, a future drand round, or both',
      { field: 'seedSource' },
    );
  return { dice, drand };
}

/** The record of the dice ceremony (who rolled, where, when, before whom): public by design. */
export interface DiceCeremony {
  place: string;
  /** ISO 8601 UTC (normalised) */
  at: string;
  rolledBy: string;
  witnesses: string[];
}

export const CEREMONY_TEXT_MAX = 200;
export const CEREMONY_WITNESSES_MAX = 10;
/** Clock skew allowed for `at` (the roll cannot be in the future). */
const CEREMONY_SKEW_MS = 120_000;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
// control characters and lone surrogates (in a /u regex a pair is one code point and does not match)
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const BAD_TEXT = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/u;

function ceremonyError(field: string, message: string): AppError {
  return new AppError('DRAW_CEREMONY_INVALID', message, { field });
}

function ceremonyText(v: unknown, field: string): string {
  if (typeof v !== 'string') throw ceremonyError(field, `${field} must be text`);
  const s = v.trim();
  if (s.length === 0) throw ceremonyError(field, `${field} is empty`);
  if (BAD_TEXT.test(s)) throw ceremonyError(field, `${field} contains a control character`);
  if ([...s].length > CEREMONY_TEXT_MAX)
    throw ceremonyError(field, `${field} is longer than ${CEREMONY_TEXT_MAX} characters`);
  return s;
}

/**
 * Validates a ceremony record (DRAW_CEREMONY_INVALID with details.field): place, rolledBy and each
 * witness non-empty trimmed text of at most 200 code points, 1 to 10 witnesses, `at` an ISO 8601
 * timestamp with its offset, not in the future (2 minutes of clock skew allowed). Answers it trimmed,
 * with `at` in UTC.
 */
export function validateCeremony(c: unknown, now: Date): DiceCeremony {
  if (typeof c !== 'object' || c === null || Array.isArray(c))
    throw ceremonyError('ceremony', 'The ceremony must be { place, at, rolledBy, witnesses }');
  const o = c as Record<string, unknown>;
  const place = ceremonyText(o.place, 'ceremony.place');
  if (typeof o.at !== 'string' || !ISO_TIMESTAMP.test(o.at.trim()) || Number.isNaN(Date.parse(o.at.trim())))
    throw ceremonyError('ceremony.at', 'ceremony.at must be an ISO 8601 time with its offset');
  const at = new Date(Date.parse(o.at.trim()));
  if (at.getTime() > now.getTime() + CEREMONY_SKEW_MS)
    throw ceremonyError('ceremony.at', `ceremony.at ${at.toISOString()} is in the future`);
  const rolledBy = ceremonyText(o.rolledBy, 'ceremony.rolledBy');
  if (!Array.isArray(o.witnesses) || o.witnesses.length < 1 || o.witnesses.length > CEREMONY_WITNESSES_MAX)
    throw ceremonyError('ceremony.witnesses', `Name 1 to ${CEREMONY_WITNESSES_MAX} witnesses`);
  const witnesses = o.witnesses.map((x, i) => ceremonyText(x, `ceremony.witnesses[${i}]`));
  return { place, at: at.toISOString(), rolledBy, witnesses };
}

/** The stored commitment of a v2 draw, with its secret parts. */
export function restoreV2(draw: DrawRow): CommitmentV2 {
  if (draw.openingsText === null || draw.privateMatching === null)
    throw new Error(`Invariant: v2 draw ${draw.id} lacks its openings or private matching`);
  return unwrap(
    restoreCommitmentV2({
      json: draw.commitment,
      publicRoster: draw.rosterText,
      openings: draw.openingsText,
      privateMatching: draw.privateMatching as PrivateMatchingV2,
    }),
  );
}

/** Stored escalation rounds (draws.escalation_rounds) as the protocol's rounds: by label, extra ≥ 1. */
export function roundsV2(stored: unknown): EscalationEntryV2[][] {
  return (stored as { counts: Record<string, number> }[]).map((r) =>
    Object.entries(r.counts)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => compareUtf8(a, b))
      .map(([label, extra]) => ({ label, extra })),
  );
}

/** The seed inputs as stored by the reveal. */
export function storedSeedInputs(draw: DrawRow): SeedInputs | null {
  return (draw.seedInputs ?? null) as SeedInputs | null;
}

/** The commitment hash of the draw that superseded `draw` (null when it is live). */
export async function successorHash(db: Db, draw: Pick<DrawRow, 'supersededBy'>): Promise<string | null> {
  if (draw.supersededBy === null) return null;
  const [s] = await db
    .select({ hash: draws.commitmentHash })
    .from(draws)
    .where(eq(draws.id, draw.supersededBy));
  return s?.hash ?? null;
}

/**
 * A v2 draw's full bundle rebuilt from what is stored (the engine reruns: committed → the commitment
 * alone; revealed → seed, selection with every stored escalation round, matching), with
 * `supersededBy` when a redraw replaced it. BLS was checked at the reveal and is not again.
 */
export async function fullBundleV2(db: Db, draw: DrawRow): Promise<FullBundleV2> {
  const c = restoreV2(draw);
  const seedInputs = storedSeedInputs(draw);
  const b =
    draw.seed === null || seedInputs === null
      ? committedBundleV2(c)
      : unwrap(runDrawV2(c, seedInputs, roundsV2(draw.escalationRounds), { skipBls: true })).bundle;
  return withSupersededBy(b, await successorHash(db, draw));
}

/** Store (or replace) the public view of `full` as the draw's served bundle. */
export async function storePublicBundleV2(
  tx: Tx,
  drawId: number,
  full: FullBundleV2,
  now: Date,
): Promise<void> {
  await storeBundle(tx, drawId, await encodeBundle(publicViewV2(full)), now);
}

/** The stage of a draw's bundle from its row (v1 rows too: 'drawn' for an unmatched v1 draw). */
export function drawStage(d: {
  seed: string | null;
  matchedAt: Date | null;
  infeasible: boolean;
}): 'committed' | 'drawn' | 'infeasible' | 'matched' {
  if (d.seed === null) return 'committed';
  if (d.matchedAt !== null) return 'matched';
  return d.infeasible ? 'infeasible' : 'drawn';
}

/** The message of an infeasible v2 matching (as v1's MATCH_INFEASIBLE, with the same details). */
export function infeasibleProblem(problems: readonly { key: string; reason: string }[]) {
  return {
    code: 'MATCH_INFEASIBLE' as const,
    message: `Inspectors cannot be matched to ${new Set(problems.map((p) => p.key)).size} target(s): ${problems
      .slice(0, 5)
      .map((p) => p.reason)
      .join(' | ')}${problems.length > 5 ? ` | … ${problems.length - 5} more` : ''}`,
    details: { problems },
  };
}
