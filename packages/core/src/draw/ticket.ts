/**
 * Placeholder for the draw engine (docs/specs/draw-protocol.md). Each roster key's ticket is
 * SHA-256 over the seed and the key; in each stratum the k smallest tickets win, ties by key.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function ticketHex(seedHex: string, key: string): string {
  return bytesToHex(sha256(utf8ToBytes(`${seedHex}:${key}`)));
}
