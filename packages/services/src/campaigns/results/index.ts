export {
  addAttachment,
  deleteAttachment,
  getAttachment,
  listAttachments,
  type AttachmentMeta,
} from './attachments.ts';
export { correctResult, type CorrectionInput } from './corrections.ts';
export { getResult } from './detail.ts';
export { TRACKED_FOLLOW_UPS, type FollowUpDetail, type ResultItemInput } from './entry-parts.ts';
export {
  completeFollowUp,
  listFollowUps,
  RECHECK_RESULTS,
  type CompleteFollowUpInput,
  type FollowUpFilter,
} from './follow-ups.ts';
export { publicityStanding, type Timeliness } from './review-queue.ts';
