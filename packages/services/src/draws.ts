/**
 * The draw lifecycle in the product (committed → matched or infeasible; new draws on
 * docs/specs/draw-protocol-v2.md, older ones on docs/specs/draw-protocol.md), split
 * by step into campaigns/draw-*.ts; this module re-exports them so that callers keep working.
 */
export { ACTIVE_STATUSES } from './campaigns/roster.ts';
export { DEFAULT_CLASS, DRAW_RULES, drandRoundTime, ratioString, unwrap } from './campaigns/draw-common.ts';
export {
  classPlan,
  commitDraw,
  previewDraw,
  previewTask,
  type ClassPlan,
  type CommitDrawInput,
} from './campaigns/draw-commit.ts';
export {
  escalateDraw,
  escalationCounts,
  type EscalateInput,
  type EscalationRound,
} from './campaigns/escalation.ts';
export { getDraw, revealDraw, type RevealInput } from './campaigns/draw-reveal.ts';
export {
  drawBundle,
  listDrawExclusions,
  type AnyDrawBundle,
  type BundleOptions,
} from './campaigns/draw-bundle.ts';
export {
  DEFAULT_DICE_DIGITS,
  drawStage,
  isV2,
  seedSourceV2,
  validateCeremony,
  type DiceCeremony,
  type SeedSourceInput,
} from './campaigns/draw-v2.ts';
