/**
 * The SHA-256 floor the draw and verify benches divide by: one hash per roster key, through
 * createHash and (Node ≥ 20.12) the one-shot crypto.hash, the faster of which is the floor.
 */
import crypto from 'node:crypto';

type OneShot = (a: string, d: string | Uint8Array, e: 'buffer') => Buffer;
/** crypto.hash where this Node has it. */
export const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/** Hashes every key once; the XOR of the first bytes keeps the work from being optimised away. */
export function floorCreateHash(keys: readonly string[]): number {
  let x = 0;
  for (let i = 0; i < keys.length; i++) x ^= crypto.createHash('sha256').update(keys[i]!).digest()[0]!;
  return x;
}

/** The same with crypto.hash (call only when `oneShot` is defined). */
export function floorOneShot(keys: readonly string[]): number {
  let x = 0;
  for (let i = 0; i < keys.length; i++) x ^= oneShot!('sha256', keys[i]!, 'buffer')[0]!;
  return x;
}
