import type { Executor } from '@choucha/db';
import { can } from './access.ts';
import { linkedInspectorId } from './admin/users.ts';
import type { Actor } from './context.ts';

/**
 * Who may enter a target's result — the rule `enterResult` enforces (results.ts), answered ahead of
 * time so that the pages show the entry button only where the entry would be accepted:
 * - the joint office and the system: every target of a live draw;
 * - a department admin: targets of a task his department takes part in (the lead, an accepted
 *   cooperating department);
 * - an inspector: in addition, only targets whose team he is on (his user linked to his inspector
 *   record);
 * - leaders and everyone else: none. A superseded draw's targets take no results.
 * Whether a result already entered may still be changed (not once published) is the page's to show
 * from the results themselves.
 */
export async function resultEntryRule(
  db: Executor,
  actor: Actor,
  taskDepartmentIds: readonly number[],
): Promise<(target: { drawStatus: string; teamInspectorIds: readonly number[] }) => boolean> {
  if (!can(actor, 'result.enter')) return () => false;
  const live = (t: { drawStatus: string }) => t.drawStatus !== 'superseded';
  if (actor.kind === 'system' || (actor.kind === 'user' && actor.role === 'joint_admin')) return live;
  if (actor.kind !== 'user' || actor.departmentId === null || !taskDepartmentIds.includes(actor.departmentId))
    return () => false;
  if (actor.role !== 'inspector') return live;
  const me = await linkedInspectorId(db, actor);
  if (me === null) return () => false;
  return (t) => live(t) && t.teamInspectorIds.includes(me);
}
