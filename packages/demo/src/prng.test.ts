import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, WeightedTable } from './prng.ts';

describe('Rng', () => {
  it('is deterministic per seed and stays in range', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, lo, span) => {
          const a = new Rng(seed);
          const b = new Rng(seed);
          for (let i = 0; i < 20; i++) {
            const x = a.int(lo, lo + span);
            expect(b.int(lo, lo + span)).toBe(x);
            expect(x).toBeGreaterThanOrEqual(lo);
            expect(x).toBeLessThanOrEqual(lo + span);
          }
        },
      ),
    );
  });

  it('shuffle is a permutation and sample gives distinct elements', () => {
    fc.assert(
      fc.property(fc.string(), fc.uniqueArray(fc.integer()), fc.nat(20), (seed, xs, k) => {
        const r = new Rng(seed);
        expect([...r.shuffle(xs)].sort((p, q) => p - q)).toEqual([...xs].sort((p, q) => p - q));
        const s = r.sample(xs, k);
        expect(s.length).toBe(Math.min(k, xs.length));
        expect(new Set(s).size).toBe(s.length);
      }),
    );
  });

  it('weighted tables never pick a zero-weight entry and roughly follow the weights', () => {
    const t = new WeightedTable(['a', 'b', 'c'], [1, 0, 3]);
    const r = new Rng('w');
    const n = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) n[t.pick(r) as 'a' | 'b' | 'c']++;
    expect(n.b).toBe(0);
    expect(n.c / n.a).toBeGreaterThan(2.5);
    expect(n.c / n.a).toBeLessThan(3.5);
  });
});
