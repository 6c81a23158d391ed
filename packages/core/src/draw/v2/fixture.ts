/**
 * The fixed v2 example for tests and conformance vectors: v1's fixture (fixture.ts: 40 entities
 * in 4 strata, a joint task of 2 departments, 12 inspectors with one absent, one expired
 * certificate, one without the field, two recusals, one previous pair) as a v2 commitment input,
 * with deterministic "randomness" and the recorded real drand beacons.
 */
import { sha256, bytesToHex, concatBytes, utf8 } from '../../hash/index.ts';
import { DRAND_MAINNET, DRAND_QUICKNET } from '../commitment.ts';
import type { DrandBeacon } from '../drand.ts';
import { DICE, MAINNET_BEACON, QUICKNET_BEACON, fixtureInput, fixtureRoster } from '../fixture.ts';
import type { SeedInputs } from '../seed.ts';
import type { CommitmentInputV2 } from './types.ts';

export { DICE, MAINNET_BEACON, QUICKNET_BEACON, fixtureRoster };

/**
 * Deterministic bytes: the stream SHA-256(UTF-8(seedText) ‖ be32(0)) ‖ SHA-256(… ‖ be32(1)) ‖ …;
 * each call returns the next n bytes. NOT random: for tests and vectors only.
 */
export function fixtureRandom(seedText: string): (n: number) => Uint8Array {
  const base = utf8(seedText);
  let counter = 0;
  let buf: Uint8Array = new Uint8Array(0);
  let pos = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      if (pos === buf.length) {
        const c = new Uint8Array(4);
        new DataView(c.buffer).setUint32(0, counter++);
        buf = sha256(concatBytes(base, c));
        pos = 0;
      }
      const take = Math.min(n - o, buf.length - pos);
      out.set(buf.subarray(pos, pos + take), o);
      o += take;
      pos += take;
    }
    return out;
  };
}

/** A fixed audit head for the fixture (seq 41, hash of a fixed text). */
export const FIXTURE_AUDIT = { seq: 41, hash: bytesToHex(sha256(utf8('choucha fixture audit head'))) };

/** v1's fixture as a v2 input: dice of exactly 20 digits + quicknet round 657413. */
export function fixtureInputV2(): CommitmentInputV2 {
  const v1 = fixtureInput();
  return {
    task: v1.task,
    attempt: 1,
    predecessor: null,
    audit: { ...FIXTURE_AUDIT },
    items: v1.items,
    roster: fixtureRoster(),
    strata: v1.strata,
    matching: v1.matching,
    seedSource: { dice: { digits: 20 }, drand: { ...DRAND_QUICKNET, round: QUICKNET_BEACON.round } },
  };
}

/** The same with the chained mainnet round 3311596 and no dice. */
export function fixtureInputV2Mainnet(): CommitmentInputV2 {
  return {
    ...fixtureInputV2(),
    seedSource: { dice: null, drand: { ...DRAND_MAINNET, round: MAINNET_BEACON.round } },
  };
}

export const FIXTURE_SEED_INPUTS_V2: SeedInputs = { dice: DICE, beacon: QUICKNET_BEACON };
export const FIXTURE_SEED_INPUTS_V2_MAINNET: SeedInputs = { dice: null, beacon: MAINNET_BEACON };

/** The default deterministic random source of the fixture. */
export const FIXTURE_RANDOM_SEED = 'choucha-draw-v2 fixture';

export type { DrandBeacon };
