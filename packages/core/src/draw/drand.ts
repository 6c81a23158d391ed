/**
 * drand beacon verification (draw-protocol v1 §6). A beacon is (round, randomness, signature
 * [, previous signature]). randomness must equal SHA-256(signature), and the BLS12-381 signature
 * must verify against the chain's public key:
 *  - quicknet, "bls-unchained-g1-rfc9380": signature on G1 (48 bytes), public key on G2 (96),
 *    message = SHA-256(round as 8-byte big-endian), DST BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_;
 *  - default/mainnet, "pedersen-bls-chained": signature on G2 (96), public key on G1 (48),
 *    message = SHA-256(previous signature ‖ round as 8-byte big-endian),
 *    DST BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256, bytesToHex, hexToBytes, concatBytes } from '../hash/index.ts';
import type { Result } from '../result.ts';
import { ok } from '../result.ts';
import type { DrandSource } from './commitment.ts';
import { drawErr, type DrawError } from './errors.ts';

export interface DrandBeacon {
  round: number;
  /** Lower-case hex, 32 bytes. */
  randomness: string;
  /** Lower-case hex. */
  signature: string;
  /** Chained scheme only (lower-case hex), else null. */
  previousSignature: string | null;
}

const DST_G1 = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const DST_G2 = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';

export function roundBytes(round: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(round));
  return b;
}

function bad(message: string) {
  return drawErr('DRAW_BEACON_INVALID', message);
}

/** Verifies the beacon for the committed source; returns its 32 randomness bytes. */
export function verifyBeacon(source: DrandSource, beacon: DrandBeacon): Result<Uint8Array, DrawError> {
  if (beacon.round !== source.round)
    return drawErr(
      'DRAW_SEED_MISMATCH',
      `The beacon is for round ${beacon.round}, the commitment names round ${source.round}`,
    );
  const sig = hexToBytes(beacon.signature);
  const rnd = hexToBytes(beacon.randomness);
  const pk = hexToBytes(source.publicKey);
  if (!sig || !rnd || rnd.length !== 32 || !pk)
    return bad('The beacon fields are not hex of the right length');
  if (bytesToHex(sha256(sig)) !== beacon.randomness.toLowerCase())
    return bad('The beacon randomness is not SHA-256 of its signature');
  try {
    if (source.scheme === 'bls-unchained-g1-rfc9380') {
      if (sig.length !== 48) return bad('A quicknet signature is 48 bytes (G1)');
      const s = bls12_381.shortSignatures;
      const msg = s.hash(sha256(roundBytes(beacon.round)), DST_G1);
      if (!s.verify(s.Signature.fromBytes(sig), msg, pk))
        return bad(`The BLS signature of round ${beacon.round} does not verify`);
    } else if (source.scheme === 'pedersen-bls-chained') {
      if (sig.length !== 96) return bad('A chained-scheme signature is 96 bytes (G2)');
      const prev = beacon.previousSignature === null ? undefined : hexToBytes(beacon.previousSignature);
      if (!prev) return bad('The chained scheme needs the previous signature');
      const l = bls12_381.longSignatures;
      const msg = l.hash(sha256(concatBytes(prev, roundBytes(beacon.round))), DST_G2);
      if (!l.verify(l.Signature.fromBytes(sig), msg, pk))
        return bad(`The BLS signature of round ${beacon.round} does not verify`);
    } else return bad(`Unknown drand scheme ${String(source.scheme)}`);
  } catch (e) {
    // Points not on the curve, wrong subgroup, malformed encodings.
    return bad(`The beacon signature or public key is malformed: ${(e as Error).message}`);
  }
  return ok(rnd);
}
