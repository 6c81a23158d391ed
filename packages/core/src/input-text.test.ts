import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findTextProblem, printable, textProblem } from './input-text.ts';

describe('input text rule', () => {
  it('refuses NUL and lone surrogates, accepts well-formed text', () => {
    expect(textProblem('a\u0000b')).toBe('nul');
    expect(textProblem('\ud800')).toBe('lone_surrogate');
    expect(textProblem('x\udc00')).toBe('lone_surrogate');
    expect(textProblem('\ud83d')).toBe('lone_surrogate');
    expect(textProblem('\udc00\ud800')).toBe('lone_surrogate');
    expect(textProblem('😀 碑林区 \u202e')).toBeNull();
    expect(textProblem('')).toBeNull();
    expect(textProblem('\ufeff')).toBeNull();
  });
  it('agrees with the UTF-8 round trip for every string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // ignoreBOM: a default TextDecoder drops a leading U+FEFF, which is well-formed text.
        const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
        const roundTrips = decoder.decode(new TextEncoder().encode(s)) === s;
        expect(textProblem(s) === null).toBe(roundTrips && !s.includes('\u0000'));
      }),
      { numRuns: 2000, examples: [['\ufeff'], ['\ufeffx']] },
    );
  });
  it('names the field, keys included', () => {
    expect(findTextProblem({ a: [1, { b: 'x\u0000' }] }, 'body')).toEqual({
      field: 'body.a[1].b',
      problem: 'nul',
    });
    expect(findTextProblem({ ['k\ud800']: 1 }, 'query')).toEqual({
      field: 'query.k\\ud800',
      problem: 'lone_surrogate',
    });
    expect(findTextProblem({ a: 'ok', n: 1, z: null }, 'body')).toBeNull();
    expect(findTextProblem(new Uint8Array([0, 0]), 'file')).toBeNull();
    expect(printable('a\u0000😀')).toBe('a\\u0000😀');
  });
});
