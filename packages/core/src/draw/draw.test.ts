import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256, bytesToHex } from '../hash/index.ts';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { sha256WithPrefix as browserWithPrefix } from '../hash/sha256.browser.ts';
import { sha256WithPrefix as nodeWithPrefix } from '../hash/sha256.node.ts';
import {
  ALGORITHM_VERSION,
  DRAND_MAINNET,
  DRAND_QUICKNET,
  buildCommitment,
  canonicalRoster,
  deriveSeed,
  roundBytes,
  runDraw,
  sampleSize,
  selectByTickets,
  toCanonicalJson,
  verifyBeacon,
  type RosterEntry,
} from './index.ts';
import { DICE, FIXTURE_SEED_INPUTS, MAINNET_BEACON, QUICKNET_BEACON, fixtureInput } from './fixture.ts';

const SEED = 'a'.repeat(64);
const key = (i: number) => `91610103MA${String(10_000_000 + i).slice(-8)}`;
const roster = (n: number, strata = ['A', 'B', 'C', 'D']): RosterEntry[] =>
  Array.from({ length: n }, (_, i) => ({ key: key(i), stratum: strata[i % strata.length]! }));
const cr = (r: RosterEntry[]) => {
  const x = canonicalRoster(r);
  if (!x.ok) throw new Error(x.error.message);
  return x.value;
};
const seedOf = (i: number) => bytesToHex(sha256(new Uint8Array([i & 255, (i >> 8) & 255, (i >> 16) & 255])));

describe('canonical JSON', () => {
  it('sorts keys by code point, no whitespace, integers only', () => {
    expect(toCanonicalJson({ b: 1, a: [true, null, 'x\n"'], é: 'é', Z: -3 })).toEqual({
      ok: true,
      value: '{"Z":-3,"a":[true,null,"x\\n\\""],"b":1,"é":"é"}',
    });
    expect(toCanonicalJson({ a: 0.5 }).ok).toBe(false);
    expect(toCanonicalJson({ a: '\uD800' }).ok).toBe(false);
  });
});

describe('sample sizes', () => {
  it('ceil(ratio × N), clamped, capped at N, exact arithmetic', () => {
    expect(sampleSize('0.1', 1000)).toBe(100);
    expect(sampleSize('0.1', 1001)).toBe(101);
    expect(sampleSize('0.05', 5, 1)).toBe(1);
    expect(sampleSize('0.000001', 3)).toBe(1);
    expect(sampleSize('1', 7)).toBe(7);
    expect(sampleSize('0.5', 10, 8)).toBe(8);
    expect(sampleSize('0.5', 10, 0, 3)).toBe(3);
    expect(sampleSize('0.2', 3, 5)).toBe(3);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 10_000_000 }), (m, n) => {
        const ratio = `0.${String(m).padStart(6, '0')}`;
        const k = sampleSize(ratio, n);
        expect(BigInt(k) * 1_000_000n >= BigInt(m) * BigInt(n)).toBe(true);
        expect(BigInt(k - 1) * 1_000_000n < BigInt(m) * BigInt(n)).toBe(true);
      }),
    );
  });
});

describe('fixed-seed snapshot', () => {
  it('draws exactly this sample from the fixture (dice + real quicknet round 657413)', () => {
    const c = buildCommitment(fixtureInput());
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.value.record.algorithm).toBe(ALGORITHM_VERSION);
    expect(c.value.hash).toBe('61f2c2c13ac794bcae46752699b678d57208b7a11c3a9fea5bb69d8ca96cefcd');
    const b = runDraw(c.value, FIXTURE_SEED_INPUTS);
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(b.value.seed).toBe('028f9228fceed49f34a08f77e166af7e506e668e76cf11b7e2496bfada206dbe');
    expect(b.value.selection.map((s) => [s.label, s.selected.map((e) => e.key)])).toEqual([
      ['A', ['91610103MA61063352']],
      ['B', ['91610103MA61055433', '91610103MA61197975', '91610103MA61245489']],
      [
        'C',
        [
          '91610103MA61293003',
          '91610103MA61023757',
          '91610103MA61039595',
          '91610103MA61158380',
          '91610103MA61095028',
          '91610103MA61213813',
          '610103400001029',
          '91610103MA61102947',
        ],
      ],
      [
        'D|张家村街道',
        [
          '91610103MA61237570',
          '610103400001014',
          '91610103MA61174218',
          '91610103MA61047514',
          '91610103MA61300922',
        ],
      ],
    ]);
    expect(b.value.teams[0]).toEqual({
      key: '91610103MA61055433',
      teams: [
        { department: 'EDU-BL', inspectorIds: ['E006', 'E003'] },
        { department: 'SAMR-BL', inspectorIds: ['S004', 'S003'] },
      ],
    });
  });
});

describe('selection properties', () => {
  const arbRoster = fc
    .uniqueArray(fc.integer({ min: 0, max: 99_999 }), { minLength: 1, maxLength: 200 })
    .chain((ids) =>
      fc.tuple(
        fc.constant(ids),
        fc.array(fc.constantFrom('A', 'B', 'C|甲', 'C|乙'), { minLength: ids.length, maxLength: ids.length }),
      ),
    )
    .map(([ids, s]) => ids.map((id, i) => ({ key: key(id), stratum: s[i]! })));
  const arbSeed = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex);
  const sizesFor = (r: RosterEntry[], k: number) =>
    Object.fromEntries([...new Set(r.map((e) => e.stratum))].map((s) => [s, k]));

  it('exact size per stratum, no duplicates, order-independent, escalation is a prefix, strata independent', () => {
    fc.assert(
      fc.property(
        arbRoster,
        arbSeed,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (r, seed, k, m) => {
          const a = selectByTickets(cr(r), seed, sizesFor(r, k));
          expect(a.ok).toBe(true);
          if (!a.ok) return;
          for (const s of a.value) {
            expect(s.selected.length).toBe(Math.min(k, r.filter((e) => e.stratum === s.label).length));
            for (const e of s.selected) expect(e.stratum).toBe(s.label);
          }
          const keys = a.value.flatMap((s) => s.selected.map((e) => e.key));
          expect(new Set(keys).size).toBe(keys.length);
          const reversed = [...r].reverse();
          const b = selectByTickets(
            { keys: reversed.map((e) => e.key), strata: reversed.map((e) => e.stratum) },
            seed,
            sizesFor(r, k),
          );
          expect(b).toEqual(a);
          const more = selectByTickets(cr(r), seed, sizesFor(r, k + m));
          if (!more.ok) throw new Error('escalation failed');
          more.value.forEach((s, i) =>
            expect(s.selected.slice(0, a.value[i]!.selected.length)).toEqual(a.value[i]!.selected),
          );
          // Strata independent: one stratum's result does not change when another is removed.
          const first = a.value[0]!.label;
          const only = r.filter((e) => e.stratum === first);
          const c = selectByTickets(cr(only), seed, { [first]: k });
          if (!c.ok) throw new Error('single stratum failed');
          expect(c.value[0]).toEqual(a.value[0]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('each ticket is SHA-256(SHA-256("choucha-ticket-v1\\0" ‖ seed) ‖ key) and winners are the smallest', () => {
    const r = roster(50, ['X']);
    const a = selectByTickets(cr(r), SEED, { X: 7 });
    if (!a.ok) throw new Error();
    const t = nobleSha256(
      new Uint8Array([...new TextEncoder().encode('choucha-ticket-v1\0'), ...Buffer.from(SEED, 'hex')]),
    );
    const all = r
      .map((e) => bytesToHex(nobleSha256(new Uint8Array([...t, ...new TextEncoder().encode(e.key)]))) + e.key)
      .sort();
    expect(a.value[0]!.selected.map((e) => e.ticket + e.key)).toEqual(all.slice(0, 7));
  });

  it('node and browser SHA-256 agree', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.string({ maxLength: 80 }), (p, k) => {
        expect(bytesToHex(nodeWithPrefix(p)(k))).toBe(bytesToHex(browserWithPrefix(p)(k)));
      }),
    );
  });

  it('selection frequencies are uniform over 10,000 fixed seeds (chi-square)', () => {
    const n = 20;
    const k = 3;
    const r = cr(roster(n, ['S']));
    const counts = new Map<string, number>(r.keys.map((x) => [x, 0]));
    const seeds = 10_000;
    for (let i = 0; i < seeds; i++) {
      const s = selectByTickets(r, seedOf(i), { S: k });
      if (!s.ok) throw new Error();
      for (const e of s.value[0]!.selected) counts.set(e.key, counts.get(e.key)! + 1);
    }
    const expected = (seeds * k) / n;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    // df = 19: the 0.999 quantile is 43.82.
    expect(chi2).toBeLessThan(43.82);
  });
});

describe('bad input gives coded errors', () => {
  const base = fixtureInput;
  it('empty roster', () => {
    expect(buildCommitment({ ...base(), roster: [] })).toMatchObject({
      ok: false,
      error: { code: 'DRAW_ROSTER_EMPTY' },
    });
  });
  it('ratio out of range or zero (不免抽)', () => {
    for (const ratio of ['0', '0.0', '1.5', '-0.1', '0.1234567', 'abc', '']) {
      const i = base();
      i.strata[0] = { label: 'A', ratio };
      expect(buildCommitment(i)).toMatchObject({ ok: false, error: { code: 'DRAW_RATIO_INVALID' } });
    }
  });
  it('a stratum with 0 entities, and an entity in an unconfigured stratum', () => {
    const i = base();
    i.strata.push({ label: 'E', ratio: '0.1' });
    expect(buildCommitment(i)).toMatchObject({ ok: false, error: { code: 'DRAW_STRATUM_EMPTY' } });
    const j = base();
    j.strata = j.strata.filter((s) => s.label !== 'A');
    expect(buildCommitment(j)).toMatchObject({ ok: false, error: { code: 'DRAW_STRATUM_UNKNOWN' } });
  });
  it('duplicate keys, malformed keys', () => {
    const i = base();
    i.roster = [...(i.roster as RosterEntry[]), { ...(i.roster as RosterEntry[])[5]! }];
    expect(buildCommitment(i)).toMatchObject({ ok: false, error: { code: 'DRAW_DUPLICATE_KEY' } });
    expect(canonicalRoster([{ key: '9.14690062012665e+17', stratum: 'A' }])).toMatchObject({
      ok: false,
      error: { code: 'DRAW_KEY_INVALID' },
    });
  });
  it('dice too short', () => {
    const c = buildCommitment(base());
    if (!c.ok) throw new Error();
    expect(runDraw(c.value, { dice: DICE.slice(0, 19), beacon: QUICKNET_BEACON })).toMatchObject({
      ok: false,
      error: { code: 'DRAW_DICE_TOO_SHORT' },
    });
  });
  it('team size below 2', () => {
    const i = base();
    i.matching.rules.teamSize = 1;
    expect(buildCommitment(i)).toMatchObject({ ok: false, error: { code: 'DRAW_INPUT_INVALID' } });
  });
});

describe('drand beacons', () => {
  const quick = { ...DRAND_QUICKNET, round: QUICKNET_BEACON.round };
  const main = { ...DRAND_MAINNET, round: MAINNET_BEACON.round };
  it('accepts the real quicknet round 657413 and the real mainnet round 3311596', () => {
    expect(verifyBeacon(quick, QUICKNET_BEACON)).toMatchObject({ ok: true });
    expect(verifyBeacon(main, MAINNET_BEACON)).toMatchObject({ ok: true });
  });
  it('refuses forged, malformed and mismatched beacons', () => {
    const flip = (h: string, i: number) => h.slice(0, i) + (h[i] === '0' ? '1' : '0') + h.slice(i + 1);
    // A different signature with a matching randomness: BLS must catch it.
    const sig = flip(QUICKNET_BEACON.signature, 40);
    const forged = {
      ...QUICKNET_BEACON,
      signature: sig,
      randomness: bytesToHex(sha256(Buffer.from(sig, 'hex'))),
    };
    expect(verifyBeacon(quick, forged)).toMatchObject({ ok: false, error: { code: 'DRAW_BEACON_INVALID' } });
    expect(
      verifyBeacon(quick, { ...QUICKNET_BEACON, randomness: flip(QUICKNET_BEACON.randomness, 3) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'DRAW_BEACON_INVALID' },
    });
    expect(verifyBeacon(quick, { ...QUICKNET_BEACON, signature: 'zz' })).toMatchObject({
      ok: false,
      error: { code: 'DRAW_BEACON_INVALID' },
    });
    expect(verifyBeacon({ ...quick, round: 657414 }, QUICKNET_BEACON)).toMatchObject({
      ok: false,
      error: { code: 'DRAW_SEED_MISMATCH' },
    });
    expect(
      verifyBeacon(main, {
        ...MAINNET_BEACON,
        previousSignature: flip(MAINNET_BEACON.previousSignature!, 10),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'DRAW_BEACON_INVALID' },
    });
    // A valid signature by another key (a locally generated quicknet-style key pair).
    const s = bls12_381.shortSignatures;
    const { secretKey, publicKey } = s.keygen(new Uint8Array(48).fill(7));
    const msg = s.hash(sha256(roundBytes(quick.round)), 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_');
    const own = s.Signature.toBytes(s.sign(msg, secretKey));
    const ownBeacon = {
      round: quick.round,
      signature: bytesToHex(own),
      randomness: bytesToHex(sha256(own)),
      previousSignature: null,
    };
    expect(verifyBeacon({ ...quick, publicKey: publicKey.toHex() }, ownBeacon)).toMatchObject({ ok: true });
    expect(verifyBeacon(quick, ownBeacon)).toMatchObject({
      ok: false,
      error: { code: 'DRAW_BEACON_INVALID' },
    });
  });
  it('seed = SHA-256("choucha-seed-v1\\0" ‖ H ‖ dice ‖ 0x00 ‖ randomness)', () => {
    const h = '11'.repeat(32);
    const s = deriveSeed(
      h,
      { dice: { minDigits: 20 }, drand: quick },
      { dice: DICE, beacon: QUICKNET_BEACON },
    );
    const enc = new TextEncoder();
    const expected = nobleSha256(
      new Uint8Array([
        ...enc.encode('choucha-seed-v1\0'),
        ...Buffer.from(h, 'hex'),
        ...enc.encode(DICE),
        0,
        ...Buffer.from(QUICKNET_BEACON.randomness, 'hex'),
      ]),
    );
    expect(s).toEqual({ ok: true, value: bytesToHex(expected) });
  });
});
