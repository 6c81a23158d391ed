import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ONE_BLOCK_MAX, TicketHasher, wordsToHex } from './ticket-hash.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('TicketHasher (one-block SHA-256 with a precomputed T)', () => {
  it('equals SHA-256(T ‖ UTF-8(key)) from node:crypto and @noble/hashes for any T and key', () => {
    const out = new Int32Array(8);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), maxLength: 30 }),
          fc.string({ unit: 'grapheme', maxLength: 30 }),
          fc.string({ unit: 'binary', maxLength: 30 }),
        ),
        (t, key) => {
          const h = new TicketHasher(t);
          const msg = Buffer.concat([Buffer.from(t), Buffer.from(key, 'utf8')]);
          const expected = crypto.createHash('sha256').update(msg).digest('hex');
          expect(wordsToHex(h.words(key, out))).toBe(expected);
          expect(hex(nobleSha256(msg))).toBe(expected);
          // The hasher keeps no state between keys.
          expect(wordsToHex(h.words(key, out))).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('covers every one-block length and the first two-block one', () => {
    const t = crypto.createHash('sha256').update('T').digest();
    const h = new TicketHasher(t);
    const out = new Int32Array(8);
    for (let n = 0; n <= ONE_BLOCK_MAX + 2; n++) {
      const key = '9'.repeat(n);
      expect(wordsToHex(h.words(key, out))).toBe(
        crypto
          .createHash('sha256')
          .update(Buffer.concat([t, Buffer.from(key)]))
          .digest('hex'),
      );
    }
  });
});
