/** The dashboard's 公示及时率, overdue counts and nearest deadlines (issue 9 §5). */
import { z } from 'zod';
import { DEADLINE_STATES } from './results.ts';

export const DashboardTimeliness = z.object({
  /** published within 20 working days of the inspection / published (null: nothing published) */
  rate: z.number().nullable(),
  published: z.number(),
  onTime: z.number(),
  late: z.number(),
  corrections: z.number(),
});
export const DashboardOverdue = z.object({
  /** results not published and past their publicity deadline */
  results: z.number(),
  /** tasks past their publicity deadline (window end + 20 working days) and not published */
  tasks: z.number(),
});
export const DashboardDeadline = z.object({
  kind: z.enum(['result', 'task']),
  dueOn: z.string(),
  state: z.enum(DEADLINE_STATES),
  remaining: z.number(),
  taskId: z.number(),
  taskName: z.string(),
  departmentName: z.string(),
  resultId: z.number().nullable(),
  entityName: z.string().nullable(),
  status: z.string(),
  openTargets: z.number(),
});
export type DashboardDeadline = z.infer<typeof DashboardDeadline>;
