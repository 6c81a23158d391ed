/** The supervisor's page (监督, draw-protocol-v2 §1): the draws he may verify with the full bundle. */
import { z } from 'zod';

export const SUPERVISOR_STAGES = ['committed', 'drawn', 'infeasible', 'matched'] as const;

export const SupervisorDraw = z.object({
  id: z.number(),
  taskId: z.number(),
  taskName: z.string(),
  departmentId: z.number(),
  departmentName: z.string(),
  attempt: z.number(),
  /** committed, drawn, matched, superseded */
  status: z.string(),
  /** the stage of its bundle (§11), also for a superseded draw */
  stage: z.enum(SUPERVISOR_STAGES),
  algorithmVersion: z.string(),
  committedAt: z.string(),
  commitmentHash: z.string(),
  /** the previous attempt's commitment hash (v2), null for attempt 1 and v1 draws */
  predecessor: z.string().nullable(),
  /** the draw that replaced this one */
  supersededBy: z.number().nullable(),
});
export type SupervisorDraw = z.infer<typeof SupervisorDraw>;
export const SupervisorDrawList = z.object({ items: z.array(SupervisorDraw) });
export type SupervisorDrawList = z.infer<typeof SupervisorDrawList>;
