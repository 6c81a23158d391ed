/**
 * ticket(key) = SHA-256(T ‖ UTF-8(key)) (draw-protocol v1 §8), specialised for speed. Plain
 * FIPS 180-4 SHA-256, not a different function: the tests compare it with node:crypto and
 * @noble/hashes on random keys.
 *
 * For an ASCII key of at most 23 bytes (every USCC and registration number), T ‖ key ‖ padding
 * is ONE 64-byte block whose first 8 words are T. Those words are the same for every key, so the
 * state after the first 8 rounds is computed once per draw; each key then costs 56 rounds and the
 * message schedule, in integer arithmetic with no allocation. This beats a native SHA-256 call
 * per key (whose cost is dominated by the call and the Buffer it returns) and runs unchanged in
 * browsers. Any other key falls back to the general SHA-256.
 */
import { sha256, concatBytes, utf8 } from '../hash/index.ts';
import { compressFrom8 } from './sha256-block.ts';
import { compress } from './v2/sha256-compress.ts';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** Longest key (in ASCII characters) that fits in one block after the 32 bytes of T. */
export const ONE_BLOCK_MAX = 23;

/**
 * SHA-256 of messages that start with a fixed 32-byte T (the ticket prefix T, or the matching
 * subseed M). `words(key, out)` writes the 8 big-endian words of SHA-256(T ‖ UTF-8(key)) into
 * out[0..7] (as signed 32-bit integers; `>>> 0` for unsigned).
 */
export class TicketHasher {
  private readonly t: Uint8Array;
  /** State after rounds 0–7 (which only see T). */
  private readonly mid = new Int32Array(8);
  /** Words 0–7 of the block (T). */
  private readonly tw = new Int32Array(8);
  /** Words 8–15 of the block (the key, padding, length). */
  private readonly m = new Int32Array(8);

  constructor(t: Uint8Array) {
    if (t.length !== 32) throw new Error('Invariant: T must be 32 bytes');
    this.t = Uint8Array.from(t);
    const w = this.tw;
    for (let i = 0; i < 8; i++)
      w[i] = (t[4 * i]! << 24) | (t[4 * i + 1]! << 16) | (t[4 * i + 2]! << 8) | t[4 * i + 3]!;
    let a = IV[0]!,
      b = IV[1]!,
      c = IV[2]!,
      d = IV[3]!,
      e = IV[4]!,
      f = IV[5]!,
      g = IV[6]!,
      h = IV[7]!;
    for (let i = 0; i < 8; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    this.mid.set([a, b, c, d, e, f, g, h]);
  }

  /** Writes ticket(key) as 8 words into out; returns out. */
  words(key: string, out: Int32Array): Int32Array {
    const n = key.length;
    const m = this.m;
    let ascii = n <= ONE_BLOCK_MAX;
    if (ascii) {
      // Words 8..15: key bytes, 0x80, zeros, bit length in word 15 (the message is < 2^32 bits).
      m.fill(0);
      for (let i = 0; i < n; i++) {
        const ch = key.charCodeAt(i);
        if (ch > 0x7f) {
          ascii = false;
          break;
        }
        m[i >> 2]! |= ch << (24 - 8 * (i & 3));
      }
    }
    if (!ascii) return this.general(utf8(key), out);
    return this.compress(n, out);
  }

  /** Writes SHA-256(T ‖ tail[0..n)) as 8 words into out; returns out. */
  bytesWords(tail: Uint8Array, n: number, out: Int32Array): Int32Array {
    if (n > ONE_BLOCK_MAX) return this.general(tail.subarray(0, n), out);
    const m = this.m;
    m.fill(0);
    for (let i = 0; i < n; i++) m[i >> 2]! |= tail[i]! << (24 - 8 * (i & 3));
    return this.compress(n, out);
  }

  /** Pads the n ≤ 23 tail bytes already in m and runs rounds 8–63 from the midstate. */
  private compress(n: number, out: Int32Array): Int32Array {
    const m = this.m;
    m[n >> 2]! |= 0x80 << (24 - 8 * (n & 3));
    m[7] = (32 + n) * 8;
    compressFrom8(this.mid, this.tw, m, out);
    return out;
  }

  /** Any length: the general SHA-256 of T ‖ tail. */
  private general(tail: Uint8Array, out: Int32Array): Int32Array {
    const d = sha256(concatBytes(this.t, tail));
    for (let i = 0; i < 8; i++)
      out[i] = (d[4 * i]! << 24) | (d[4 * i + 1]! << 16) | (d[4 * i + 2]! << 8) | d[4 * i + 3]!;
    return out;
  }
}

/**
 * SHA-256 of messages whose first 64 bytes (one block) are fixed: draw-protocol v2's
 * P(tag) ‖ … (nonceHash, pseudonym) and T ‖ 0x00 × 32 ‖ … (ticket). The chaining value after that
 * block (its midstate) is computed once; a tail of at most 55 bytes then costs ONE compression,
 * with no allocation. Longer tails fall back to the general SHA-256.
 */
export class MidstateHasher {
  private readonly prefix: Uint8Array;
  /** Chaining value after the fixed 64-byte block. */
  readonly mid = new Int32Array(8);
  /** The second block's 16 words (reused). */
  readonly block = new Int32Array(16);

  constructor(prefix: Uint8Array) {
    if (prefix.length !== 64) throw new Error('Invariant: the fixed prefix must be 64 bytes');
    this.prefix = Uint8Array.from(prefix);
    const w = new Int32Array(16);
    for (let i = 0; i < 16; i++)
      w[i] =
        (prefix[4 * i]! << 24) | (prefix[4 * i + 1]! << 16) | (prefix[4 * i + 2]! << 8) | prefix[4 * i + 3]!;
    compress(IV, w, this.mid);
  }

  /** Writes SHA-256(prefix ‖ tail[0..n)) as 8 big-endian words into out; returns out. */
  bytesWords(tail: Uint8Array, n: number, out: Int32Array): Int32Array {
    if (n > 55) {
      const d = sha256(concatBytes(this.prefix, tail.subarray(0, n)));
      for (let i = 0; i < 8; i++)
        out[i] = (d[4 * i]! << 24) | (d[4 * i + 1]! << 16) | (d[4 * i + 2]! << 8) | d[4 * i + 3]!;
      return out;
    }
    const m = this.block;
    m.fill(0);
    for (let i = 0; i < n; i++) m[i >> 2]! |= tail[i]! << (24 - 8 * (i & 3));
    return this.finish(n, out);
  }

  /**
   * The caller wrote the first n ≤ 55 tail bytes into `block` (big-endian words, the rest zero):
   * pads, compresses once, writes the digest words into out.
   */
  finish(n: number, out: Int32Array): Int32Array {
    const m = this.block;
    m[n >> 2]! |= 0x80 << (24 - 8 * (n & 3));
    m[15] = (64 + n) * 8;
    compress(this.mid, m, out);
    return out;
  }
}

/** Lower-case hex of 8 big-endian words. */
export function wordsToHex(w: Int32Array): string {
  // One flat string (String.fromCharCode of the 64 digit codes): built by +=, it was a tree of 32
  // pieces that every later comparison (jsonEqual, ===) had to flatten first.
  const c = HEX_CODES;
  for (let i = 0; i < 8; i++) {
    const x = w[i]!;
    for (let j = 0; j < 8; j++) c[8 * i + j] = HEX_DIGIT[(x >>> (28 - 4 * j)) & 15]!;
  }
  return String.fromCharCode.apply(null, c as unknown as number[]);
}
const HEX_DIGIT = new Uint16Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const HEX_CODES = new Uint16Array(64);
