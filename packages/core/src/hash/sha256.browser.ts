/** SHA-256 for browsers (package.json "imports" → `#sha256`, condition "browser"): @noble/hashes. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export const SHA256_IMPLEMENTATION = '@noble/hashes';

const encoder = new TextEncoder();

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** Returns key ↦ SHA-256(prefix ‖ UTF-8(key)). */
export function sha256WithPrefix(prefix: Uint8Array): (key: string) => Uint8Array {
  const p = Uint8Array.from(prefix);
  return (key: string) => nobleSha256.create().update(p).update(encoder.encode(key)).digest();
}
