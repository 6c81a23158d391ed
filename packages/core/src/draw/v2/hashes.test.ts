import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MidstateHasher, wordsToHex } from '../ticket-hash.ts';
import { nonceHash, pseudonymOf, seedFromV2, tagBlock, ticketV2 } from './hashes.ts';
import { nonceHashOfHex, parsePublicRoster, scanOpenings, ticketOfNonceHex } from './texts.ts';

const sha = (...parts: (Buffer | Uint8Array | string)[]) =>
  crypto
    .createHash('sha256')
    .update(
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))),
    )
    .digest();
const P = (tag: string) => Buffer.concat([Buffer.from(tag), Buffer.alloc(64 - Buffer.byteLength(tag))]);

describe('MidstateHasher (64-byte fixed prefix, one compression per tail ≤ 55 bytes)', () => {
  it('equals SHA-256(prefix ‖ tail) from node:crypto for any prefix and tail (0 … 80 bytes)', () => {
    const out = new Int32Array(8);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        (prefix, tail) => {
          const h = new MidstateHasher(prefix);
          const expected = sha(prefix, tail).toString('hex');
          expect(wordsToHex(h.bytesWords(tail, tail.length, out))).toBe(expected);
          expect(wordsToHex(h.bytesWords(tail, tail.length, out))).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('covers every one-compression length and the first two longer ones', () => {
    const prefix = sha('prefix');
    const h = new MidstateHasher(Buffer.concat([prefix, prefix]));
    const out = new Int32Array(8);
    for (let n = 0; n <= 57; n++) {
      const tail = Buffer.alloc(n, 0xab);
      expect(wordsToHex(h.bytesWords(tail, n, out))).toBe(sha(prefix, prefix, tail).toString('hex'));
    }
  });
});

describe('v2 hashes against their definitions (§3, §6, §7, §8)', () => {
  it('nonceHash, pseudonym, ticket, seed', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ minLength: 1, maxLength: 70, unit: 'grapheme' }),
        fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{18}$/),
        (r, salt, seed, id, key) => {
          expect(nonceHash(r)).toBe(sha(P('choucha-nonce-v2'), r).toString('hex'));
          expect(nonceHashOfHex(Buffer.from(r).toString('hex'))).toBe(nonceHash(r));
          expect(pseudonymOf(Buffer.from(salt).toString('hex'), id)).toBe(
            sha(P('choucha-pseudonym-v2'), salt, id).toString('hex').slice(0, 16),
          );
          const seedHex = Buffer.from(seed).toString('hex');
          const T = sha('choucha-ticket-v2', Buffer.from([0]), seed);
          const expected = sha(T, Buffer.alloc(32), r, key).toString('hex');
          expect(ticketV2(seedHex, key, r)).toBe(expected);
          const line = `${key}\t${nonceHash(r)}\n`;
          const roster = parsePublicRoster(line);
          expect(roster.ok).toBe(true);
          if (!roster.ok) return;
          const h = new MidstateHasher(Buffer.concat([T, Buffer.alloc(32)]));
          expect(ticketOfNonceHex(h, roster.value, 0, Buffer.from(r).toString('hex'))).toBe(expected);
          const scan = scanOpenings(`${key}\tL\t${Buffer.from(r).toString('hex')}\n`, roster.value, ['L'], h);
          expect(scan.ok).toBe(true);
          const d = '12345678901234567890';
          expect(seedFromV2(salt, d, seed)).toBe(
            sha('choucha-seed-v2', Buffer.from([0]), salt, d, Buffer.from([0]), seed).toString('hex'),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('P(tag) is the tag then zero bytes up to 64', () => {
    expect(Buffer.from(tagBlock('choucha-nonce-v2')).equals(P('choucha-nonce-v2'))).toBe(true);
  });
});
