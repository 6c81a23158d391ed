/**
 * The task form and draw operations (issue 9 §1 last bullet, §6): draft edits, the sampling preview
 * of the form, escalation, the public state of a task.
 */
import { z } from 'zod';
import { Count } from '../bounds.ts';

/** What 最多抽取户数 means (draw-protocol §4.1). */
export const MAX_MODES = ['total', 'split', 'perClass'] as const;
export const MaxModeEnum = z.enum(MAX_MODES);

/** One risk class as the commitment will fix it: ratio, committed (min, max), size. Staff only. */
export const ClassPlanView = z.object({
  riskClass: z.string(),
  population: z.number(),
  ratio: z.number().nullable(),
  min: z.number().optional(),
  max: z.number().nullable().optional(),
  size: z.number().nullable(),
});
export type ClassPlanView = z.infer<typeof ClassPlanView>;

/** POST /api/tasks/sampling-preview: the roster and per-class sizes of a task not yet saved. */
export const SamplingPreview = z.object({
  rosterSize: z.number(),
  excluded: z.number(),
  strata: z.array(ClassPlanView),
  maxMode: MaxModeEnum,
  max: z.number().nullable(),
  maxLoad: z.number().nullable(),
  targets: z.number(),
  problems: z.array(z.string()),
  /** coded problems (e.g. SAMPLING_MAX_BELOW_CLASSES, TASK_SCOPE_REQUIRED) */
  problemCodes: z.array(z.string()),
});
export type SamplingPreview = z.infer<typeof SamplingPreview>;

/**
 * POST /api/draws/:id/escalate: draw more in the same draw (draw-protocol §8). Either `counts` per
 * stratum label, or `count` in all (shared over the strata in proportion to the entities not yet
 * drawn, largest remainder).
 */
export const EscalateDrawBody = z
  .object({
    reason: z.string().max(1000),
    counts: z.record(z.string().max(40), Count).optional(),
    count: Count.min(1).optional(),
  })
  .refine((b) => b.counts !== undefined || b.count !== undefined, {
    message: 'give counts per stratum or a count',
  });
export type EscalateDrawBody = z.infer<typeof EscalateDrawBody>;

export const EscalationRoundView = z.object({
  counts: z.record(z.string(), z.number()),
  reason: z.string(),
  at: z.string(),
  by: z.number().nullable(),
  /** targets this escalation added */
  added: z.number(),
});
export type EscalationRoundView = z.infer<typeof EscalationRoundView>;

/** The public state of a task on its public draw page (services/public.ts publicDraw). */
export const PUBLIC_TASK_STATES = [
  'superseded',
  'committed',
  'drawn',
  'matched',
  'entering',
  'published',
  'corrected',
] as const;
export const PublicTaskState = z.object({
  state: z.enum(PUBLIC_TASK_STATES),
  targets: z.number(),
  /** targets with at least one published result */
  published: z.number(),
  /** published results that were corrected (更正) */
  corrected: z.number(),
  escalations: z.number(),
});
export type PublicTaskState = z.infer<typeof PublicTaskState>;
