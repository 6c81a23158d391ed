/**
 * The hashes of draw protocol v2 (docs/specs/draw-protocol-v2.md §3, §6, §7, §8, §9):
 *   P(tag)            = UTF-8(tag) ‖ 0x00 … (64 bytes)
 *   nonceHash(r)      = SHA-256(P("choucha-nonce-v2") ‖ r)
 *   pseudonym(id)     = hex(SHA-256(P("choucha-pseudonym-v2") ‖ salt ‖ UTF-8(id)))[0 … 16)
 *   seed              = SHA-256("choucha-seed-v2" ‖ 0x00 ‖ H ‖ ASCII(D) ‖ 0x00 ‖ R)
 *   T                 = SHA-256("choucha-ticket-v2" ‖ 0x00 ‖ seed)
 *   ticket(key, r)    = SHA-256(T ‖ 0x00 × 32 ‖ r ‖ UTF-8(key))
 *   M                 = SHA-256("choucha-match-v2" ‖ 0x00 ‖ seed)
 * Every per-entity hash starts with a fixed 64-byte block: MidstateHasher pays one compression.
 */
import { sha256, bytesToHex, concatBytes, utf8 } from '../../hash/index.ts';
import { MidstateHasher, wordsToHex } from '../ticket-hash.ts';

export const NONCE_TAG = 'choucha-nonce-v2';
export const PSEUDONYM_TAG = 'choucha-pseudonym-v2';
export const SEED_TAG_V2 = 'choucha-seed-v2';
export const TICKET_TAG_V2 = 'choucha-ticket-v2';
export const MATCH_TAG_V2 = 'choucha-match-v2';

/** The 64-byte block UTF-8(tag) ‖ 0x00 …. */
export function tagBlock(tag: string): Uint8Array {
  const t = utf8(tag);
  if (t.length >= 64) throw new Error('Invariant: a tag is shorter than 64 bytes');
  const b = new Uint8Array(64);
  b.set(t, 0);
  return b;
}

const HEXVAL = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEXVAL[48 + i] = i;
for (let i = 0; i < 6; i++) HEXVAL[97 + i] = 10 + i;

/** Lower-case hex → bytes (exactly `bytes` bytes), or undefined. */
export function lowerHexBytes(hex: string, bytes: number): Uint8Array | undefined {
  if (hex.length !== 2 * bytes) return undefined;
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) {
    const a = hex.charCodeAt(2 * i);
    const b = hex.charCodeAt(2 * i + 1);
    const x = a < 128 ? HEXVAL[a]! : -1;
    const y = b < 128 ? HEXVAL[b]! : -1;
    if (x < 0 || y < 0) return undefined;
    out[i] = (x << 4) | y;
  }
  return out;
}

/** Value of a lower-case hex digit (char code), or −1. */
export function hexVal(c: number): number {
  return c < 128 ? HEXVAL[c]! : -1;
}

export const isHex = (s: string, n: number) => s.length === n && /^[0-9a-f]*$/.test(s);

let nonceHasher: MidstateHasher | undefined;
export function nonceMidstate(): MidstateHasher {
  return (nonceHasher ??= new MidstateHasher(tagBlock(NONCE_TAG)));
}
let pseudonymHasher: MidstateHasher | undefined;
function pseudonymMidstate(): MidstateHasher {
  return (pseudonymHasher ??= new MidstateHasher(tagBlock(PSEUDONYM_TAG)));
}

/** nonceHash(r) of a 16-byte nonce, lower-case hex. */
export function nonceHash(r: Uint8Array): string {
  return wordsToHex(nonceMidstate().bytesWords(r, r.length, new Int32Array(8)));
}

/** nonceHash of a nonce given as 32 lower-case hex digits, or undefined if it is not. */
export function nonceHashHex(nonceHex: string): string | undefined {
  const r = lowerHexBytes(nonceHex, 16);
  return r ? nonceHash(r) : undefined;
}

/** The draw's pseudonym of an inspector: the first 16 hex digits (§7). */
export function pseudonymOf(saltHex: string, inspectorId: string): string {
  const salt = lowerHexBytes(saltHex, 32);
  if (!salt) throw new Error('Invariant: the salt is 64 lower-case hex digits');
  const tail = concatBytes(salt, utf8(inspectorId));
  return wordsToHex(pseudonymMidstate().bytesWords(tail, tail.length, new Int32Array(8))).slice(0, 16);
}

/** A pseudonym function for one salt (the salt is parsed once). */
export function pseudonymizer(saltHex: string): (id: string) => string {
  const salt = lowerHexBytes(saltHex, 32);
  if (!salt) throw new Error('Invariant: the salt is 64 lower-case hex digits');
  const h = pseudonymMidstate();
  const out = new Int32Array(8);
  return (id) => {
    const tail = concatBytes(salt, utf8(id));
    return wordsToHex(h.bytesWords(tail, tail.length, out)).slice(0, 16);
  };
}

export function seedFromV2(commitmentHash: Uint8Array, dice: string, randomness: Uint8Array): string {
  return bytesToHex(
    sha256(
      concatBytes(
        utf8(SEED_TAG_V2),
        new Uint8Array([0]),
        commitmentHash,
        utf8(dice),
        new Uint8Array([0]),
        randomness,
      ),
    ),
  );
}

function subseed(tag: string, seedHex: string): Uint8Array {
  const seed = lowerHexBytes(seedHex, 32);
  if (!seed) throw new Error('Invariant: seed must be 64 lower-case hex digits');
  return sha256(concatBytes(utf8(tag), new Uint8Array([0]), seed));
}

/** T ‖ 0x00 × 32: the fixed first block of every ticket of the draw. */
export function ticketBlock(seedHex: string): Uint8Array {
  const b = new Uint8Array(64);
  b.set(subseed(TICKET_TAG_V2, seedHex), 0);
  return b;
}

/** A hasher whose midstate is the ticket block of the seed. */
export function ticketHasher(seedHex: string): MidstateHasher {
  return new MidstateHasher(ticketBlock(seedHex));
}

/** ticket(key, r) in lower-case hex, general path (any key; r 16 bytes). */
export function ticketV2(seedHex: string, key: string, r: Uint8Array): string {
  const tail = concatBytes(r, utf8(key));
  return wordsToHex(ticketHasher(seedHex).bytesWords(tail, tail.length, new Int32Array(8)));
}

/** ticket with a prepared hasher: r (16 bytes) ‖ UTF-8(key). */
export function ticketWith(h: MidstateHasher, key: string, r: Uint8Array, out: Int32Array): Int32Array {
  const tail = concatBytes(r, utf8(key));
  return h.bytesWords(tail, tail.length, out);
}
