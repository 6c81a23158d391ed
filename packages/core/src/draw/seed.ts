/**
 * The seed (draw-protocol v1 §7):
 *   seed = SHA-256("choucha-seed-v1" ‖ 0x00 ‖ H ‖ D ‖ 0x00 ‖ R)
 * H = the 32 bytes of the commitment hash; D = the dice digits in ASCII (empty when the
 * commitment names no dice); R = the 32 bytes of the drand randomness (empty when it names no round).
 */
import { sha256, bytesToHex, hexToBytes, concatBytes, utf8 } from '../hash/index.ts';
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import type { SeedSource } from './commitment.ts';
import { verifyBeacon, type DrandBeacon } from './drand.ts';
import { drawErr, type DrawError } from './errors.ts';

export interface SeedInputs {
  dice: string | null;
  beacon: DrandBeacon | null;
}

export const SEED_TAG = 'choucha-seed-v1';

export interface SeedOptions {
  /** Skip BLS verification (the randomness = SHA-256(signature) check still runs). Default false. */
  skipBls?: boolean;
}

/** Checks the seed inputs against the committed source (dice length, beacon) and derives the seed. */
export function deriveSeed(
  commitmentHashHex: string,
  source: SeedSource,
  inputs: SeedInputs,
  opts: SeedOptions = {},
): Result<string, DrawError> {
  const h = hexToBytes(commitmentHashHex);
  if (!h || h.length !== 32)
    return drawErr('DRAW_INPUT_INVALID', 'The commitment hash must be 64 hex digits');
  let dice = '';
  if (source.dice) {
    if (inputs.dice === null)
      return drawErr('DRAW_SEED_MISMATCH', 'The commitment names dice but no dice digits were given');
    if (!/^[0-9]*$/.test(inputs.dice))
      return drawErr('DRAW_INPUT_INVALID', 'The dice string may contain digits 0–9 only');
    if (inputs.dice.length < source.dice.minDigits)
      return drawErr(
        'DRAW_DICE_TOO_SHORT',
        `The dice string has ${inputs.dice.length} digits; at least ${source.dice.minDigits} are required`,
        {
          digits: inputs.dice.length,
          required: source.dice.minDigits,
        },
      );
    dice = inputs.dice;
  } else if (inputs.dice !== null)
    return drawErr('DRAW_SEED_MISMATCH', 'The commitment names no dice but dice digits were given');
  let r: Uint8Array = new Uint8Array(0);
  if (source.drand) {
    if (!inputs.beacon)
      return drawErr(
        'DRAW_SEED_MISMATCH',
        `The commitment names drand round ${source.drand.round} but no beacon was given`,
      );
    if (opts.skipBls) {
      const sig = hexToBytes(inputs.beacon.signature);
      const rnd = hexToBytes(inputs.beacon.randomness);
      if (
        !sig ||
        !rnd ||
        rnd.length !== 32 ||
        bytesToHex(sha256(sig)) !== inputs.beacon.randomness.toLowerCase()
      )
        return drawErr('DRAW_BEACON_INVALID', 'The beacon randomness is not SHA-256 of its signature');
      if (inputs.beacon.round !== source.drand.round)
        return drawErr('DRAW_SEED_MISMATCH', 'The beacon is for another round');
      r = rnd;
    } else {
      const v = verifyBeacon(source.drand, inputs.beacon);
      if (!v.ok) return v;
      r = v.value;
    }
  } else if (inputs.beacon !== null)
    return drawErr('DRAW_SEED_MISMATCH', 'The commitment names no drand round but a beacon was given');
  return ok(seedFrom(h, dice, r));
}

export function seedFrom(commitmentHash: Uint8Array, dice: string, randomness: Uint8Array): string {
  return bytesToHex(
    sha256(
      concatBytes(
        utf8(SEED_TAG),
        new Uint8Array([0]),
        commitmentHash,
        utf8(dice),
        new Uint8Array([0]),
        randomness,
      ),
    ),
  );
}
