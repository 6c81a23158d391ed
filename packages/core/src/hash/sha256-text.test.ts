import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Text as browserSha256Text } from './sha256.browser.ts';
import { sha256Text as nodeSha256Text } from './sha256.node.ts';
import { sha256AsciiHex } from './sha256-text.ts';

/** The reference: SHA-256 of the UTF-8 bytes, made by TextEncoder, hashed by node:crypto. */
const reference = (s: string) =>
  crypto.createHash('sha256').update(new TextEncoder().encode(s)).digest('hex');

// Lengths around the padding limits (55/56 bytes in the last block) and block boundaries.
const EDGES = [0, 1, 3, 4, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 191, 192, 1000];
const ascii = fc.string({
  unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)),
  maxLength: 300,
});
const anyText = fc.string({ unit: 'binary', maxLength: 300 });

describe('sha256Text: SHA-256 of UTF-8 without the bytes', () => {
  it('known digests', () => {
    expect(sha256AsciiHex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256AsciiHex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(browserSha256Text('监督')).toBe(reference('监督'));
    expect(sha256AsciiHex('监督')).toBeUndefined();
  });

  it('every length around the block boundaries, ASCII and with one non-ASCII char anywhere', () => {
    for (const n of EDGES) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join('');
      expect(sha256AsciiHex(s)).toBe(reference(s));
      expect(browserSha256Text(s)).toBe(reference(s));
      expect(nodeSha256Text(s)).toBe(reference(s));
      for (const at of [0, n >> 1, n - 1].filter((x) => x >= 0 && x < n)) {
        for (const c of ['\u0080', 'é', '中', '\ud83d\ude00', '\ud800', '\u00ff']) {
          const t = s.slice(0, at) + c + s.slice(at + 1);
          expect(sha256AsciiHex(t)).toBeUndefined();
          expect(browserSha256Text(t)).toBe(reference(t));
          expect(nodeSha256Text(t)).toBe(reference(t));
        }
      }
    }
  });

  it('random ASCII strings (also many blocks long)', () => {
    fc.assert(
      fc.property(ascii, fc.integer({ min: 0, max: 40 }), (s, rep) => {
        const t = s.repeat(rep);
        expect(sha256AsciiHex(t)).toBe(reference(t));
        expect(browserSha256Text(t)).toBe(reference(t));
        expect(nodeSha256Text(t)).toBe(reference(t));
      }),
      { numRuns: 400 },
    );
  });

  it('random strings of any code units (lone surrogates too), a non-ASCII char after ASCII blocks', () => {
    fc.assert(
      fc.property(ascii, anyText, fc.integer({ min: 0, max: 8 }), (a, s, rep) => {
        const t = a.repeat(rep) + s;
        expect(browserSha256Text(t)).toBe(reference(t));
        expect(nodeSha256Text(t)).toBe(reference(t));
      }),
      { numRuns: 400 },
    );
  });
});
