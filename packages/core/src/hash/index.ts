/**
 * SHA-256 with the platform's fastest implementation: `#sha256` resolves (package.json "imports")
 * to node:crypto under Node and to @noble/hashes in the browser. Both give identical bytes.
 */
export { sha256, sha256Text, sha256WithPrefix, SHA256_IMPLEMENTATION } from '#sha256';
export { bytesToHex, hexToBytes, concatBytes, utf8, compareBytes } from './bytes.ts';
