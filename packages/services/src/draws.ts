/**
 * The draw lifecycle in the product (committed → drawn → matched, docs/specs/draw-protocol.md), split
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
export { drawBundle, listDrawExclusions } from './campaigns/draw-bundle.ts';
