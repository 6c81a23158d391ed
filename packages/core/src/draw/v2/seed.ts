/**
 * The v2 seed (docs/specs/draw-protocol-v2.md §6): exact dice length, the known drand chains, the
 * previous signature of a chained beacon (and none for an unchained one), randomness =
 * SHA-256(signature), the BLS signature (unless skipped), then
 *   seed = SHA-256("choucha-seed-v2" ‖ 0x00 ‖ H ‖ ASCII(D) ‖ 0x00 ‖ R).
 */
import { sha256, bytesToHex } from '../../hash/index.ts';
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { verifyBeacon } from '../drand.ts';
import { drawErr, type DrawError } from '../errors.ts';
import type { SeedInputs, SeedOptions } from '../seed.ts';
import { isHex, lowerHexBytes, seedFromV2 } from './hashes.ts';
import { checkDrandSource } from './rules.ts';
import type { SeedSourceV2 } from './types.ts';

export function deriveSeedV2(
  commitmentHashHex: string,
  source: SeedSourceV2,
  inputs: SeedInputs,
  opts: SeedOptions = {},
): Result<{ seed: string; blsChecked: boolean }, DrawError> {
  const h = lowerHexBytes(commitmentHashHex, 32);
  if (!h) return drawErr('DRAW_INPUT_INVALID', 'The commitment hash must be 64 lower-case hex digits');
  let dice = '';
  if (source.dice) {
    if (inputs.dice === null)
      return drawErr('DRAW_SEED_MISMATCH', 'The commitment names dice but no dice digits were given', {
        path: '$.seedInputs.dice',
      });
    if (!/^[0-9]*$/.test(inputs.dice))
      return drawErr('DRAW_INPUT_INVALID', 'The dice string may contain digits 0–9 only', {
        path: '$.seedInputs.dice',
      });
    if (inputs.dice.length !== source.dice.digits)
      return drawErr(
        'DRAW_DICE_LENGTH',
        `The dice string has ${inputs.dice.length} digits; the commitment fixed exactly ${source.dice.digits}`,
        {
          path: '$.seedInputs.dice',
          expected: source.dice.digits,
          actual: inputs.dice.length,
          digits: inputs.dice.length,
          required: source.dice.digits,
        },
      );
    dice = inputs.dice;
  } else if (inputs.dice !== null)
    return drawErr('DRAW_SEED_MISMATCH', 'The commitment names no dice but dice digits were given', {
      path: '$.seedInputs.dice',
    });
  let r: Uint8Array = new Uint8Array(0);
  let blsChecked = false;
  if (source.drand) {
    const d = source.drand;
    const known = checkDrandSource(d);
    if (!known.ok) return known;
    const b = inputs.beacon;
    if (!b)
      return drawErr(
        'DRAW_SEED_MISMATCH',
        `The commitment names drand round ${d.round} but no beacon was given`,
        {
          path: '$.seedInputs.beacon',
        },
      );
    if (b.round !== d.round)
      return drawErr(
        'DRAW_SEED_MISMATCH',
        `The beacon is for round ${b.round}, the commitment names round ${d.round}`,
        {
          path: '$.seedInputs.beacon.round',
          expected: d.round,
          actual: b.round,
        },
      );
    const sigLen = d.scheme === 'pedersen-bls-chained' ? 96 : 48;
    if (!isHex(b.signature, 2 * sigLen))
      return drawErr(
        'DRAW_BEACON_INVALID',
        `The beacon signature must be ${sigLen} bytes of lower-case hex`,
        {
          path: '$.seedInputs.beacon.signature',
        },
      );
    if (d.scheme === 'pedersen-bls-chained') {
      if (b.previousSignature === null || !isHex(b.previousSignature, 192))
        return drawErr(
          'DRAW_BEACON_INVALID',
          'A chained beacon needs its previous signature (96 bytes of lower-case hex)',
          {
            path: '$.seedInputs.beacon.previousSignature',
          },
        );
    } else if (b.previousSignature !== null)
      return drawErr('DRAW_BEACON_INVALID', 'An unchained beacon has no previous signature (null)', {
        path: '$.seedInputs.beacon.previousSignature',
      });
    const sig = lowerHexBytes(b.signature, sigLen)!;
    const rnd = lowerHexBytes(b.randomness, 32);
    if (!rnd || bytesToHex(sha256(sig)) !== b.randomness)
      return drawErr('DRAW_BEACON_INVALID', 'The beacon randomness is not SHA-256 of its signature', {
        path: '$.seedInputs.beacon.randomness',
      });
    if (!opts.skipBls) {
      const v = verifyBeacon(d, b);
      if (!v.ok)
        return drawErr(v.error.code, v.error.message, {
          ...v.error.details,
          path: '$.seedInputs.beacon.signature',
        });
      blsChecked = true;
    }
    r = rnd;
  } else if (inputs.beacon !== null)
    return drawErr('DRAW_SEED_MISMATCH', 'The commitment names no drand round but a beacon was given', {
      path: '$.seedInputs.beacon',
    });
  return ok({ seed: seedFromV2(h, dice, r), blsChecked });
}
