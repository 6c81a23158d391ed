/**
 * The supervisor's page (监督, draw-protocol-v2 §1): every draw the actor may verify in full, with
 * what identifies it in the public chain of attempts (attempt, commitment hash, predecessor). The
 * full bundle itself is `fullDrawBundle` (campaigns/draw-bundle.ts); this is only the list.
 *
 * Who sees which draws: the supervisor and the joint office every draw of the bureau; a department
 * admin his department's (the tasks it leads), as `draw.verify` allows him.
 */
import { desc, eq } from 'drizzle-orm';
import { departments, draws, tasks } from '@choucha/db';
import { authorize, departmentFilter } from './access.ts';
import type { Actor, Services } from './context.ts';

export type SupervisorStage = 'committed' | 'drawn' | 'infeasible' | 'matched';

export interface SupervisorDrawRow {
  id: number;
  taskId: number;
  taskName: string;
  departmentId: number;
  departmentName: string;
  attempt: number;
  /** the draw's status (committed, drawn, matched, superseded) */
  status: string;
  /** the protocol stage of its bundle (§11), also for a superseded draw */
  stage: SupervisorStage;
  algorithmVersion: string;
  committedAt: string;
  commitmentHash: string;
  /** the commitment hash of the previous attempt (v2 commitments carry it; null for v1 and attempt 1) */
  predecessor: string | null;
  /** the draw that replaced this one, when superseded */
  supersededBy: number | null;
}

/** The predecessor named in a v2 commitment record; null for v1 or an unreadable record. */
export function predecessorOf(commitmentJson: string): string | null {
  try {
    const rec = JSON.parse(commitmentJson) as { predecessor?: unknown };
    return typeof rec.predecessor === 'string' ? rec.predecessor : null;
  } catch {
    return null;
  }
}

export function stageOf(d: {
  seed: string | null;
  matchProblems: unknown;
  matchedAt: Date | null;
}): SupervisorStage {
  if (d.seed === null) return 'committed';
  if (d.matchProblems !== null && d.matchProblems !== undefined) return 'infeasible';
  if (d.matchedAt !== null) return 'matched';
  return 'drawn';
}

export async function supervisorDraws(svc: Services, actor: Actor): Promise<SupervisorDrawRow[]> {
  authorize(actor, 'draw.verify');
  const dept = departmentFilter(actor);
  const q = svc.database.db
    .select({
      id: draws.id,
      taskId: tasks.id,
      taskName: tasks.name,
      departmentId: tasks.departmentId,
      departmentName: departments.name,
      attempt: draws.attempt,
      status: draws.status,
      algorithmVersion: draws.algorithmVersion,
      committedAt: draws.committedAt,
      commitmentHash: draws.commitmentHash,
      commitment: draws.commitment,
      seed: draws.seed,
      matchProblems: draws.matchProblems,
      matchedAt: draws.matchedAt,
      supersededBy: draws.supersededBy,
    })
    .from(draws)
    .innerJoin(tasks, eq(tasks.id, draws.taskId))
    .innerJoin(departments, eq(departments.id, tasks.departmentId));
  const rows = await (dept === undefined ? q : q.where(eq(tasks.departmentId, dept)))
    .orderBy(desc(draws.id))
    .limit(2000);
  return rows.map(({ commitment, seed, matchProblems, matchedAt, committedAt, ...r }) => ({
    ...r,
    stage: stageOf({ seed, matchProblems, matchedAt }),
    committedAt: committedAt.toISOString(),
    predecessor: predecessorOf(commitment),
  }));
}
