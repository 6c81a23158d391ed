/**
 * The two texts of a v2 draw (docs/specs/draw-protocol-v2.md §3), read in one pass each without
 * a string per entity:
 *   public roster  `key TAB nonceHash LF`           (64 hex digits)
 *   openings       `key TAB stratum TAB nonce LF`   (32 hex digits)
 * A roster is kept as the text plus its line offsets; a key is compared and hashed from the text's
 * char codes. Reading the openings checks every nonce against the roster line (one compression)
 * and, given the ticket hasher, computes every ticket's 53-bit prefix (one more compression).
 */
import type { Result } from '../../result.ts';
import { ok } from '../../result.ts';
import { drawErr, type DrawError } from '../errors.ts';
import { wordsToHex, type MidstateHasher } from '../ticket-hash.ts';
import { nonceMidstate } from './hashes.ts';
import { compress as compressImported } from './sha256-compress.ts';

// Local bindings: a call through an imported binding can cost a getter per call once bundlers or
// loaders turn modules into objects (measured: it dominated the 1M-entity verification).
const compress = compressImported;

/** Hex digit value of any UTF-16 code unit: 0–15 for [0-9a-f], −1 otherwise (upper case too). */
const HV = new Int8Array(65536).fill(-1);
for (let i = 0; i < 10; i++) HV[48 + i] = i;
for (let i = 0; i < 6; i++) HV[97 + i] = 10 + i;

/** 1: USCC character (GB 32100), 2: digit, 4: capital letter or digit (as roster.ts). */
const KEY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') KEY_CHAR[c.charCodeAt(0)] = 4;
for (const c of 'ABCDEFGHJKLMNPQRTUWXY') KEY_CHAR[c.charCodeAt(0)] = 5;
for (const c of '0123456789') KEY_CHAR[c.charCodeAt(0)] = 7;

/** isValidKey(text.slice(from, to)) without making the string. */
export function keyCharsOk(text: string, from: number, to: number): boolean {
  const n = to - from;
  if (n !== 18 && n !== 15 && n !== 13) return false;
  const need = n === 18 ? 1 : n === 13 ? 2 : 4;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (KEY_CHAR[c]! & need) === 0) return false;
  }
  return true;
}

/** Compares text[a0, a1) with text2[b0, b1) by char code (keys are ASCII: byte order). */
function cmpRegion(a: string, a0: number, a1: number, b: string, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(a0 + i) - b.charCodeAt(b0 + i);
    if (d !== 0) return d;
  }
  return a1 - a0 - (b1 - b0);
}

export interface RosterIndex {
  readonly text: string;
  readonly size: number;
  /** Offsets of the lines; start[size] = text.length. Line i's key is [start[i], start[i+1] − 66). */
  readonly start: Int32Array;
}

export const keyEnd = (r: RosterIndex, i: number) => r.start[i + 1]! - 66;
export const keyAt = (r: RosterIndex, i: number) => r.text.slice(r.start[i]!, keyEnd(r, i));
export const nonceHashAt = (r: RosterIndex, i: number) => r.text.slice(keyEnd(r, i) + 1, r.start[i + 1]! - 1);

function grow(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

const mismatchAt = (path: string, message: string, extra: Record<string, unknown> = {}) =>
  drawErr('DRAW_BUNDLE_MISMATCH', message, { path, ...extra });

/**
 * Parses the public roster text (§12 step 4.2): lines `key TAB hex64 LF`; a bad key
 * DRAW_KEY_INVALID; keys strictly increasing (BUNDLE_ORDER_INVALID; equal DRAW_DUPLICATE_KEY);
 * anything else DRAW_BUNDLE_MISMATCH at `path`.
 */
export function parsePublicRoster(text: string, path = '$.roster'): Result<RosterIndex, DrawError> {
  const len = text.length;
  let start: Int32Array = new Int32Array(Math.max(16, Math.ceil(len / 80) + 2));
  let n = 0;
  let s = 0;
  let prevS = -1;
  let prevT = -1;
  while (s < len) {
    const line = n + 1;
    // Fast path: a key has 13, 15 or 18 characters, so the tab is at one of those offsets, and the
    // line feed 65 after it; the 64 hex digits are checked without a branch per digit.
    let tab =
      text.charCodeAt(s + 18) === 9
        ? s + 18
        : text.charCodeAt(s + 15) === 9
          ? s + 15
          : text.charCodeAt(s + 13) === 9
            ? s + 13
            : -1;
    let fast = tab > 0 && text.charCodeAt(tab + 65) === 10 && keyCharsOk(text, s, tab);
    if (fast) {
      let bad = 0;
      for (let i = tab + 1; i < tab + 65; i++) bad |= HV[text.charCodeAt(i)]!;
      fast = bad >= 0;
    }
    if (!fast) {
      // Slow path: find out what is wrong with the line (or that the first tab was further left).
      const lf = text.indexOf('\n', s);
      if (lf < 0) return mismatchAt(path, `Roster line ${line} does not end with a line feed`, { line });
      tab = text.indexOf('\t', s);
      if (tab < 0 || tab > lf) return mismatchAt(path, `Roster line ${line} has no tab`, { line });
      if (!keyCharsOk(text, s, tab)) {
        const key = text.slice(s, tab);
        return drawErr(
          'DRAW_KEY_INVALID',
          `Roster key ${JSON.stringify(key)} (line ${line}) is neither a USCC nor a registration number`,
          { path, line, key },
        );
      }
      if (lf - tab - 1 !== 64)
        return mismatchAt(path, `Roster line ${line}: the nonce hash is not 64 hex digits`, { line });
      for (let i = tab + 1; i < lf; i++)
        if (HV[text.charCodeAt(i)]! < 0)
          return mismatchAt(path, `Roster line ${line}: the nonce hash is not lower-case hex`, { line });
    }
    if (prevS >= 0) {
      const c = cmpRegion(text, prevS, prevT, text, s, tab);
      if (c >= 0) {
        const key = text.slice(s, tab);
        if (c === 0)
          return drawErr('DRAW_DUPLICATE_KEY', `Key ${key} appears more than once in the roster`, {
            path,
            line,
            key,
          });
        return drawErr('BUNDLE_ORDER_INVALID', `The roster is not sorted by key at line ${line} (${key})`, {
          path,
          line,
          key,
        });
      }
    }
    start = grow(start, n + 2);
    start[n++] = s;
    prevS = s;
    prevT = tab;
    s = tab + 66;
  }
  start = grow(start, n + 1);
  start[n] = len;
  return ok({ text, size: n, start: start.subarray(0, n + 1) });
}

/**
 * Index of key in the roster (binary search), or −1. The keys between the two bounds share the
 * shorter of the bounds' common prefixes with the key (the roster is sorted), so each comparison
 * starts after it: with keys of one region (a long shared prefix) this halves the lookups
 * (100,000 selected keys in a 1,000,000-line roster: 0.2 s → 0.1 s).
 */
export function findKey(r: RosterIndex, key: string): number {
  const t = r.text;
  const st = r.start;
  const kl = key.length;
  let lo = 0;
  let hi = r.size - 1;
  let llo = 0;
  let lhi = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const a0 = st[mid]!;
    const al = st[mid + 1]! - 66 - a0;
    const n = al < kl ? al : kl;
    let i = llo < lhi ? llo : lhi;
    let d = 0;
    for (; i < n; i++) {
      d = t.charCodeAt(a0 + i) - key.charCodeAt(i);
      if (d !== 0) break;
    }
    if (d === 0) d = al - kl;
    if (d === 0) return mid;
    if (d < 0) {
      lo = mid + 1;
      llo = i;
    } else {
      hi = mid - 1;
      lhi = i;
    }
  }
  return -1;
}

/** Do the 8 words equal the 64 hex digits of text at `at`? */
export function wordsEqualHex(w: Int32Array, text: string, at: number): boolean {
  for (let k = 0; k < 8; k++) {
    let x = 0;
    for (let j = 0; j < 8; j++) x = (x << 4) | HV[text.charCodeAt(at + 8 * k + j)]!;
    if (x !== w[k]) return false;
  }
  return true;
}

/** Reads 32 hex digits at `at` into 4 words of m; false if not lower-case hex. */
function readNonce(text: string, at: number, m: Int32Array): boolean {
  let bad = 0;
  for (let k = 0; k < 4; k++) {
    let x = 0;
    for (let j = 0; j < 8; j++) {
      const v = HV[text.charCodeAt(at + 8 * k + j)]!;
      bad |= v;
      x = (x << 4) | (v & 15);
    }
    m[k] = x;
  }
  return bad >= 0;
}

/**
 * Ticket words of (key = roster line i, nonce words r0..r3 already in m[0..3]): the block
 * r ‖ key ‖ 0x80 ‖ 0 … ‖ bit length, compressed from the ticket midstate.
 */
function ticketBlockWords(m: Int32Array, text: string, k0: number, k1: number): void {
  for (let j = 4; j < 16; j++) m[j] = 0;
  const klen = k1 - k0;
  for (let j = 0; j < klen; j++) {
    const b = 16 + j;
    m[b >> 2]! |= text.charCodeAt(k0 + j) << (24 - 8 * (b & 3));
  }
  const b = 16 + klen;
  m[b >> 2]! |= 0x80 << (24 - 8 * (b & 3));
  m[15] = (64 + b) * 8;
}

const P21 = 2 ** 21;

export interface OpeningsScan {
  /** Offsets of the openings lines (start[size] = text length). */
  readonly start: Int32Array;
  /** Stratum of each entity: index into the labels given. */
  readonly stratum: Int32Array;
  /** Entities per stratum. */
  readonly population: Int32Array;
  /** 53-bit ticket prefix per entity (when a ticket hasher was given). */
  readonly prefix: Float64Array | null;
  /** Offsets of the nonces in the openings text (the tickets of the winners are recomputed from them). */
  readonly nonceAt: Int32Array;
}

/**
 * Reads the openings text against the roster (§12 step 4.9): the same keys in the same order,
 * `key TAB label TAB hex32 LF`, each label one of `labels`, each nonce hashing to the roster line.
 * With `tickets`, also each entity's 53-bit ticket prefix. Errors: DRAW_BUNDLE_MISMATCH at `path`.
 */
export function scanOpenings(
  text: string,
  roster: RosterIndex,
  labels: readonly string[],
  tickets: MidstateHasher | null,
  path = '$.private.openings',
): Result<OpeningsScan, DrawError> {
  const n = roster.size;
  const rt = roster.text;
  const len = text.length;
  // Labels by (length, first char code): a few candidates each, compared in place (startsWith).
  const buckets = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const b = l.length * 65536 + l.charCodeAt(0);
    const list = buckets.get(b);
    if (list) list.push(i);
    else buckets.set(b, [i]);
  });
  const start = new Int32Array(n + 1);
  const nonceAt = new Int32Array(n);
  const stratum = new Int32Array(n);
  const population = new Int32Array(labels.length);
  const prefix = tickets ? new Float64Array(n) : null;
  const nh = nonceMidstate();
  const nmid = nh.mid;
  const tmid = tickets ? tickets.mid : null;
  const m = new Int32Array(16);
  const out = new Int32Array(8);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const line = i + 1;
    const k0 = roster.start[i]!;
    const k1 = roster.start[i + 1]! - 66;
    const klen = k1 - k0;
    if (s >= len) return mismatchAt(path, `The openings have ${i} lines, the roster ${n}`, { line });
    start[i] = s;
    if (s + klen >= len || cmpRegion(text, s, s + klen, rt, k0, k1) !== 0 || text.charCodeAt(s + klen) !== 9)
      return mismatchAt(path, `Openings line ${line} is not the roster's key ${rt.slice(k0, k1)}`, { line });
    const p = s + klen + 1;
    const q = text.indexOf('\t', p);
    const lf = q < 0 ? -1 : text.charCodeAt(q + 33) === 10 ? q + 33 : text.indexOf('\n', p);
    if (q < 0 || lf < 0 || lf < q)
      return mismatchAt(path, `Openings line ${line} is not key TAB stratum TAB nonce`, { line });
    let label = -1;
    const cand = q > p ? buckets.get((q - p) * 65536 + text.charCodeAt(p)) : undefined;
    if (cand)
      for (const c of cand)
        if (text.startsWith(labels[c]!, p)) {
          label = c;
          break;
        }
    if (label < 0)
      return mismatchAt(
        path,
        `Openings line ${line}: stratum ${JSON.stringify(text.slice(p, q))} is not a stratum of the commitment`,
        { line },
      );
    if (lf - q - 1 !== 32 || !readNonce(text, q + 1, m))
      return mismatchAt(path, `Openings line ${line}: the nonce is not 32 lower-case hex digits`, { line });
    nonceAt[i] = q + 1;
    stratum[i] = label;
    population[label]!++;
    const r0 = m[0]!;
    const r1 = m[1]!;
    const r2 = m[2]!;
    const r3 = m[3]!;
    // nonceHash(r): r ‖ 0x80 ‖ 0 … ‖ 640 bits.
    m[4] = 0x80000000 | 0;
    for (let j = 5; j < 15; j++) m[j] = 0;
    m[15] = 640;
    compress(nmid, m, out);
    if (!wordsEqualHex(out, rt, k1 + 1))
      return mismatchAt(
        path,
        `Openings line ${line}: the nonce of ${rt.slice(k0, k1)} does not hash to its roster line`,
        {
          line,
          expected: rt.slice(k1 + 1, k1 + 65),
          actual: wordsToHex(out),
        },
      );
    if (tmid && prefix) {
      m[0] = r0;
      m[1] = r1;
      m[2] = r2;
      m[3] = r3;
      ticketBlockWords(m, rt, k0, k1);
      compress(tmid, m, out);
      prefix[i] = (out[0]! >>> 0) * P21 + (out[1]! >>> 11);
    }
    s = lf + 1;
  }
  if (s !== len)
    return mismatchAt(path, `The openings have more lines than the roster (${n})`, { line: n + 1 });
  start[n] = len;
  return ok({ start, stratum, population, prefix, nonceAt });
}

/** The full ticket words of roster entity i whose nonce is at text[at, at + 32). */
export function ticketAt(
  tickets: MidstateHasher,
  roster: RosterIndex,
  i: number,
  nonceText: string,
  at: number,
  out: Int32Array,
): Int32Array {
  const m = tickets.block;
  if (!readNonce(nonceText, at, m)) throw new Error('Invariant: the nonce was checked');
  ticketBlockWords(m, roster.text, roster.start[i]!, roster.start[i + 1]! - 66);
  compress(tickets.mid, m, out);
  return out;
}

/** The ticket of a key (roster entity i) with a nonce given as 32 hex digits; undefined if not hex. */
export function ticketOfNonceHex(
  tickets: MidstateHasher,
  roster: RosterIndex,
  i: number,
  nonceHex: string,
): string | undefined {
  if (nonceHex.length !== 32) return undefined;
  const m = tickets.block;
  if (!readNonce(nonceHex, 0, m)) return undefined;
  ticketBlockWords(m, roster.text, roster.start[i]!, roster.start[i + 1]! - 66);
  const out = new Int32Array(8);
  compress(tickets.mid, m, out);
  return wordsToHex(out);
}

/** nonceHash of 32 hex digits compared with roster line i; undefined if not hex, else the hash. */
export function nonceHashOfHex(nonceHex: string): string | undefined {
  if (nonceHex.length !== 32) return undefined;
  const m = new Int32Array(16);
  if (!readNonce(nonceHex, 0, m)) return undefined;
  m[4] = 0x80000000 | 0;
  m[15] = 640;
  const out = new Int32Array(8);
  compress(nonceMidstate().mid, m, out);
  return wordsToHex(out);
}

/** Do the 8 words equal the string hex (exactly 64 lower-case hex digits)? */
function wordsEqualHexString(w: Int32Array, hex: unknown): boolean {
  if (typeof hex !== 'string' || hex.length !== 64) return false;
  let bad = 0;
  for (let k = 0; k < 8; k++) {
    let x = 0;
    for (let j = 0; j < 8; j++) {
      const v = HV[hex.charCodeAt(8 * k + j)]!;
      bad |= v;
      x = (x << 4) | (v & 15);
    }
    if (x !== w[k]) return false;
  }
  return bad >= 0;
}

const selBlock = new Int32Array(16);
const selOut = new Int32Array(8);

/**
 * Step 4.7 for one selected entity (roster line i), without a string or an array per entity:
 * 0 when the nonce (32 lower-case hex digits) hashes to the roster line and the ticket is
 * ticket(key, nonce) in lower-case hex; 1 when the nonce does not; 2 when the ticket does not
 * (the caller then recomputes with nonceHashOfHex / ticketOfNonceHex for its message).
 */
export function checkSelected(
  tickets: MidstateHasher,
  roster: RosterIndex,
  i: number,
  nonceHex: string,
  ticketHex: string,
): 0 | 1 | 2 {
  const m = selBlock;
  const out = selOut;
  if (nonceHex.length !== 32 || !readNonce(nonceHex, 0, m)) return 1;
  const r0 = m[0]!;
  const r1 = m[1]!;
  const r2 = m[2]!;
  const r3 = m[3]!;
  m[4] = 0x80000000 | 0;
  for (let j = 5; j < 15; j++) m[j] = 0;
  m[15] = 640;
  compress(nonceMidstate().mid, m, out);
  const k0 = roster.start[i]!;
  const k1 = roster.start[i + 1]! - 66;
  if (!wordsEqualHex(out, roster.text, k1 + 1)) return 1;
  m[0] = r0;
  m[1] = r1;
  m[2] = r2;
  m[3] = r3;
  ticketBlockWords(m, roster.text, k0, k1);
  compress(tickets.mid, m, out);
  return wordsEqualHexString(out, ticketHex) ? 0 : 2;
}

export const P21_FACTOR = P21;
