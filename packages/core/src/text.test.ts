import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bigrams, normaliseForSearch } from './text.ts';

describe('bigrams', () => {
  it('cuts a name into overlapping pairs', () => {
    expect(bigrams('碑林 餐饮店')).toEqual(['碑林', '林餐', '餐饮', '饮店']);
    expect(bigrams('店')).toEqual([]);
  });
  it('property: every substring of length ≥2 has all its bigrams in the name', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 2, maxLength: 20 }),
        fc.nat(),
        fc.nat(),
        (s, a, b) => {
          const chars = [...normaliseForSearch(s)];
          if (chars.length < 2) return;
          const i = a % (chars.length - 1);
          const j = i + 2 + (b % (chars.length - i - 1));
          const sub = chars.slice(i, j).join('');
          const all = new Set(bigrams(s));
          for (const g of bigrams(sub)) expect(all.has(g)).toBe(true);
        },
      ),
    );
  });
});
