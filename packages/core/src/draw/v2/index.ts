/** Draw protocol v2 (docs/specs/draw-protocol-v2.md). */
export * from './types.ts';
export {
  buildCommitmentV2,
  restoreCommitmentV2,
  commitmentHashV2,
  matchingRoot,
  poolOf,
} from './commitment.ts';
export { committedBundleV2, drawnBundleV2, publicViewV2, runDrawV2, withSupersededBy } from './draw.ts';
export { deriveSeedV2 } from './seed.ts';
export {
  MATCH_TAG_V2,
  NONCE_TAG,
  PSEUDONYM_TAG,
  SEED_TAG_V2,
  TICKET_TAG_V2,
  nonceHash,
  nonceHashHex,
  pseudonymOf,
  seedFromV2,
  ticketV2,
} from './hashes.ts';
export { checkDrandSource } from './rules.ts';
export { parseStrictJson } from './strict-json.ts';
export { validateBundleV2 } from './shape.ts';
export { verifyBundleV2, type VerifiedV2 } from './verify.ts';
export { verifyBundleBytes, verifyBundleText, v1ShapeProblem } from './verify-file.ts';
export { receiptOf, verifyReceiptV2 } from './receipt.ts';
