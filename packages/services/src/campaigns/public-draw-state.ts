/**
 * The real state of a task on its public draw page (issue 9 §6): committed → drawn → matched →
 * results being entered → published → corrected, instead of the draw's own status (which stays
 * "matched" after every result is published). A target is published when every department on its
 * team has a published result (a joint target: each department's own act).
 */
import { sql } from 'drizzle-orm';
import { draws, resultCorrections, results, targetInspectors, targets } from '@choucha/db';
import type { Services } from '../context.ts';

export type PublicTaskStateName =
  'superseded' | 'committed' | 'drawn' | 'matched' | 'entering' | 'published' | 'corrected';

export interface PublicTaskState {
  state: PublicTaskStateName;
  targets: number;
  published: number;
  corrected: number;
  escalations: number;
}

export async function publicTaskState(svc: Services, drawId: number): Promise<PublicTaskState> {
  return (
    (await publicTaskStates(svc, [drawId])).get(drawId) ?? {
      state: 'committed',
      targets: 0,
      published: 0,
      corrected: 0,
      escalations: 0,
    }
  );
}

/** The state of each draw in `drawIds` (one query). */
export async function publicTaskStates(
  svc: Services,
  drawIds: number[],
): Promise<Map<number, PublicTaskState>> {
  const out = new Map<number, PublicTaskState>();
  if (drawIds.length === 0) return out;
  const r = await svc.database.db.execute(sql`
    select d.id, d.status,
           jsonb_array_length(d.escalation_rounds)::int as escalations,
           (select count(*)::int from ${targets} t where t.draw_id = d.id) as targets,
           (select count(*)::int from ${targets} t
             where t.draw_id = d.id
               and not exists (
                 select 1 from ${targetInspectors} ti
                  where ti.target_id = t.id
                    and not exists (select 1 from ${results} r
                                     where r.target_id = t.id and r.department_id = ti.department_id
                                       and r.status = 'published'))) as published,
           exists (select 1 from ${results} r join ${targets} t on t.id = r.target_id where t.draw_id = d.id) as any_result,
           (select count(distinct rc.result_id)::int from ${resultCorrections} rc
              join ${results} r on r.id = rc.result_id
              join ${targets} t on t.id = r.target_id
             where t.draw_id = d.id) as corrected
      from ${draws} d where d.id = any(${`{${drawIds.map(Number).join(',')}}`}::int[])`);
  const rows = (
    r as unknown as {
      rows: {
        id: number;
        status: string;
        escalations: number;
        targets: number;
        published: number;
        any_result: boolean;
        corrected: number;
      }[];
    }
  ).rows;
  for (const row of rows) {
    const n = Number(row.targets);
    const published = Number(row.published);
    const corrected = Number(row.corrected);
    const state: PublicTaskStateName =
      row.status === 'superseded'
        ? 'superseded'
        : row.status === 'committed'
          ? 'committed'
          : row.status === 'drawn'
            ? 'drawn'
            : n > 0 && published === n
              ? corrected > 0
                ? 'corrected'
                : 'published'
              : row.any_result
                ? 'entering'
                : 'matched';
    out.set(Number(row.id), {
      state,
      targets: n,
      published,
      corrected,
      escalations: Number(row.escalations),
    });
  }
  return out;
}
