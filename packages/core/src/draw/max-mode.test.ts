import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classBounds, largestRemainder, type ClassDemand, type MaxMode } from './max-mode.ts';
import { sampleSize } from './strata.ts';

const four: ClassDemand[] = [
  { key: 'A', ratio: '0.05', population: 200 },
  { key: 'B', ratio: '0.2', population: 100 },
  { key: 'C', ratio: '0.6', population: 50 },
  { key: 'D', ratio: '1', population: 12 },
];

function bounds(classes: ClassDemand[], min: number, max: number | null, mode: MaxMode) {
  const r = classBounds(classes, min, max, mode);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const sizes = (mode: MaxMode, max: number | null, min = 0) => bounds(four, min, max, mode).map((b) => b.size);

describe('classBounds: what 最多抽取户数 means', () => {
  it('a user who typed 10 gets 10 in total, 40 only when the maximum is per class', () => {
    // natural sizes: A 10, B 20, C 30, D 12 (72 in all)
    expect(sizes('perClass', null)).toEqual([10, 20, 30, 12]);
    expect(sizes('perClass', 10)).toEqual([10, 10, 10, 10]);
    // total: 1 each, then 6 shared in proportion to 9:19:29:11 (68) → 0.79 1.68 2.56 0.97 → 0 1 2 0 + 3
    // remainders .79 .68 .56 .97: D, A, B get one more → A 1+1, B 1+2, C 1+2, D 1+1
    expect(sizes('total', 10)).toEqual([2, 3, 3, 2]);
    expect(sizes('total', 10).reduce((a, b) => a + b)).toBe(10);
    // split by population 199:99:49:11 (358) of 6 → 3.34 1.66 0.82 0.18 → 3 1 0 0 + 2 (C, B)
    expect(sizes('split', 10)).toEqual([4, 3, 2, 1]);
    expect(sizes('split', 10).reduce((a, b) => a + b)).toBe(10);
  });

  it('a total above the natural sizes changes nothing', () => {
    expect(sizes('total', 72)).toEqual([10, 20, 30, 12]);
    expect(sizes('total', 500)).toEqual([10, 20, 30, 12]);
  });

  it('the committed bounds give the allocated size by the v1 rule, min clipped to the bound', () => {
    for (const [i, b] of bounds(four, 5, 10, 'total').entries()) {
      expect(b.max).not.toBeNull();
      expect(b.min).toBeLessThanOrEqual(b.max!);
      expect(sampleSize(four[i]!.ratio, four[i]!.population, b.min, b.max)).toBe(b.size);
    }
  });

  it('refuses a maximum below the number of classes (不免抽)', () => {
    const r = classBounds(four, 0, 3, 'total');
    expect(r.ok ? null : r.error.code).toBe('SAMPLING_MAX_BELOW_CLASSES');
    expect(classBounds(four, 0, 3, 'perClass').ok).toBe(true);
  });

  it('largestRemainder shares exactly the budget', () => {
    expect(largestRemainder([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(largestRemainder([9, 19, 29, 11], 6)).toEqual([1, 2, 2, 1]);
  });

  const classesArb = fc
    .array(
      fc.record({
        ratio: fc.integer({ min: 1, max: 1_000_000 }),
        population: fc.integer({ min: 1, max: 5000 }),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((cs) =>
      cs.map((c, i) => ({
        key: String.fromCharCode(65 + i),
        ratio: c.ratio === 1_000_000 ? '1' : `0.${String(c.ratio).padStart(6, '0')}`,
        population: c.population,
      })),
    );

  it('property: total and split never exceed the maximum, every class keeps ≥ 1, no class above its natural size', () => {
    fc.assert(
      fc.property(
        classesArb,
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom<MaxMode>('total', 'split'),
        (cs, min, max, mode) => {
          expect(classBounds(cs, min, max, mode).ok).toBe(cs.length <= max);
          fc.pre(cs.length <= max);
          const got = bounds(cs, min, max, mode).map((b) => b.size);
          const natural = cs.map((c) => sampleSize(c.ratio, c.population, min, null));
          const sum = got.reduce((a, b) => a + b, 0);
          expect(sum).toBeLessThanOrEqual(max);
          for (const [i, g] of got.entries()) {
            expect(g).toBeGreaterThanOrEqual(1);
            expect(g).toBeLessThanOrEqual(natural[i]!);
            const b = bounds(cs, min, max, mode)[i]!;
            expect(sampleSize(cs[i]!.ratio, cs[i]!.population, b.min, b.max)).toBe(g);
          }
          // total uses the whole maximum when the natural sizes exceed it
          const nat = natural.reduce((a, b) => a + b, 0);
          expect(mode === 'total' ? sum === Math.min(nat, max) : sum <= nat).toBe(true);
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  });
});
