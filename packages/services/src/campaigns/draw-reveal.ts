/**
 * The reveal of a draw: the public randomness is entered, the seed derived, the targets drawn and the
 * inspectors matched (draw-protocol §7–9); and reading a draw.
 */
import { eq, sql } from 'drizzle-orm';
import {
  AppError,
  deriveSeed,
  drawTargets,
  matchInspectors,
  parseCanonicalRoster,
  type CommitmentRecord,
  type TargetTeam,
} from '@choucha/core';
import { draws, targets, tasks } from '@choucha/db';
import { assertDepartment, authorize } from '../access.ts';
import { inTransaction } from '../audit.ts';
import { encodeBundle, insertBundle } from '../bundle-store.ts';
import type { Actor, Services } from '../context.ts';
import { drawView, loadTask, taskDepartments } from '../tasks.ts';
import { insertTeamMembers, unwrap } from './draw-common.ts';
import { drawBundle } from './draw-bundle.ts';

export interface RevealInput {
  dice?: string | undefined;
  beacon?:
    | { round: number; randomness: string; signature: string; previousSignature?: string | null | undefined }
    | undefined;
}

/**
 * Enter the public randomness: derive the seed, draw, and match. The draw is stored even when
 * matching turns out infeasible (status 'drawn', with the reasons), because the seed is public by
 * then and the outcome must not be re-rolled; the answer is then MATCH_INFEASIBLE naming each target.
 */
export async function revealDraw(svc: Services, actor: Actor, drawId: number, input: RevealInput) {
  authorize(actor, 'draw.write');
  const problems = await inTransaction(svc, actor, async (tx, audit) => {
    await tx.execute(sql`select id from ${draws} where id = ${drawId} for update`);
    const [draw] = await tx.select().from(draws).where(eq(draws.id, drawId));
    if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
    const task = await loadTask(tx, draw.taskId);
    assertDepartment(actor, [task.departmentId], 'write');
    if (draw.status !== 'committed') {
      throw new AppError(
        'DRAW_STATE',
        `Draw ${drawId} is ${draw.status}: its seed is already fixed and cannot be entered again`,
      );
    }
    const record = JSON.parse(draw.commitment) as CommitmentRecord;
    const roster = unwrap(parseCanonicalRoster(draw.rosterText));
    const seedInputs = {
      dice: input.dice === undefined ? null : input.dice.replace(/[\s,，-]/g, ''),
      beacon: input.beacon
        ? {
            round: input.beacon.round,
            randomness: input.beacon.randomness.toLowerCase(),
            signature: input.beacon.signature.toLowerCase(),
            previousSignature: input.beacon.previousSignature?.toLowerCase() ?? null,
          }
        : null,
    };
    const seed = unwrap(deriveSeed(draw.commitmentHash, record.seedSource, seedInputs));
    const escalation = draw.escalation as Record<string, number>;
    const selection = unwrap(drawTargets(roster, record, seed, escalation));
    const targetList = selection.flatMap((s) => s.selected.map((e) => ({ key: e.key, ticket: e.ticket })));
    const matched = matchInspectors(record.items, record.matching, targetList, seed);
    const teams: TargetTeam[] = matched.ok ? matched.value.teams : [];
    const matchProblems = matched.ok ? null : matched.error;
    const now = svc.clock();
    const entityOfKey = new Map(roster.keys.map((k, i) => [k, draw.rosterEntityIds[i] as number]));
    await tx
      .update(draws)
      .set({
        status: matched.ok ? 'matched' : 'drawn',
        seed,
        seedInputs,
        seededAt: now,
        drawnAt: now,
        matchedAt: matched.ok ? now : null,
        matchProblems,
      })
      .where(eq(draws.id, drawId));
    const flat = selection.flatMap((s) => s.selected);
    const inserted: { id: number; key: string }[] = [];
    for (let i = 0; i < flat.length; i += 2000) {
      const chunk = flat.slice(i, i + 2000);
      inserted.push(
        ...(await tx
          .insert(targets)
          .values(
            chunk.map((s) => ({
              drawId,
              taskId: task.id,
              entityId: entityOfKey.get(s.key) as number,
              key: s.key,
              stratum: s.stratum,
              ticket: s.ticket,
              rank: s.rank,
            })),
          )
          .returning({ id: targets.id, key: targets.key })),
      );
    }
    const targetOfKey = new Map(inserted.map((t) => [t.key, t.id]));
    await insertTeamMembers(svc, tx, teams, targetOfKey);
    await tx
      .update(tasks)
      .set({ status: matched.ok ? 'matched' : 'drawn' })
      .where(eq(tasks.id, task.id));
    await audit({
      action: 'draw.reveal',
      subjectType: 'draw',
      subjectId: drawId,
      departmentId: task.departmentId,
      before: { status: 'committed' },
      after: {
        status: matched.ok ? 'matched' : 'drawn',
        seed,
        seedInputs,
        targets: flat.length,
        matchProblems,
      },
    });
    // From here on the bundle cannot change: store it once, with the draw (bundle-store.ts).
    await insertBundle(
      tx,
      drawId,
      await encodeBundle(await drawBundle(svc, drawId, { publicView: false }, tx)),
      now,
    );
    return matchProblems;
  });
  if (problems) throw new AppError('MATCH_INFEASIBLE', problems.message, problems.details);
  return getDraw(svc, actor, drawId);
}

export async function getDraw(svc: Services, actor: Actor, drawId: number) {
  authorize(actor, 'task.read');
  const [draw] = await svc.database.db.select().from(draws).where(eq(draws.id, drawId));
  if (!draw) throw new AppError('NOT_FOUND', `No draw ${drawId}`);
  const task = await loadTask(svc.database.db, draw.taskId);
  assertDepartment(actor, taskDepartments(task), 'read');
  return drawView(svc, draw, actor, task);
}
