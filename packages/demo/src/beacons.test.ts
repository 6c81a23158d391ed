/**
 * Every recorded beacon is a real one: it passes the BLS check of @choucha/core (verifyBeacon, the
 * verifiers' own) against its chain's public key, its randomness is SHA-256 of its signature, and
 * its round is published in 2023, before the demo's today.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyBeacon } from '@choucha/core';
import { DEMO_DRAND_CHAINS, RECORDED_BEACONS, roundTime } from './beacons.ts';
import { DEMO_TODAY } from './history.ts';

describe('the recorded drand beacons', () => {
  it('are 12, on both League of Entropy chains, in time order, each round once', () => {
    expect(RECORDED_BEACONS).toHaveLength(12);
    expect(RECORDED_BEACONS.filter((b) => b.chain === 'default').map((b) => b.round)).toEqual([
      2634945, 2888337, 3311596, 3366165,
    ]);
    expect(RECORDED_BEACONS.filter((b) => b.chain === 'quicknet').map((b) => b.round)).toEqual([
      2, 3, 8, 10, 42, 123, 1000, 657413,
    ]);
    const times = RECORDED_BEACONS.map((b) => roundTime(b.chain, b.round).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(RECORDED_BEACONS.map((b) => `${b.chain}:${b.round}`)).size).toBe(RECORDED_BEACONS.length);
  });

  it('have the rounds’ times of the chains’ clocks', () => {
    expect(roundTime('default', 2634945).toISOString()).toBe('2023-01-23T13:09:30.000Z');
    expect(roundTime('default', 3366165).toISOString()).toBe('2023-10-04T10:39:30.000Z');
    expect(roundTime('quicknet', 1).toISOString()).toBe('2023-08-23T15:09:27.000Z');
    expect(roundTime('quicknet', 657413).toISOString()).toBe('2023-09-15T11:00:03.000Z');
    for (const b of RECORDED_BEACONS) {
      const at = roundTime(b.chain, b.round).toISOString();
      expect(at >= '2023-01-01' && at.slice(0, 10) < DEMO_TODAY, `${b.chain} ${b.round}`).toBe(true);
    }
  });

  it.each(RECORDED_BEACONS.map((b) => [`${b.chain} ${b.round}`, b] as const))(
    '%s verifies (BLS) against its chain, with randomness = SHA-256(signature)',
    (_, b) => {
      const chain = DEMO_DRAND_CHAINS[b.chain];
      expect(createHash('sha256').update(Buffer.from(b.signature, 'hex')).digest('hex')).toBe(b.randomness);
      expect(b.previousSignature === null).toBe(b.chain === 'quicknet');
      const r = verifyBeacon(
        { chainHash: chain.chainHash, publicKey: chain.publicKey, scheme: chain.scheme, round: b.round },
        b,
      );
      expect(r.ok).toBe(true);
      // …and not against the other chain, nor for the next round
      const other = DEMO_DRAND_CHAINS[b.chain === 'quicknet' ? 'default' : 'quicknet'];
      expect(
        verifyBeacon(
          { chainHash: other.chainHash, publicKey: other.publicKey, scheme: other.scheme, round: b.round },
          b,
        ).ok,
      ).toBe(false);
      expect(
        verifyBeacon(
          {
            chainHash: chain.chainHash,
            publicKey: chain.publicKey,
            scheme: chain.scheme,
            round: b.round + 1,
          },
          { ...b, round: b.round + 1 },
        ).ok,
      ).toBe(false);
    },
  );
});
