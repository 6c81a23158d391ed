/**
 * Test support for the draw lifecycle: a draw's bundle file as served (the stored public one, or the
 * full one built on demand), as text and parsed.
 */
import { eq } from 'drizzle-orm';
import { ALGORITHM_VERSION, buildCommitment, drawRulesOf } from '@choucha/core';
import { draws, tasks, type Db } from '@choucha/db';
import { readDistrictRules } from '../admin/settings.ts';
import { bundleText } from '../bundle-store.ts';
import type { Services } from '../context.ts';
import { drawBundleFile } from '../public.ts';
import { loadTask } from '../tasks.ts';
import { drawItemRows, ratioString, unwrap } from './draw-common.ts';
import { matchingInput } from './draw-matching-input.ts';
import { buildRoster } from './roster.ts';

export interface BundleFile<T = Record<string, unknown>> {
  /** the JSON text exactly as served */
  text: string;
  bundle: T;
}

/** A draw's bundle as served: `public` (stored) or `full` (built on demand). */
export async function bundleFileOf<T = Record<string, unknown>>(
  svc: Services,
  drawId: number,
  view: 'public' | 'full' = 'public',
): Promise<BundleFile<T>> {
  const text = await bundleText(await drawBundleFile(svc, drawId, { view }));
  return { text, bundle: JSON.parse(text) as T };
}

/**
 * A draw committed the way the services did before protocol v2 (algorithm 'choucha-draw-v1', one
 * stratum 'ALL', dice of at least 20 digits): the row a database upgraded from v1 still holds, for
 * the tests of the kept v1 paths (reveal, escalation, bundle). Not used by the product.
 */
export async function commitDrawV1ForTest(svc: Services, taskId: number): Promise<number> {
  return (svc.database.db as Db).transaction(async (tx) => {
    const task = await loadTask(tx, taskId);
    const rules = drawRulesOf(await readDistrictRules(tx));
    const { roster } = await buildRoster(tx, task, rules);
    const itemRows = await drawItemRows(tx, taskId);
    const depts = [...new Set(itemRows.map((i) => i.departmentId))];
    const matching = await matchingInput(tx, task, depts, roster, rules, '2026-03-01');
    const sampling = task.sampling as { ratio: number };
    const c = unwrap(
      buildCommitment({
        task: { id: String(task.id), name: task.name },
        items: itemRows.map((i) => ({
          id: String(i.id),
          department: String(i.departmentId),
          field: i.field,
        })),
        roster: roster.map((r) => ({ key: r.key, stratum: 'ALL' })),
        strata: [{ label: 'ALL', ratio: ratioString(sampling.ratio), min: 0, max: null }],
        matching,
        seedSource: { dice: { minDigits: 20 }, drand: null },
      }),
    );
    const entityOfKey = new Map(roster.map((r) => [r.key, r.entityId]));
    const [d] = await tx
      .insert(draws)
      .values({
        taskId,
        attempt: 1,
        status: 'committed',
        algorithmVersion: ALGORITHM_VERSION,
        commitment: c.json,
        commitmentHash: c.hash,
        committedAt: new Date('2026-03-01T02:00:00Z'),
        rosterRoot: c.roster.root,
        rosterSize: c.roster.size,
        rosterText: c.roster.text,
        rosterEntityIds: c.roster.keys.map((k) => entityOfKey.get(k) as number),
        stratumClasses: { ALL: 'ALL' },
        seedSource: { dice: { minDigits: 20 }, drand: null },
        rules,
      })
      .returning({ id: draws.id });
    await tx.update(tasks).set({ status: 'committed' }).where(eq(tasks.id, taskId));
    return d!.id;
  });
}
